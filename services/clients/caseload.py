"""The helper's caseload: one row per open episode, built in a constant number of queries."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet
from django.utils.safestring import SafeString, mark_safe

from services.charts.data import ChartData, ChartPoint
from services.charts.sparkline import sparkline
from services.measures.signals import SEVERITY, TITLES, Signal
from services.ratings.series import SessionRecord, episode_series, intake_and_latest

from .models import Episode
from .progress import load_rules, signals_for
from .signal_details import details_for


@dataclass
class CaseloadRow:
    episode: Episode
    records: list[SessionRecord]
    intake: Decimal | None
    latest: Decimal | None
    latest_srs: Decimal | None
    signals: tuple[Signal, ...] = field(default_factory=tuple)
    details: dict[Signal, str] = field(default_factory=dict)

    @property
    def sessions(self) -> int:
        return len(self.records)

    @property
    def last_session(self) -> datetime.date | None:
        return self.records[-1].date if self.records else None

    @property
    def change(self) -> Decimal | None:
        if self.intake is None or self.latest is None or len(self.ors_scores) < 2:
            return None
        return self.latest - self.intake

    @property
    def ors_scores(self) -> list[Decimal]:
        return [record.ors for record in self.records if record.ors is not None]

    @property
    def severity(self) -> int:
        """Rank for "signals first": the most severe signal decides, then how many."""
        if not self.signals:
            return len(SEVERITY) * 10
        return SEVERITY.index(self.signals[0]) * 10 - len(self.signals)

    @property
    def badges(self) -> list[tuple[str, str, str]]:
        """(key, title, which rule fired with which numbers) for each signal."""
        return [
            (signal.value, str(TITLES[signal]), self.details.get(signal, ""))
            for signal in self.signals
        ]

    @property
    def sparkline(self) -> SafeString:
        forms = list(dict.fromkeys(r.ors_instrument_id for r in self.records if r.ors is not None))
        points = tuple(
            ChartPoint(
                session=r.number,
                ors=r.ors,
                series=forms.index(r.ors_instrument_id) if r.ors is not None else 0,
            )
            for r in self.records
        )
        return mark_safe(sparkline(ChartData(points=points)).decode())  # our own SVG


def caseload_rows(episodes: QuerySet[Episode]) -> list[CaseloadRow]:
    """Rows with signals, in a fixed number of queries for any number of episodes."""
    episodes = list(episodes.select_related("client", "team"))
    series = episode_series(episode.pk for episode in episodes)
    rules = load_rules({episode.service_id for episode in episodes})
    rows = []
    for episode in episodes:
        records = series[episode.pk]
        intake, latest = intake_and_latest(records)
        srs = [record.srs for record in records if record.srs is not None]
        signals = signals_for(records, episode.service_id, rules)
        rows.append(
            CaseloadRow(
                episode=episode,
                records=records,
                intake=intake,
                latest=latest,
                latest_srs=srs[-1] if srs else None,
                signals=signals,
                details=details_for(records, episode.service_id, rules, signals),
            )
        )
    return rows
