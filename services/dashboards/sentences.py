"""Plain sentences that lead the leaders' figures, for readers who are not statisticians.

A leader should be able to read the dashboard in two minutes (issue #16): each figure opens
with one sentence in everyday words ("about 7 in 10 got clearly better"), and every figure
says what it counts and, where it is too few to show, how many it takes. Effect sizes,
intervals and methods are left to the folded "how it is calculated" sections.

Pure functions: protected figures (`suppression.Figure`) in, a string in the active language
out. Nothing here reads the database or keeps a string across languages, so a page kept for
one language (see `freshness`) never carries another's sentences: callers translate at render.
"Clearly better" and "clearly worse" are reliable improvement and deterioration (a change
larger than the form's reliable change index); they include the recovered.
"""

import math

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .statistics import SAES_MINIMUM_REFERENCE, Band, saes_band
from .suppression import MINIMUM, Figure
from .templatetags.dashboard import number


def in_ten(share: float, total: int | None = None) -> str:
    """A share as a natural frequency, used as the subject of a sentence: "about 7 in 10".

    Rounded to whole tenths; never rounded to "none" or "all" when it is not exactly that.
    Of fewer than ten ("8 in 10" of five people reads as more people than there are), the
    number itself: "4 of 5", no more than the share and its base shown beside it already say.
    """
    if share <= 0:
        return _("none")
    if share >= 1:
        return _("all")
    if total and total < 10:
        return _("%(count)d of %(total)d") % {"count": round(share * total), "total": total}
    tenths = math.floor(share * 10 + 0.5)
    if tenths < 1:
        return _("fewer than 1 in 10")
    if tenths > 9:
        return _("more than 9 in 10")
    if math.isclose(share * 10, tenths):
        return _("%(count)d in 10") % {"count": tenths}
    return _("about %(count)d in 10") % {"count": tenths}


def count(n: int) -> str:
    """A count in the reader's locale (thousands grouped): 1 128."""
    return number(n, "count")


# What a figure counts, by the count it rests on: each takes the number of them.
COUNTED = {
    "clients": lambda n: ngettext(
        "%(n)s client with at least one session", "%(n)s clients with at least one session", n
    ),
    "sessions": lambda n: ngettext("of %(n)s session", "of %(n)s sessions", n),
    "new": lambda n: ngettext(
        "of %(n)s new episode with an ORS at the start",
        "of %(n)s new episodes with an ORS at the start",
        n,
    ),
    "outcome": lambda n: ngettext(
        "of %(n)s closed episode with at least two ratings",
        "of %(n)s closed episodes with at least two ratings",
        n,
    ),
    "clinical": lambda n: ngettext(
        "of %(n)s closed episode that started below the cutoff",
        "of %(n)s closed episodes that started below the cutoff",
        n,
    ),
    "closed": lambda n: ngettext("of %(n)s closed episode", "of %(n)s closed episodes", n),
    "srs": lambda n: ngettext("of %(n)s SRS rating", "of %(n)s SRS ratings", n),
}

# How many a figure needs before it is shown, by what its small-number rule counts.
NEEDED = {
    "clients": lambda: ngettext(
        "Needs at least %(minimum)d client", "Needs at least %(minimum)d clients", MINIMUM
    ),
    "new": lambda: ngettext(
        "Needs at least %(minimum)d new episode with an ORS",
        "Needs at least %(minimum)d new episodes with an ORS",
        MINIMUM,
    ),
    "outcome": lambda: ngettext(
        "Needs at least %(minimum)d closed episode with at least two ratings",
        "Needs at least %(minimum)d closed episodes with at least two ratings",
        MINIMUM,
    ),
    "clinical": lambda: ngettext(
        "Needs at least %(minimum)d closed episode that started below the cutoff",
        "Needs at least %(minimum)d closed episodes that started below the cutoff",
        MINIMUM,
    ),
    "closed": lambda: ngettext(
        "Needs at least %(minimum)d closed episode",
        "Needs at least %(minimum)d closed episodes",
        MINIMUM,
    ),
    "alliance": lambda: ngettext(
        "Needs at least %(minimum)d client with an SRS rating",
        "Needs at least %(minimum)d clients with an SRS rating",
        MINIMUM,
    ),
}


def counted(kind: str, n: int) -> str:
    """What a figure counts, with how many: "of 105 closed episodes with at least two ratings"."""
    return COUNTED[kind](n) % {"n": count(n)}


def needed(kind: str) -> str:
    """How many a figure takes before it is shown: "Needs at least 5 closed episodes …"."""
    return NEEDED[kind]() % {"minimum": MINIMUM}


def too_few(kind: str) -> str:
    """The plain text for a figure below the small-number rule, saying how many it takes."""
    return _("Too few to show. %(needed)s.") % {"needed": needed(kind)}


def outcome(improved: Figure, deteriorated: Figure) -> str:
    """The answer to "is the service helping?": how many got clearly better, and worse."""
    if improved.suppressed or deteriorated.suppressed:
        return _("Too few to show how many got better or worse. %(needed)s.") % {
            "needed": needed("outcome")
        }
    if not improved.shown or not deteriorated.shown:
        return _("No episode with at least two ratings ended in this period.")
    return ngettext(
        "Of the %(n)s whose episode ended with at least two ratings, %(better)s got clearly "
        "better and %(worse)s got clearly worse.",
        "Of the %(n)s whose episodes ended with at least two ratings, %(better)s got clearly "
        "better and %(worse)s got clearly worse.",
        improved.n or 0,
    ) % {
        "n": count(improved.n or 0),
        "better": in_ten(improved.value, improved.n),
        "worse": in_ten(deteriorated.value, deteriorated.n),
    }


def clinical(improved: Figure) -> str:
    """Those who started below the cutoff, the people published figures are about."""
    if improved.suppressed:
        return _("Too few to show how those who started below the cutoff went. %(needed)s.") % {
            "needed": needed("clinical")
        }
    if not improved.shown:
        return _("No episode that started below the cutoff ended in this period.")
    return _("Of those who started below the cutoff, %(better)s got clearly better.") % {
        "better": in_ten(improved.value, improved.n)
    }


ADJUSTED = {
    Band.SIGNIFICANT_IMPROVEMENT: lambda: _(
        "Taking into account how the clients were doing at the start, they got a lot better "
        "on average."
    ),
    Band.SOME_IMPROVEMENT: lambda: _(
        "Taking into account how the clients were doing at the start, they got somewhat "
        "better on average."
    ),
    Band.NO_CHANGE: lambda: _(
        "Taking into account how the clients were doing at the start, they changed little on "
        "average."
    ),
    Band.SOME_DETERIORATION: lambda: _(
        "Taking into account how the clients were doing at the start, they got somewhat worse "
        "on average."
    ),
    Band.SIGNIFICANT_DETERIORATION: lambda: _(
        "Taking into account how the clients were doing at the start, they got a lot worse on "
        "average."
    ),
}


def adjusted(saes: Figure) -> str:
    """The severity-adjusted effect size in words, by OpenFIT's bands (see `statistics`)."""
    if saes.suppressed:
        return _(
            "Too few to show the change taking into account how clients were doing at the "
            "start. %(needed)s."
        ) % {"needed": needed("clinical")}
    if saes.shown:
        return ADJUSTED[saes_band(saes.value)]()
    if saes.n:  # enough episodes in view, too few in the service to compare them with
        return ngettext(
            "The change taking into account how clients were doing at the start needs at least "
            "%(minimum)d closed episode that started below the cutoff in the whole service.",
            "The change taking into account how clients were doing at the start needs at least "
            "%(minimum)d closed episodes that started below the cutoff in the whole service.",
            SAES_MINIMUM_REFERENCE,
        ) % {"minimum": SAES_MINIMUM_REFERENCE}
    return _("No episode that started below the cutoff ended in this period.")


def activity(clients: Figure, sessions: Figure, closed: Figure) -> str:
    """What the period held: clients, sessions and episodes ended (sessions rest on the
    clients; episodes ended are left out of the sentence where they are too few to show)."""
    if clients.suppressed:
        return _("Too few clients in this period to show figures. %(needed)s.") % {
            "needed": needed("clients")
        }
    if not clients.value or not sessions.shown:
        return _("No clients came to a session in this period.")
    parts = {"clients": count(clients.value), "sessions": count(sessions.value)}
    if not closed.shown:
        return (
            ngettext(
                "%(clients)s client came to %(sessions)s sessions.",
                "%(clients)s clients came to %(sessions)s sessions.",
                clients.value,
            )
            % parts
        )
    return ngettext(
        "%(clients)s client came to %(sessions)s sessions, and %(closed)s episodes ended.",
        "%(clients)s clients came to %(sessions)s sessions, and %(closed)s episodes ended.",
        clients.value,
    ) % {**parts, "closed": count(closed.value)}


def compared_with_before(current: Figure, previous: Figure) -> str:
    """The share clearly better this period beside the previous period's."""
    if current.suppressed:
        return too_few("outcome")
    if not current.shown:
        return _("No episode with at least two ratings ended in this period.")
    now = number(current.value, "percent")
    if not previous.shown:
        return _(
            "This period %(now)s got clearly better; the previous period has too few to compare."
        ) % {"now": now}
    return _("This period %(now)s got clearly better, against %(then)s in the previous period.") % {
        "now": now,
        "then": number(previous.value, "percent"),
    }


def intake(below: Figure) -> str:
    """How many new episodes started below the cutoff, like people in treatment."""
    if below.suppressed:
        return _("Too few new episodes with an ORS to show. %(needed)s.") % {
            "needed": needed("new")
        }
    if not below.shown:
        return _("No new episode had an ORS at the start in this period.")
    return _("Of the new episodes, %(share)s started below the cutoff.") % {
        "share": in_ten(below.value, below.n)
    }


def completeness(ors: Figure) -> str:
    """How many sessions had the client's ORS: the figures rest on it."""
    if ors.suppressed:
        return _("Too few to show. %(needed)s.") % {"needed": needed("clients")}
    if not ors.shown:
        return _("No sessions in this period.")
    return _("Of the sessions, %(share)s had an ORS rating from the client.") % {
        "share": in_ten(ors.value)
    }


def alliance(flagged: Figure, dropout: Figure) -> str:
    """SRS below the alliance threshold, and dropout, in one sentence."""
    if not flagged.shown:
        return too_few("alliance") if flagged.suppressed else _("No SRS ratings in this period.")
    values = {"low": in_ten(flagged.value)}
    if not dropout.shown:
        return (
            _(
                "Of the SRS ratings, %(low)s were below the threshold for a good working "
                "relationship."
            )
            % values
        )
    return _(
        "Of the SRS ratings, %(low)s were below the threshold for a good working relationship, "
        "and of the closed episodes, %(dropout)s ended with the client dropping out."
    ) % {**values, "dropout": in_ten(dropout.value, dropout.n)}


# Row key of the key figures → what its value counts, and what its small-number rule counts.
ROW_BASES = {
    "clients": (None, "clients"),
    "new": (None, "new"),
    "closed": (None, "closed"),
    "sessions": (None, "clients"),
    "ors": ("sessions", "clients"),
    "srs": ("sessions", "clients"),
    "intake_mean": ("new", "new"),
    "intake_below": ("new", "new"),
    "improved": ("outcome", "outcome"),
    "deteriorated": ("outcome", "outcome"),
    "effect_size": ("outcome", "outcome"),
    "saes": ("clinical", "clinical"),
    "dropout": ("closed", "closed"),
    "sessions_per_episode": ("closed", "closed"),
    "alliance_mean": ("srs", "alliance"),
    "alliance_flagged": ("srs", "alliance"),
}

ROW_WHAT = {  # what a count row counts, without a number (the value is the number)
    "clients": lambda: _("clients with at least one session in the period"),
    "new": lambda: _("episodes started in the period"),
    "closed": lambda: _("episodes ended in the period"),
    "sessions": lambda: _("sessions held in the period"),
}


def row_counted(key: str, current: Figure, bases: dict[str, Figure]) -> str:
    """The "counted" text of one key figure this period.

    `bases` holds the protected counts the page shows (sessions, new episodes with an ORS,
    outcome episodes, clinical episodes, closed episodes, SRS ratings), so a base is only ever
    named where the page may show it.
    """
    kind, rule = ROW_BASES[key]
    if current.suppressed:
        return needed(rule)
    if kind is None:
        return ROW_WHAT[key]()
    base = bases.get(kind)
    if base is None or not base.shown or not base.value:
        return ""
    return counted(kind, base.value)


# -- goals and offers (issue #17, `goals_offers`) ----------------------------------------------


def episodes_needed() -> str:
    return ngettext(
        "Needs at least %(minimum)d episode with a session in the period",
        "Needs at least %(minimum)d episodes with a session in the period",
        MINIMUM,
    ) % {"minimum": MINIMUM}


def movement_needed() -> str:
    return ngettext(
        "Needs at least %(minimum)d episode with a goal scored at two sessions or more",
        "Needs at least %(minimum)d episodes with a goal scored at two sessions or more",
        MINIMUM,
    ) % {"minimum": MINIMUM}


def goals_set(episodes: Figure, with_goal: Figure) -> str:
    """How many of the episodes in view have a goal in the client's own words."""
    if episodes.suppressed:
        return _(
            "Too few episodes with a session in this period to show goals and offers. %(needed)s."
        ) % {"needed": episodes_needed()}
    if not episodes.value or not with_goal.shown:
        return _("No episode had a session in this period.")
    return ngettext(
        "Of the %(n)s episode with a session in this period, %(share)s had at least one goal in "
        "the client's own words.",
        "Of the %(n)s episodes with a session in this period, %(share)s had at least one goal in "
        "the client's own words.",
        episodes.value,
    ) % {"n": count(episodes.value), "share": in_ten(with_goal.value, episodes.value)}


def goal_movement(movement: Figure) -> str:
    """How far the clients' own goals moved on average, from the first score to the latest."""
    if movement.suppressed:
        return _("Too few to show how the goals moved. %(needed)s.") % {"needed": movement_needed()}
    if not movement.shown:
        return _("No goal has been scored at two sessions or more yet.")
    return _(
        "The goals scored at two sessions or more moved %(points)s points on average on the "
        "scale from 0 to 10, from the first score to the latest."
    ) % {"points": number(movement.value, "points")}


def offers_told(told_peer: Figure, told_any: Figure) -> str:
    """How many of the episodes in view were told about peer and self-help offers, and any."""
    if not told_any.shown:
        return ""
    if not told_any.value:
        return _("No offer was ticked as talked about with these clients.")
    return _(
        "Of the same episodes, %(peer)s were told about a peer or self-help offer, and "
        "%(any)s about at least one offer."
    ) % {
        "peer": in_ten(told_peer.value, told_peer.n),
        "any": in_ten(told_any.value, told_any.n),
    }


def share_counted(part: int | None, episodes: Figure) -> str:
    """Under a share of the episodes in view: "12 of 40 episodes with a session"."""
    if part is None or not episodes.shown or not episodes.value:
        return episodes_needed() if episodes.suppressed else ""
    return ngettext(
        "%(part)s of %(n)s episode with a session in the period",
        "%(part)s of %(n)s episodes with a session in the period",
        episodes.value,
    ) % {"part": count(part), "n": count(episodes.value)}


def movement_counted(movement: Figure, goals: int | None) -> str:
    """Under the goal movement: what it rests on, or how many it needs."""
    if movement.suppressed:
        return movement_needed()
    if not movement.shown or goals is None:
        return ""
    return ngettext(
        "%(goals)s goal scored at two sessions or more, in %(n)s episodes",
        "%(goals)s goals scored at two sessions or more, in %(n)s episodes",
        goals,
    ) % {"goals": count(goals), "n": count(movement.n or 0)}
