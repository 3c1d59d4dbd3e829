"""A helper's own results beside the whole service's: pure functions over two dashboards.

Why a page of its own: helpers want to know whether what they do makes people better, and
the leaders' dashboard is the wrong place for that (it names every helper). Here a helper sees
only their own figures and the service's as a whole, never another helper's figures, name or
place in a list.

The figures are the leaders' dashboard figures (`figures.build_dashboard`), once for the
helper and once for the service, so the two pages can never disagree. Two rules keep them
safe and honest:

- The small-number rule applies to the helper's own figures too: a share of three clients
  says too little to learn from. As the helper knows their own clients, the page says how
  many their figure rests on and how many more it needs.
- The service's figure minus the helper's is the figure of the other helpers' clients. The
  helper knows their own clients, so where the others are 1–4, the service's figure would
  tell how those few went: it is then held back (the same reasoning as
  `figures.clinical_gives_away`).
"""

from dataclasses import dataclass

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .figures import Dashboard
from .suppression import MINIMUM, WITHHELD, Figure, too_few
from .templatetags.dashboard import number
from .visuals import band_label


@dataclass(frozen=True)
class Side:
    """One side of the comparison, the helper's or the service's: each figure protected as
    the dashboard protects it, and the raw counts each rests on (`BASES`)."""

    figures: dict[str, Figure]
    counts: dict[str, int]
    intervals: dict[str, tuple[float, float]]
    adjusted: bool  # whether the service has enough closed episodes to adjust for severity


# What each kind of figure rests on, read from the dashboard's unprotected report.
BASES = {
    "outcomes": lambda report: report["outcomes"]["n"],
    "clinical": lambda report: report["severity_adjusted"]["n"],
    "alliance": lambda report: report["alliance"]["clients"],
    "seen": lambda report: report["clients_active"],
    "closed": lambda report: report["episodes_closed"],
}


def _included(dashboard: Dashboard) -> Figure:
    return next(row.share for row in dashboard.left_out["current"] if row.key == "included")


# key: (basis, style, the dashboard's protected figure)
FIGURES = {
    "better": ("outcomes", "percent", lambda d: d.row("improved").current),
    "unchanged": ("outcomes", "percent", lambda d: d.categories["current"]["unchanged"]),
    "worse": ("outcomes", "percent", lambda d: d.row("deteriorated").current),
    "effect_size": ("outcomes", "decimal", lambda d: d.row("effect_size").current),
    "saes": ("clinical", "decimal", lambda d: d.row("saes").current),
    "alliance_mean": ("alliance", "score", lambda d: d.row("alliance_mean").current),
    "alliance_flagged": ("alliance", "percent", lambda d: d.row("alliance_flagged").current),
    "ors": ("seen", "percent", lambda d: d.row("ors").current),
    "srs": ("seen", "percent", lambda d: d.row("srs").current),
    "included": ("closed", "percent", _included),
}
INTERVALS = ("effect_size", "saes")


def side(dashboard: Dashboard) -> Side:
    """The figures this page shows from one dashboard, and what they rest on."""
    intervals = {}
    for key in INTERVALS:
        row = dashboard.row(key)
        if row.current.shown and row.low is not None and row.high is not None:
            intervals[key] = (row.low, row.high)
    return Side(
        figures={key: read(dashboard) for key, (_basis, _style, read) in FIGURES.items()},
        counts={basis: count(dashboard.report) or 0 for basis, count in BASES.items()},
        intervals=intervals,
        adjusted=dashboard.reference is not None,
    )


@dataclass(frozen=True)
class Line:
    """One figure: the helper's, the service's, and what the page says about them."""

    key: str
    basis: str
    style: str
    own: Figure
    service: Figure
    own_count: int  # what the helper's figure rests on: their own clients, theirs to know
    needed: int  # how many more the helper's figure needs before it is shown (0: none)
    held_back: bool  # the service's figure withheld, as beside the helper's it tells of a few
    low: float | None = None
    high: float | None = None
    adjusted: bool = True


def gives_away(own_count: int, service_count: int) -> bool:
    """Whether the service's figure, beside what the helper knows of their own clients, would
    tell how fewer than MINIMUM others went.

    An episode with two responsible helpers counts for both, so service − own is at most the
    number of the others' episodes: where that is 1–4 the others may be few, and the figure is
    held back. (Zero others: the service's figure is the helper's own.)
    """
    return own_count > 0 and too_few(service_count - own_count)


def compare(own: Side, service: Side) -> dict[str, Line]:
    """Every figure of the page, the helper's beside the service's, both protected."""
    lines = {}
    for key, (basis, style, _read) in FIGURES.items():
        own_count = own.counts[basis]
        held_back = service.figures[key].shown and gives_away(own_count, service.counts[basis])
        low, high = own.intervals.get(key, (None, None))
        lines[key] = Line(
            key=key,
            basis=basis,
            style=style,
            own=own.figures[key],
            service=WITHHELD if held_back else service.figures[key],
            own_count=own_count,
            needed=MINIMUM - own_count if too_few(own_count) else 0,
            held_back=held_back,
            low=low,
            high=high,
            adjusted=own.adjusted,
        )
    return lines


def change_size(value: float) -> str:
    """A pre–post effect size in words, by the usual rule of thumb (Cohen: 0.2 small, 0.5
    medium, 0.8 large)."""
    if value >= 0.8:
        return _("a large change for the better")
    if value >= 0.5:
        return _("a medium-sized change for the better")
    if value >= 0.2:
        return _("a small change for the better")
    if value > -0.2:
        return _("hardly any change")
    return _("a change for the worse")


def _too_few(basis: str, count: int, needed: int) -> str:
    """The helper's figure is not shown yet: what it rests on, and how many more it needs."""
    if basis == "outcomes":
        text = ngettext(
            "Too few to show yet: %(count)s of your episodes ended with a first and a last "
            "rating; %(needed)s more is needed.",
            "Too few to show yet: %(count)s of your episodes ended with a first and a last "
            "rating; %(needed)s more are needed.",
            needed,
        )
    elif basis == "clinical":
        text = ngettext(
            "Too few to show yet: %(count)s of your finished episodes started below the "
            "cutoff; %(needed)s more is needed.",
            "Too few to show yet: %(count)s of your finished episodes started below the "
            "cutoff; %(needed)s more are needed.",
            needed,
        )
    elif basis == "alliance":
        text = ngettext(
            "Too few to show yet: %(count)s of your clients rated the sessions; %(needed)s "
            "more is needed.",
            "Too few to show yet: %(count)s of your clients rated the sessions; %(needed)s "
            "more are needed.",
            needed,
        )
    elif basis == "seen":
        text = ngettext(
            "Too few to show yet: %(count)s of your clients had a session; %(needed)s more "
            "is needed.",
            "Too few to show yet: %(count)s of your clients had a session; %(needed)s more "
            "are needed.",
            needed,
        )
    else:
        text = ngettext(
            "Too few to show yet: %(count)s of your episodes ended; %(needed)s more is needed.",
            "Too few to show yet: %(count)s of your episodes ended; %(needed)s more are needed.",
            needed,
        )
    return text % {"count": count, "needed": needed}


NONE = {
    "outcomes": lambda: _(
        "None of your episodes ended with a first and a last rating in this period."
    ),
    "clinical": lambda: _("None of your finished episodes started below the cutoff."),
    "alliance": lambda: _("None of your clients rated the sessions in this period."),
    "seen": lambda: _("You had no sessions in this period."),
    "closed": lambda: _("None of your episodes ended in this period."),
}


NO_ONE = {
    "better": lambda: _("None of your clients got clearly better."),
    "worse": lambda: _("None of your clients got clearly worse."),
}


def whole_percent(value: float) -> str:
    """A share in a sentence, in whole percent: "46 %" reads more plainly than "46,2 %"."""
    return f"{formats.number_format(round(value * 100), 0)} %"


def sentence(line: Line) -> str:
    """The plain sentence that leads a figure: what the helper's figure says, or why it is not
    shown."""
    own = line.own
    if own.suppressed:
        return _too_few(line.basis, line.own_count, line.needed)
    if line.key == "saes" and not line.adjusted:
        return _(
            "Not shown: the service does not yet have enough finished episodes to adjust for "
            "how clients were doing at the start."
        )
    if not own.shown:
        return NONE[line.basis]()
    value = number(own.value, line.style)
    if line.style == "percent":
        value = whole_percent(own.value)
    if line.key in NO_ONE and own.value == 0:
        return NO_ONE[line.key]()
    if line.key == "better":
        return _("%(share)s of your clients got clearly better.") % {"share": value}
    if line.key == "unchanged":
        return _("%(share)s of your clients had no clear change.") % {"share": value}
    if line.key == "worse":
        return _("%(share)s of your clients got clearly worse.") % {"share": value}
    if line.key == "effect_size":
        return _("On average, your clients had %(size)s (effect size %(value)s).") % {
            "size": change_size(own.value),
            "value": value,
        }
    if line.key == "saes":
        return _(
            "Taking into account how your clients were doing at the start: %(band)s (%(value)s)."
        ) % {"band": band_label(own.value), "value": value}
    if line.key == "alliance_mean":
        return _(
            "Your clients rated the sessions %(score)s of 40 on average (how they felt "
            "listened to and whether the work suited them)."
        ) % {"score": value}
    if line.key == "alliance_flagged":
        return _(
            "%(share)s of the session ratings were low enough to be worth asking the client "
            "what could be better."
        ) % {"share": value}
    if line.key == "ors":
        return _("Your clients rated how they were doing in %(share)s of your sessions.") % {
            "share": value
        }
    if line.key == "srs":
        return _("Your clients rated the session in %(share)s of your sessions.") % {"share": value}
    return _(
        "%(share)s of your finished episodes had a first and a last rating, and count in the "
        "figures above."
    ) % {"share": value}


def uncertainty(line: Line) -> str:
    """How far the helper's figure could be from the truth, in words, where it has an interval."""
    if line.low is None or line.high is None:
        return ""
    return _(
        "With %(count)s episodes, the true value could lie anywhere from %(low)s to %(high)s "
        "(95 percent confidence interval)."
    ) % {
        "count": line.own_count,
        "low": number(line.low, line.style),
        "high": number(line.high, line.style),
    }
