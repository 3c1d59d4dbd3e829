"""What a supervision group sees of a client: a snapshot frozen when the case is shared.

`take` reads the episode as the client page does (`clients.progress`) and keeps only numbers
and keys: each session's number, the weeks since the episode started (never a date), the
client's ORS and SRS totals and which form series the ORS belongs to, the norms and the expected
trajectory the chart draws, the signals' keys, a closed episode's outcome category and the age
group. Never the client's code or name, the episode's code, a date, the goals, the collateral
raters (whose names may be written in) or anything the client wrote: a test seeds all of them.

`chart_data` turns a snapshot back into the chart's input, with every word in the reader's
language, so the case page draws it with the client page's own drawing (`progress_chart`).
"""

from decimal import Decimal

from django.utils.translation import gettext as _

from services.charts.data import ChartData, ChartLabels, ChartPoint, ExpectedPoint, SignalMarker
from services.clients.final_outcome import TITLES as OUTCOME_TITLES
from services.clients.final_outcome import final_outcome
from services.clients.models import Episode
from services.clients.progress import chart_data as episode_chart_data
from services.clients.progress import helper_chart_words, load_rules, model_version, signals_for
from services.measures.age_groups import AgeGroup
from services.measures.signals import EXPLANATIONS, TITLES, Signal
from services.ratings.series import current_series, episode_series

VERSION = 1


def _score(value) -> str | None:
    """A score as its exact text ("15.2"), so nothing is rounded twice."""
    return None if value is None else str(value)


def _expected(value) -> float | None:
    return None if value is None else round(float(value), 3)


def take(episode: Episode) -> dict:
    """The episode as the group will see it (see the module's note for what is left out)."""
    records = episode_series([episode.pk])[episode.pk]
    rules = load_rules([episode.service_id])
    signals = signals_for(records, episode.service_id, rules) if episode.is_open else ()
    # No collateral raters and no goals: their labels and wordings are free text.
    data = episode_chart_data(records, episode.service_id, rules, signals)
    outcome = None if episode.is_open else final_outcome(records, rules.forms)
    series = current_series(records)
    age_group = (series[0].ors_age_group if series else None) or episode.client.age_group
    return {
        "version": VERSION,
        "age_group": age_group,
        "open": episode.is_open,
        "sessions": [
            {
                "number": point.session,
                "week": max(0, (record.date - episode.start_date).days // 7),
                "ors": _score(point.ors),
                "srs": _score(point.srs),
                "series": point.series,
            }
            for point, record in zip(data.points, records, strict=True)
        ],
        "cutoff": _score(data.cutoff),
        "reliable_change": _score(data.reliable_change),
        "alliance_threshold": _score(data.alliance_threshold),
        "max_total": _score(data.max_total),
        "expected": [
            [row.session, *(_expected(v) for v in (row.median, row.low, row.high, row.lowest))]
            for row in data.expected
        ],
        "signals": [signal.value for signal in signals],
        "outcome": outcome.key if outcome is not None else "",
        "model": model_version(records, episode.service_id, rules),
    }


def _decimal(value) -> Decimal | None:
    return None if value is None else Decimal(value)


def labels() -> ChartLabels:
    """The helper chart's words (the client page's own), in the reader's language."""
    return helper_chart_words(_("Shared for supervision: sessions by number, without dates."))


def chart_data(snapshot: dict) -> ChartData:
    sessions = snapshot.get("sessions", [])
    last = sessions[-1]["number"] if sessions else 1
    return ChartData(
        points=tuple(
            ChartPoint(
                session=row["number"],
                ors=_decimal(row["ors"]),
                srs=_decimal(row["srs"]),
                series=row["series"],
            )
            for row in sessions
        ),
        cutoff=_decimal(snapshot.get("cutoff")),
        reliable_change=_decimal(snapshot.get("reliable_change")),
        expected=tuple(ExpectedPoint(*row) for row in snapshot.get("expected", [])),
        signals=tuple(
            SignalMarker(last, key, str(TITLES[Signal(key)])) for key in signals_of(snapshot)
        ),
        alliance_threshold=_decimal(snapshot.get("alliance_threshold")),
        labels=labels(),
        max_total=_decimal(snapshot.get("max_total")) or 40,
    )


def signals_of(snapshot: dict) -> list[str]:
    """The snapshot's signal keys that this version of the app still knows."""
    known = {signal.value for signal in Signal}
    return [key for key in snapshot.get("signals", []) if key in known]


def described_signals(snapshot: dict) -> list[tuple[str, str, str]]:
    """(key, title, explanation) for each signal, in the reader's language."""
    return [
        (key, str(TITLES[Signal(key)]), str(EXPLANATIONS[Signal(key)]))
        for key in signals_of(snapshot)
    ]


def outcome_title(snapshot: dict) -> str:
    key = snapshot.get("outcome", "")
    return str(OUTCOME_TITLES[key]) if key in OUTCOME_TITLES else ""


def age_group_label(snapshot: dict) -> str:
    value = snapshot.get("age_group", "")
    return str(AgeGroup(value).label) if value in AgeGroup.values else ""
