"""Why each signal was raised, in words and numbers the helper can check against the chart.

A signal title ("Talk about the collaboration") says what to do; the detail says which rule fired
and with which numbers ("SRS 34,0 is below the threshold 36"), so a helper can judge whether the
prompt fits this client. The facts come from the same rule functions as the signals
(`services.measures.signals`), so the words never disagree with the badge.

Pure: records and rules in, translated text out. Numbers follow the active language's format
(decimal comma in Norwegian); scores always show one decimal, thresholds as configured.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from .definitions import AllianceRule, Norms
from .signals import RatedSession, Signal, alliance_findings
from .trajectory import Trajectory, expected

TENTH = Decimal("0.1")


def score_text(value: Decimal | float) -> str:
    """A score with one decimal, rounded half up (number_format alone would cut it off)."""
    rounded = Decimal(str(value)).quantize(TENTH, rounding=ROUND_HALF_UP)
    return number_format(rounded, decimal_pos=1)


def limit_text(value: Decimal | float) -> str:
    """A configured threshold as written: 36, not 36,0; 4,3 stays 4,3."""
    number = Decimal(str(value))
    if number == number.to_integral_value():
        return number_format(int(number))
    return number_format(number.normalize())


@dataclass(frozen=True)
class EpisodeRules:
    """One episode's sessions (in order) and the rules they were judged by."""

    records: Sequence[RatedSession]
    norms: Norms | None
    alliance: AllianceRule | None
    model: Trajectory | None
    item_labels: Mapping[str, str]

    @property
    def rated(self) -> list[RatedSession]:
        return [record for record in self.records if record.ors is not None]


def _deteriorated(episode: EpisodeRules) -> str:
    rated = episode.rated
    intake, latest = Decimal(str(rated[0].ors)), Decimal(str(rated[-1].ors))
    return _(
        "ORS %(latest)s is %(difference)s below the intake %(intake)s (reliable change %(rc)s)"
    ) % {
        "latest": score_text(latest),
        "difference": score_text(intake - latest),
        "intake": score_text(intake),
        "rc": limit_text(episode.norms.reliable_change),
    }


def _off_track(episode: EpisodeRules) -> str:
    rated = episode.rated
    intake, latest = rated[0], rated[-1]
    band = expected(episode.model, float(intake.ors), latest.number - intake.number + 1)
    numbers = {
        "score": score_text(latest.ors),
        "session": latest.number,
        "low": score_text(band.low),
        "high": score_text(band.high),
        "lowest": score_text(band.lowest),
    }
    if float(latest.ors) < band.lowest:
        return (
            _(
                "ORS %(score)s at session %(session)s is below the expected range "
                "(%(low)s–%(high)s) and below %(lowest)s, where only 1 in 10 clients with a "
                "similar intake are"
            )
            % numbers
        )
    return (
        _("ORS %(score)s at session %(session)s is below the expected range (%(low)s–%(high)s)")
        % numbers
    )


def _item_label(position: int, key: str | None, labels: Mapping[str, str]) -> str:
    if key is not None and key in labels:
        return labels[key]
    if key is None and position < len(labels):
        return list(labels.values())[position]
    return _("Item %(number)s") % {"number": position + 1}


def _alliance(episode: EpisodeRules) -> str:
    alliance = episode.alliance
    findings = alliance_findings(episode.records, alliance)
    if findings is None:
        return ""
    reasons = []
    if findings.below_threshold:
        reasons.append(
            _("SRS %(score)s is below the threshold %(threshold)s")
            % {"score": score_text(findings.latest), "threshold": limit_text(alliance.threshold)}
        )
    for position, key, score in findings.low_items:
        reasons.append(
            _("“%(item)s” %(score)s is below %(threshold)s")
            % {
                "item": _item_label(position, key, episode.item_labels),
                "score": score_text(score),
                "threshold": limit_text(alliance.item_threshold),
            }
        )
    if findings.dropped:
        reasons.append(
            _("SRS dropped %(difference)s points (%(previous)s → %(latest)s)")
            % {
                "difference": score_text(findings.previous - findings.latest),
                "previous": score_text(findings.previous),
                "latest": score_text(findings.latest),
            }
        )
    return "; ".join(reasons)


def _no_change(episode: EpisodeRules) -> str:
    rated = episode.rated
    intake, latest = rated[0], rated[-1]
    return _(
        "ORS %(latest)s at session %(session)s differs by %(difference)s from the intake "
        "%(intake)s, less than the reliable change %(rc)s"
    ) % {
        "latest": score_text(latest.ors),
        "session": latest.number,
        "difference": score_text(abs(Decimal(str(latest.ors)) - Decimal(str(intake.ors)))),
        "intake": score_text(intake.ors),
        "rc": limit_text(episode.norms.reliable_change),
    }


def _missing(episode: EpisodeRules) -> str:
    last = episode.records[-1]
    no_srs = episode.alliance is not None and last.srs is None
    if last.ors is None and no_srs:
        text = _("Session %(session)s has neither ORS nor SRS from the client")
    elif last.ors is None:
        text = _("Session %(session)s has no ORS from the client")
    else:
        text = _("Session %(session)s has no SRS from the client")
    return text % {"session": last.number}


def _above_cutoff(episode: EpisodeRules) -> str:
    return _("Intake ORS %(intake)s is at or above the cutoff %(cutoff)s") % {
        "intake": score_text(episode.rated[0].ors),
        "cutoff": limit_text(episode.norms.cutoff),
    }


DETAILS: dict[Signal, Callable[[EpisodeRules], str]] = {
    Signal.DETERIORATED: _deteriorated,
    Signal.OFF_TRACK: _off_track,
    Signal.ALLIANCE: _alliance,
    Signal.NO_CHANGE: _no_change,
    Signal.MISSING: _missing,
    Signal.ABOVE_CUTOFF_AT_INTAKE: _above_cutoff,
}


def signal_details(
    signals: Iterable[Signal],
    records: Iterable[RatedSession],
    norms: Norms | None,
    alliance: AllianceRule | None,
    model: Trajectory | None,
    item_labels: Mapping[str, str] | None = None,
) -> dict[Signal, str]:
    """For each raised signal (from `episode_signals` with the same inputs), which rule fired
    and with which numbers.

    `norms` and `model` are needed only for the ORS rules ("rating missing" alone needs
    neither). `item_labels` maps the alliance form's item keys to their labels in the reader's
    language, so a low item is named as the client saw it.
    """
    episode = EpisodeRules(
        records=sorted(records, key=lambda record: record.number),
        norms=norms,
        alliance=alliance,
        model=model,
        item_labels=item_labels or {},
    )
    return {signal: DETAILS[signal](episode) for signal in signals}
