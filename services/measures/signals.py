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
from .trajectory import RED, ZONES, Trajectory, off_track_zone


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
        "by more than measurement error since the previous SRS."
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
    off_track_alert: which off-track level raises the signal: "red" (below the 10th percentile
    of the expected change, the default) or "orange" (below the 25th). In benchmarks/alerts.py
    red flags under 1 % of clients on the expected course (5 % with ratings twice as noisy) and
    catches about a third of those not helped; orange catches about 70 % but flags 5–12 % of
    clients on course (38–45 % with noisier ratings). Clients who are not improving are also
    prompted by "no reliable change yet". The chart always shows both levels.
    """

    off_track_from_session: int = 3
    no_change_by_session: int = 4
    off_track_alert: str = RED


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


def off_track_level(
    records: Sequence[RatedSession], model: Trajectory | None, rules: SignalRules
) -> str | None:
    """How far the latest ORS, from session `off_track_from_session` on, is below the expected
    range: "red" below its 10th percentile, "orange" below its 25th, else None.

    Without a model (an age group with no sensible expected trajectory) there is no level.
    """
    rated = _ors_sessions(records)
    if model is None or len(rated) < 2:
        return None
    intake, latest = rated[0], rated[-1]
    n = _session_from_intake(latest, intake)
    if n < rules.off_track_from_session:
        return None
    return off_track_zone(model, float(intake.ors), n, float(latest.ors))


def is_off_track(
    records: Sequence[RatedSession], model: Trajectory | None, rules: SignalRules
) -> bool:
    """The off-track level reaches the service's alert level: "orange" raises on orange or red,
    "red" only on red."""
    level = off_track_level(records, model, rules)
    alert = rules.off_track_alert if rules.off_track_alert in ZONES else RED
    return level is not None and ZONES.index(level) >= ZONES.index(alert)


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
) -> list[tuple[int, str | None, Decimal]]:
    """(position, key, score) of each answered item; key None for a plain sequence."""
    if items is None:
        return []
    pairs = items.items() if isinstance(items, Mapping) else ((None, value) for value in items)
    return [
        (position, key, _decimal(value))
        for position, (key, value) in enumerate(pairs)
        if value is not None
    ]


@dataclass(frozen=True)
class AllianceFindings:
    """What the alliance rule found in the latest SRS, for the signal and its explanation.

    `low_items` are (position, key, score) of the items below the item threshold, in the form's
    order; `key` is None for items given as a plain sequence.
    """

    latest: Decimal
    previous: Decimal | None
    below_threshold: bool
    low_items: tuple[tuple[int, str | None, Decimal], ...]
    dropped: bool

    @property
    def raised(self) -> bool:
        return self.below_threshold or bool(self.low_items) or self.dropped


def alliance_findings(
    records: Sequence[RatedSession], rule: AllianceRule | None
) -> AllianceFindings | None:
    """Judge the latest SRS by each part of the alliance rule; None without an SRS or a rule.

    The drop compares with the previous SRS given (sessions without one are skipped) and must
    reach `rule.drop`, which exceeds measurement error by default (docs/measures.md).
    """
    if rule is None:
        return None
    rated = [record for record in records if record.srs is not None]
    if not rated:
        return None
    latest = _decimal(rated[-1].srs)
    previous = _decimal(rated[-2].srs) if len(rated) > 1 else None
    low_items = ()
    if rule.item_threshold is not None:
        low_items = tuple(
            (position, key, score)
            for position, key, score in _item_scores(rated[-1].srs_items)
            if score < rule.item_threshold
        )
    return AllianceFindings(
        latest=latest,
        previous=previous,
        below_threshold=latest < rule.threshold,
        low_items=low_items,
        dropped=previous is not None and previous - latest >= rule.drop,
    )


def needs_alliance_talk(records: Sequence[RatedSession], rule: AllianceRule | None) -> bool:
    """The latest SRS is below the threshold, has an item below the item threshold, or dropped
    by `rule.drop` or more since the previous SRS.

    A total-only (paper) SRS has no items, so only its total and the drop are checked.
    """
    findings = alliance_findings(records, rule)
    return findings is not None and findings.raised


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
    model: Trajectory | None,
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
