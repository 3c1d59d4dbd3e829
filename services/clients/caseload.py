"""The helper's caseload: one row per open episode, built in a constant number of queries."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet

from services.ratings.series import SessionRecord, episode_series, intake_and_latest

from .models import Episode


@dataclass
class CaseloadRow:
    episode: Episode
    records: list[SessionRecord]
    intake: Decimal | None
    latest: Decimal | None
    latest_srs: Decimal | None
    signals: tuple[str, ...] = field(default_factory=tuple)

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


def caseload_rows(episodes: QuerySet[Episode]) -> list[CaseloadRow]:
    episodes = list(episodes.select_related("client", "team"))
    series = episode_series(episode.pk for episode in episodes)
    rows = []
    for episode in episodes:
        records = series[episode.pk]
        intake, latest = intake_and_latest(records)
        srs = [record.srs for record in records if record.srs is not None]
        rows.append(
            CaseloadRow(
                episode=episode,
                records=records,
                intake=intake,
                latest=latest,
                latest_srs=srs[-1] if srs else None,
            )
        )
    return rows
