"""The leaders' dashboard as plain data: figures, comparison, trends and units, all protected.

One call, `build_dashboard`, runs a fixed set of queries (see `queries`) through the same code as
the outcome report, then applies small-number protection to every figure before anything can
show, chart or export it. Nothing here names a client.
"""

import datetime
from dataclasses import dataclass, field, replace

from django.utils.translation import gettext_lazy as _

from services.accounts.models import Membership, Role, Service, Team, User
from services.measures.models import Instrument

from . import statistics
from .facts import BIN_WIDTH, BINS
from .outcomes import RATERS, collateral_figures, reference_line, report_figures
from .periods import Period
from .queries import Request, collect, month_starts
from .scope import Scope
from .suppression import (
    MINIMUM,
    WITHHELD,
    Figure,
    hidden_cells,
    hidden_in_groups,
    protect,
    protect_count,
    protect_counts,
    too_few,
)

CATEGORIES = ("recovered", "improved", "unchanged", "deteriorated")


@dataclass(frozen=True)
class Unit:
    """A team or a helper shown for comparison; only staff are ever named."""

    kind: str  # "team" or "helper"
    pk: int
    name: str


@dataclass(frozen=True)
class Row:
    """One line of the figures table: this period, the previous one, and how to show them."""

    key: str
    label: str
    current: Figure
    previous: Figure
    style: str  # "count", "percent", "score", "decimal"
    low: float | None = None
    high: float | None = None


@dataclass(frozen=True)
class TrendPoint:
    start: datetime.date
    values: dict[str, Figure]


@dataclass(frozen=True)
class UnitRow:
    unit: Unit
    clients: Figure
    sessions: Figure
    ors_completeness: Figure
    closed: Figure
    improved: Figure
    saes: Figure
    saes_low: float | None
    saes_high: float | None


@dataclass(frozen=True)
class LeftOut:
    """Closed episodes counted in the outcome figures ("included"), or left out for a reason."""

    key: str  # "included", "no_rating", "one_rating", "unscored"
    label: str
    count: Figure
    share: Figure  # of the closed episodes


LEFT_OUT = (
    ("included", _("Included in the outcome figures")),
    ("no_rating", _("No rating")),
    ("one_rating", _("Only one rating on the first form")),
    ("unscored", _("Form without scores")),
)


@dataclass(frozen=True)
class CollateralRow:
    """One kind of collateral rater's figures: never mixed into the client's own."""

    rater: str  # "parent", "teacher", "other"
    label: str
    episodes: Figure  # closed episodes with two or more ratings from such a rater
    improved: Figure  # shares of those raters' series
    deteriorated: Figure
    change: Figure  # mean change, in points


RATER_LABELS = {"parent": _("Parents"), "teacher": _("Teachers"), "other": _("Others")}
CLINICAL_CATEGORIES = ("improved", "unchanged", "deteriorated")


@dataclass
class Dashboard:
    service: Service
    scope: Scope
    period: Period
    previous_period: Period
    rows: list[Row]
    categories: dict[str, dict[str, Figure]]
    outcome_n: Figure
    previous_outcome_n: Figure
    intake_bins: list[Figure]
    intake_n: Figure
    months: list[TrendPoint]
    quarters: list[TrendPoint]
    units: list[UnitRow]
    reference: statistics.ReferenceLine | None
    report: dict = field(repr=False, default_factory=dict)
    previous_report: dict = field(repr=False, default_factory=dict)
    left_out: dict[str, list[LeftOut]] = field(default_factory=dict)
    # The outcome categories of the episodes that started below the cutoff, this period: the
    # service's figures beside published ones. "improved" includes the recovered.
    clinical: dict[str, Figure] = field(default_factory=dict)
    # True where those are withheld because subtracting them from all episodes' categories
    # would tell how the few who started at or above the cutoff went (see `_clinical`).
    clinical_withheld: bool = False
    collateral: list[CollateralRow] = field(default_factory=list)

    def row(self, key: str) -> Row:
        return next(row for row in self.rows if row.key == key)

    def plain_rows(self) -> list[Row]:
        """The key figures a leader reads first: effect sizes, with their intervals, are left
        to the folded "how it is calculated" part (issue #16)."""
        return [row for row in self.rows if row.key not in TECHNICAL]

    def technical_rows(self) -> list[Row]:
        return [row for row in self.rows if row.key in TECHNICAL]

    def compared_teams(self) -> list["UnitRow"]:
        return compared(self.units, "team")

    def compared_helpers(self) -> list["UnitRow"]:
        return compared(self.units, "helper")


TECHNICAL = ("effect_size", "saes")  # key figures for the folded part: see `plain_rows`


def compared(units: list[UnitRow], kind: str) -> list[UnitRow]:
    """The teams or helpers of a comparison, or none where not one of them has a figure to
    show (every figure withheld, zero or without data): an empty box is not drawn."""
    rows = [row for row in units if row.unit.kind == kind]
    figures = ("clients", "sessions", "ors_completeness", "closed", "improved", "saes")
    if any(
        getattr(row, name).shown and getattr(row, name).value for row in rows for name in figures
    ):
        return rows
    return []


def comparison_units(service: Service, scope: Scope) -> list[Unit]:
    """Teams on the service page; helpers (where the service allows) on service and team pages.

    Two queries at most, whatever the data size.
    """
    if scope.helper_id is not None:
        return []
    units: list[Unit] = []
    if scope.team_id is None:
        units += [Unit("team", t.pk, t.name) for t in Team.objects.filter(service=service)]
    if service.helper_comparison:
        members = Membership.objects.filter(service=service, role=Role.HELPER)
        if scope.team_id is not None:
            members = members.filter(team_id=scope.team_id)
        users = User.objects.filter(pk__in=members.values("user")).order_by(
            "first_name", "last_name", "username"
        )
        units += [Unit("helper", u.pk, str(u)) for u in users]
    return units


def _rows(current: dict, previous: dict) -> list[Row]:
    def pair(key, label, style, value, basis, interval=None):
        low = high = None
        now = protect(value(current), basis(current))
        if interval and now.shown and interval(current):
            low, high = interval(current)
        return Row(key, label, now, protect(value(previous), basis(previous)), style, low, high)

    def count(key, label, value):
        return Row(
            key, label, protect_count(value(current)), protect_count(value(previous)), "count"
        )

    def clients(report):
        return report["clients_active"]

    def outcomes(report):
        return report["outcomes"]["n"]

    def closed(report):
        return report["episodes_closed"]

    def es_interval(report):
        ci = report["effect_size_ci"]
        return (ci["low"], ci["high"]) if ci else None

    def saes_interval(report):
        estimate = report["severity_adjusted"]["estimate"]
        return (estimate["low"], estimate["high"]) if estimate else None

    def saes(report):
        estimate = report["severity_adjusted"]["estimate"]
        return estimate["value"] if estimate else None

    return [
        count("clients", _("Active clients"), clients),
        count("new", _("New episodes"), lambda r: r["episodes_new"]),
        count("closed", _("Closed episodes"), closed),
        pair("sessions", _("Sessions"), "count", lambda r: r["sessions"], clients),
        pair(
            "ors",
            _("Sessions with ORS"),
            "percent",
            lambda r: r["completeness"]["ors"],
            clients,
        ),
        pair(
            "srs",
            _("Sessions with SRS"),
            "percent",
            lambda r: r["completeness"]["srs"],
            clients,
        ),
        pair(
            "intake_mean",
            _("Mean intake ORS (new episodes)"),
            "score",
            lambda r: r["new_intakes"]["mean"],
            lambda r: r["new_intakes"]["n"],
        ),
        pair(
            "intake_below",
            _("New episodes starting below the cutoff"),
            "percent",
            lambda r: r["new_intakes"]["below_cutoff"],
            lambda r: r["new_intakes"]["n"],
        ),
        pair(
            "improved",
            _("Clearly better (incl. recovered)"),
            "percent",
            lambda r: _sum(r["outcomes"]["recovered"], r["outcomes"]["improved"]),
            outcomes,
        ),
        pair(
            "deteriorated",
            _("Clearly worse"),
            "percent",
            lambda r: r["outcomes"]["deteriorated"],
            outcomes,
        ),
        pair(
            "effect_size",
            _("Pre–post effect size"),
            "decimal",
            lambda r: r["effect_size"],
            outcomes,
            es_interval,
        ),
        pair(
            "saes",
            _("Severity-adjusted effect size"),
            "decimal",
            saes,
            lambda r: r["severity_adjusted"]["n"],
            saes_interval,
        ),
        pair("dropout", _("Dropout"), "percent", lambda r: r["dropout"], closed),
        pair(
            "sessions_per_episode",
            _("Sessions per closed episode"),
            "decimal",
            lambda r: r["sessions_per_episode"],
            closed,
        ),
        pair(
            "alliance_mean",
            _("Mean SRS"),
            "score",
            lambda r: r["alliance"]["mean"],
            lambda r: r["alliance"]["clients"],
        ),
        pair(
            "alliance_flagged",
            _("SRS below the alliance threshold"),
            "percent",
            lambda r: r["alliance"]["flagged"],
            lambda r: r["alliance"]["clients"],
        ),
    ]


def _sum(*values: float | None) -> float | None:
    if any(value is None for value in values):
        return None
    return round(sum(values), 4)


def _fraction(part, whole) -> float | None:
    return None if not whole else (part or 0) / whole


# Which figures of a trend point or a unit rest on which count: a breakdown withholds them
# together where that count is small, or where withholding it protects another row.
MONTH_BASES = {
    "clients": ("sessions", "ors", "srs"),
    "srs_clients": ("alliance_mean", "alliance_flagged"),
    "closed": ("dropout",),
}
QUARTER_BASES = {"outcome_n": ("improved", "deteriorated", "effect_size")}


def _month_point(start: datetime.date, sums: dict) -> TrendPoint:
    clients = sums.get("clients") or 0
    sessions = sums.get("sessions") or 0
    srs_n = sums.get("srs_n") or 0
    srs_clients = alliance_basis(clients, srs_n)
    return TrendPoint(
        start,
        {
            "sessions": protect(sessions, clients),
            "ors": protect(_fraction(sums.get("ors_rated"), sessions), clients),
            "srs": protect(_fraction(srs_n, sessions), clients),
            "alliance_mean": protect(
                None if not srs_n else float(sums.get("srs_sum") or 0) / srs_n, srs_clients
            ),
            "alliance_flagged": protect(_fraction(sums.get("srs_flagged"), srs_n), srs_clients),
            "dropout": protect(
                _fraction(sums.get("dropout"), sums.get("closed")), sums.get("closed")
            ),
        },
    )


def _month_bases(sums: dict) -> dict[str, int]:
    clients = sums.get("clients") or 0
    return {
        "clients": clients,
        "srs_clients": alliance_basis(clients, sums.get("srs_n") or 0),
        "closed": sums.get("closed") or 0,
    }


def _quarter_point(start: datetime.date, sums: dict) -> TrendPoint:
    n = sums.get("outcome_n") or 0
    report = report_figures(sums, None)
    return TrendPoint(
        start,
        {
            "improved": protect(_fraction(sums.get("improved_any"), n), n),
            "deteriorated": protect(_fraction(sums.get("deteriorated"), n), n),
            "effect_size": protect(report["effect_size"], n),
        },
    )


def _quarter_bases(sums: dict) -> dict[str, int]:
    return {"outcome_n": sums.get("outcome_n") or 0}


def _trend(
    starts: list[datetime.date],
    sums: dict,
    point,
    bases,
    dependants: dict[str, tuple[str, ...]],
    months: int,
    shown: list[Period],
) -> list[TrendPoint]:
    """Months or quarters, with complementary suppression within every period shown.

    A period's figure is the sum of its months' (or quarters') where they lie inside it, so the
    points that overlap a period shown on the page are a breakdown of its total.
    """
    points = [point(start, sums.get(start, {})) for start in starts]
    counts = [bases(sums.get(start, {})) for start in starts]
    groups = [
        [i for i, start in enumerate(starts) if _overlaps(start, months, period)]
        for period in shown
    ]
    for basis, keys in dependants.items():
        for i in hidden_in_groups([c[basis] for c in counts], groups):
            points[i] = TrendPoint(
                points[i].start, {**points[i].values, **dict.fromkeys(keys, WITHHELD)}
            )
    return points


def _overlaps(start: datetime.date, months: int, period: Period) -> bool:
    month = start.month - 1 + months
    following = datetime.date(start.year + month // 12, month % 12 + 1, 1)
    return start <= period.end and following > period.start


def _unit_row(unit: Unit, grouped: dict, reference) -> UnitRow:
    outcome = grouped
    clients = grouped.get("clients") or 0
    sessions = grouped.get("sessions") or 0
    n = outcome.get("outcome_n") or 0
    estimate = statistics.severity_adjusted(
        statistics.PairedSums.of(
            outcome.get("c_n"),
            outcome.get("c_x"),
            outcome.get("c_y"),
            outcome.get("c_xx"),
            outcome.get("c_yy"),
            outcome.get("c_xy"),
        ),
        reference,
    )
    saes = protect(estimate.value if estimate else None, outcome.get("c_n") or 0)
    return UnitRow(
        unit=unit,
        clients=protect_count(clients),
        sessions=protect(sessions, clients),
        ors_completeness=protect(_fraction(grouped.get("ors_rated"), sessions), clients),
        closed=protect_count(grouped.get("closed") or 0),
        improved=protect(_fraction(outcome.get("improved_any"), n), n),
        saes=saes,
        saes_low=estimate.low if estimate and saes.shown else None,
        saes_high=estimate.high if estimate and saes.shown else None,
    )


UNIT_BASES = {  # the count each figure of a unit row rests on
    "clients": ("clients", "sessions", "ors_completeness"),
    "closed": ("closed",),
    "outcome_n": ("improved",),
    "c_n": ("saes",),
}


def _unit_rows(units: list[Unit], result, reference) -> list[UnitRow]:
    """Teams and helpers, each kind a breakdown of the page's totals: complementary
    suppression per count, and a withheld SAES takes its interval with it."""
    sums = [getattr(result, unit.kind).get(unit.pk, {}) for unit in units]
    rows = [_unit_row(unit, grouped, reference) for unit, grouped in zip(units, sums, strict=True)]
    for kind in ("team", "helper"):
        indices = [i for i, unit in enumerate(units) if unit.kind == kind]
        for basis, keys in UNIT_BASES.items():
            for j in hidden_cells([sums[i].get(basis) or 0 for i in indices]):
                changes = dict.fromkeys(keys, WITHHELD)
                if "saes" in keys:
                    changes |= {"saes_low": None, "saes_high": None}
                rows[indices[j]] = replace(rows[indices[j]], **changes)
    return rows


def _left_out(report: dict) -> list[LeftOut]:
    """The closed episodes split into included and left out by reason, number and share.

    A breakdown of the closed episodes, whose count is on the page: complementary suppression,
    never hiding the included count (the outcome figures' n) for another row. As closed −
    included is known, where the reasons hidden cannot reach five with one of five or more,
    every reason is hidden, zeros too (see `hidden_cells`).
    """
    closed = report["episodes_closed"]
    left = report["left_out"]
    counts = [report["outcomes"]["n"], left["no_rating"], left["one_rating"], left["unscored"]]
    withheld = set(range(len(counts))) if too_few(closed) else set()
    withheld |= hidden_cells(counts, spare={0}, zeros=True)
    return [
        LeftOut(
            key,
            label,
            WITHHELD if i in withheld else protect_count(count),
            WITHHELD if i in withheld else protect(_fraction(count, closed), closed),
        )
        for i, ((key, label), count) in enumerate(zip(LEFT_OUT, counts, strict=True))
    ]


def clinical_gives_away(report: dict) -> bool:
    """Whether the clinical subset beside all episodes would show how a few others went.

    The subset (n = c_n) and all episodes (n) are on the same page; their categories times
    their n, subtracted, are the categories of the n − c_n episodes that started at or above
    the cutoff. Where all episodes' figures are shown and 0 < n − c_n < MINIMUM, that is a
    figure about fewer than five people, so the subset goes instead (all episodes' figures
    are the page's main ones).
    """
    n = report["outcomes"]["n"]
    return not too_few(n) and too_few(n - report["clinical_outcomes"]["n"])


def _clinical(report: dict) -> dict[str, Figure]:
    shares = report["clinical_outcomes"]
    n = shares["n"]
    if clinical_gives_away(report):
        return dict.fromkeys(("n", *CLINICAL_CATEGORIES), WITHHELD)
    return {
        "n": protect_count(n),
        "improved": protect(_sum(shares["recovered"], shares["improved"]), n),
        "unchanged": protect(shares["unchanged"], n),
        "deteriorated": protect(shares["deteriorated"], n),
    }


def _collateral(figures: dict) -> list[CollateralRow]:
    """Kinds of raters with any closed episode rated, a breakdown with complementary
    suppression like every other (each figure rests on the episodes rated)."""
    present = [rater for rater in RATERS if figures[rater]["episodes"]]
    counts = [figures[rater]["episodes"] for rater in present]
    withheld = hidden_cells(counts)
    rows = []
    for i, rater in enumerate(present):
        f, n = figures[rater], counts[i]
        hide = i in withheld
        rows.append(
            CollateralRow(
                rater,
                RATER_LABELS[rater],
                WITHHELD if hide else protect_count(n),
                WITHHELD if hide else protect(f["improved"], n),
                WITHHELD if hide else protect(f["deteriorated"], n),
                WITHHELD if hide else protect(f["mean_change"], n),
            )
        )
    return rows


def _categories(report: dict) -> dict[str, Figure]:
    n = report["outcomes"]["n"]
    return {key: protect(report["outcomes"][key], n) for key in CATEGORIES}


def build_dashboard(
    service: Service,
    period: Period,
    *,
    team_id: int | None = None,
    helper_id: int | None = None,
    units: list[Unit] | None = None,
    trend_from: datetime.date | None = None,
    instruments: list[Instrument] | None = None,
    refresh: bool = True,
) -> Dashboard:
    """Every figure of one dashboard page, protected, in a fixed number of queries.

    Trends run from the start of the previous period (or `trend_from`) to the period's end;
    quarters are whole quarters. A caller that has just taken in pending changes itself (to
    know the facts' generation, see `freshness`) passes `refresh=False`.
    """
    scope = Scope(service.pk, period.start, period.end, team_id, helper_id)
    before = period.previous()
    if instruments is None:
        instruments = list(Instrument.objects.all())
    if units is None:
        units = comparison_units(service, scope)
    trend_start = min(trend_from or before.start, before.start)
    quarters = month_starts(trend_start, period.end, 3)
    result = collect(
        Request(
            service.pk,
            {"current": (period.start, period.end), "previous": (before.start, before.end)},
            team_id,
            helper_id,
            trend=(quarters[0], period.end),
            units=tuple(sorted({unit.kind for unit in units})),
            comparison=(period.start, period.end),
            reference_end=period.end,
        ),
        instruments,
        refresh=refresh,
    )
    reference = reference_line(result.reference)
    now, then = result.periods["current"], result.periods["previous"]
    current = _with_alliance_clients(report_figures(now, reference), now)
    prior = _with_alliance_clients(report_figures(then, reference), then)
    shown = [period, before]
    months = _trend(
        month_starts(trend_start, period.end),
        result.months,
        _month_point,
        _month_bases,
        MONTH_BASES,
        1,
        shown,
    )
    intake_n = current["new_intakes"]["n"]
    bins = current["new_intakes"]["histogram"]
    return Dashboard(
        service=service,
        scope=scope,
        period=period,
        previous_period=before,
        rows=_rows(current, prior),
        categories={"current": _categories(current), "previous": _categories(prior)},
        outcome_n=protect_count(current["outcomes"]["n"]),
        previous_outcome_n=protect_count(prior["outcomes"]["n"]),
        intake_bins=(
            protect_counts(bins) if intake_n >= MINIMUM else [protect(None, intake_n)] * BINS
        ),
        intake_n=protect_count(intake_n),
        months=months,
        quarters=_trend(
            quarters, result.quarters, _quarter_point, _quarter_bases, QUARTER_BASES, 3, shown
        ),
        units=_unit_rows(units, result, reference),
        reference=reference,
        report=current,
        previous_report=prior,
        left_out={"current": _left_out(current), "previous": _left_out(prior)},
        clinical=_clinical(current),
        clinical_withheld=clinical_gives_away(current),
        collateral=_collateral(collateral_figures(result.collateral.get("current", {}))),
    )


def in_language(dashboard: Dashboard) -> Dashboard:
    """The dashboard with its labels translated now, as plain strings, to be kept (see
    `freshness`) for readers of the current language: a lazy label costs far more to store and
    read back, as each one is made into a class of its own again when it is read."""
    return replace(
        dashboard,
        rows=[replace(row, label=str(row.label)) for row in dashboard.rows],
        left_out={
            key: [replace(row, label=str(row.label)) for row in rows]
            for key, rows in dashboard.left_out.items()
        },
        collateral=[replace(row, label=str(row.label)) for row in dashboard.collateral],
    )


def alliance_basis(clients: int, ratings: int) -> int:
    """What alliance figures rest on: the clients seen, and no more than the SRS ratings.

    Ratings are summed per day, team and helper (see `queries._ratings`), which cannot count
    distinct raters; requiring both five clients seen and five SRS ratings is the closest test
    those sums allow.
    """
    return min(clients, ratings)


def _with_alliance_clients(report: dict, raw: dict) -> dict:
    basis = alliance_basis(raw.get("clients") or 0, raw.get("srs_n") or 0)
    report["alliance"] = {**report["alliance"], "clients": basis}
    return report


def bin_labels() -> list[str]:
    return [f"{i * BIN_WIDTH}–{(i + 1) * BIN_WIDTH}" for i in range(BINS)]
