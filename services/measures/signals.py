"""Signals for the helper: when an episode's ratings call for a conversation.

A signal is a prompt to talk with the client, never a verdict; the rules are deliberately
simple so a helper can check them by eye on the chart. Thresholds come from the client's norms
(cutoff, reliable change), the alliance instrument's rule and `SignalRules`, never from
literals here, because services weigh them differently.

Sessions are counted from the intake rating, as in the expected trajectory (`trajectory.py`).
"""

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Protocol

from django.utils.translation import gettext_lazy as _

from .definitions import AllianceRule, Norms
from .scoring import OutcomeCategory, change_category
from .trajectory import Trajectory, expected


class Signal(StrEnum):
    """Signal keys, declared from the most to the least severe."""

    DETERIORATED = "deteriorated"
    OFF_TRACK = "off_track"
    ALLIANCE = "alliance"
    NO_CHANGE = "no_change"
    MISSING = "missing"
    ABOVE_CUTOFF_AT_INTAKE = "above_cutoff_at_intake"


SEVERITY = tuple(Signal)

TITLES = {
    Signal.DETERIORATED: _("Reliable deterioration"),
    Signal.OFF_TRACK: _("Below the expected range"),
    Signal.ALLIANCE: _("Talk about the collaboration"),
    Signal.NO_CHANGE: _("No reliable change yet"),
    Signal.MISSING: _("Rating missing in the last session"),
    Signal.ABOVE_CUTOFF_AT_INTAKE: _("Started above the cutoff"),
}

EXPLANATIONS = {
    Signal.DETERIORATED: _(
        "The latest ORS is lower than the intake by at least the reliable change."
    ),
    Signal.OFF_TRACK: _(
        "The latest ORS is below the range expected at this session for clients with a "
        "similar intake."
    ),
    Signal.ALLIANCE: _(
        "The latest SRS is below the alliance threshold, an item is low, or the score dropped "
        "since the previous session."
    ),
    Signal.NO_CHANGE: _("No reliable change from the intake score after several sessions."),
    Signal.MISSING: _("The last session has no ORS or no SRS from the client."),
    Signal.ABOVE_CUTOFF_AT_INTAKE: _(
        "The intake score was at or above the cutoff: explore what the client wants help with."
    ),
}


@dataclass(frozen=True)
class SignalRules:
    """When the session-dependent signals start; per service later, defaults for now.

    off_track_from_session: the first session (counted from intake) compared with the
    expected range; earlier, one rating says too little.
    no_change_by_session: by this session, no reliable change is worth a conversation.
    """

    off_track_from_session: int = 3
    no_change_by_session: int = 4


class RatedSession(Protocol):
    """What the rules read from a session; `services.ratings.series.SessionRecord` fits."""

    @property
    def number(self) -> int: ...

    @property
    def ors(self) -> Decimal | float | None: ...

    @property
    def srs(self) -> Decimal | float | None: ...

    @property
    def srs_items(self) -> Mapping[str, Decimal | float] | Sequence[Decimal | float] | None: ...


@dataclass(frozen=True)
class SessionScores:
    """A plain session record for callers that have no `SessionRecord` at hand."""

    number: int
    date: datetime.date | None = None
    ors: Decimal | float | None = None
    srs: Decimal | float | None = None
    srs_items: Mapping[str, Decimal | float] | Sequence[Decimal | float] | None = None


def _decimal(value: Decimal | float) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _ors_sessions(records: Sequence[RatedSession]) -> list[RatedSession]:
    return [record for record in records if record.ors is not None]


def _session_from_intake(record: RatedSession, intake: RatedSession) -> int:
    return record.number - intake.number + 1


def is_deteriorated(records: Sequence[RatedSession], norms: Norms) -> bool:
    """A reliable drop from intake to the latest ORS: intake − latest >= RCI."""
    rated = _ors_sessions(records)
    if len(rated) < 2:
        return False
    category = change_category(_decimal(rated[0].ors), _decimal(rated[-1].ors), norms)
    return category == OutcomeCategory.DETERIORATED


def is_off_track(records: Sequence[RatedSession], model: Trajectory, rules: SignalRules) -> bool:
    """The latest ORS, from session `off_track_from_session` on, is below the expected band."""
    rated = _ors_sessions(records)
    if len(rated) < 2:
        return False
    intake, latest = rated[0], rated[-1]
    n = _session_from_intake(latest, intake)
    if n < rules.off_track_from_session:
        return False
    _, low, _ = expected(model, float(intake.ors), n)
    return float(latest.ors) < low


def is_without_change(records: Sequence[RatedSession], norms: Norms, rules: SignalRules) -> bool:
    """By session `no_change_by_session`, the latest ORS is within the reliable change of intake.

    A reliable drop is not "no change": it is the deterioration signal instead.
    """
    rated = _ors_sessions(records)
    if len(rated) < 2:
        return False
    intake, latest = rated[0], rated[-1]
    if _session_from_intake(latest, intake) < rules.no_change_by_session:
        return False
    category = change_category(_decimal(intake.ors), _decimal(latest.ors), norms)
    return category == OutcomeCategory.UNCHANGED


def _item_scores(
    items: Mapping[str, Decimal | float] | Sequence[Decimal | float] | None,
) -> list[Decimal]:
    if items is None:
        return []
    values = items.values() if isinstance(items, Mapping) else items
    return [_decimal(value) for value in values if value is not None]


def needs_alliance_talk(records: Sequence[RatedSession], rule: AllianceRule | None) -> bool:
    """The latest SRS is below the threshold, has an item below the item threshold, or dropped
    by `rule.drop` or more since the previous SRS.

    A total-only (paper) SRS has no items, so only its total and the drop are checked.
    """
    if rule is None:
        return False
    rated = [record for record in records if record.srs is not None]
    if not rated:
        return False
    latest = _decimal(rated[-1].srs)
    if latest < rule.threshold:
        return True
    if rule.item_threshold is not None and any(
        score < rule.item_threshold for score in _item_scores(rated[-1].srs_items)
    ):
        return True
    return len(rated) > 1 and _decimal(rated[-2].srs) - latest >= rule.drop


def is_missing(records: Sequence[RatedSession], rule: AllianceRule | None) -> bool:
    """The last session lacks the client's ORS, or their SRS where an alliance form is used."""
    if not records:
        return False
    last = records[-1]
    return last.ors is None or (rule is not None and last.srs is None)


def started_above_cutoff(records: Sequence[RatedSession], norms: Norms) -> bool:
    """The intake ORS is at or above the cutoff: a prompt to explore, not a verdict."""
    rated = _ors_sessions(records)
    return bool(rated) and _decimal(rated[0].ors) >= norms.cutoff


def episode_signals(
    records: Iterable[RatedSession],
    norms: Norms,
    alliance: AllianceRule | None,
    model: Trajectory,
    rules: SignalRules | None = None,
) -> tuple[Signal, ...]:
    """The signals an episode raises now, most severe first (the order of `Signal`).

    `records` are the episode's sessions (any order; sorted by number here) with the client's
    own ORS and SRS totals, None where not rated; `norms` are the client's age group's.
    """
    rules = rules or SignalRules()
    ordered = sorted(records, key=lambda record: record.number)
    raised = {
        Signal.DETERIORATED: is_deteriorated(ordered, norms),
        Signal.OFF_TRACK: is_off_track(ordered, model, rules),
        Signal.ALLIANCE: needs_alliance_talk(ordered, alliance),
        Signal.NO_CHANGE: is_without_change(ordered, norms, rules),
        Signal.MISSING: is_missing(ordered, alliance),
        Signal.ABOVE_CUTOFF_AT_INTAKE: started_above_cutoff(ordered, norms),
    }
    return tuple(signal for signal in SEVERITY if raised[signal])
