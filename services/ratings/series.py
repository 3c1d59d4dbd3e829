"""Each episode's sessions with the client's own ratings, as plain records for rules and charts.

Two queries for any number of episodes, so the caseload and the client page cost the same
whatever their size.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from services.measures.models import Purpose
from services.sessions.models import Session

from .models import Rater, Rating


@dataclass(frozen=True)
class SessionRecord:
    session_id: int
    number: int
    date: datetime.date
    ors: Decimal | None = None
    srs: Decimal | None = None
    ors_items: dict[str, Decimal] | None = None
    srs_items: dict[str, Decimal] | None = None
    ors_instrument_id: int | None = None
    srs_instrument_id: int | None = None


def _items(raw: dict | None) -> dict[str, Decimal] | None:
    return None if raw is None else {key: Decimal(value) for key, value in raw.items()}


def episode_series(episode_ids: Iterable[int]) -> dict[int, list[SessionRecord]]:
    """Sessions in order, each with the client's ORS and SRS (None where not rated)."""
    ids = list(episode_ids)
    sessions = Session.objects.filter(episode_id__in=ids).order_by("episode_id", "number")
    ratings = Rating.objects.filter(session__episode_id__in=ids, rater=Rater.CLIENT).values(
        "session_id", "purpose", "total", "items", "instrument_id"
    )
    by_session: dict[int, dict] = defaultdict(dict)
    for rating in ratings:
        prefix = "ors" if rating["purpose"] == Purpose.OUTCOME else "srs"
        by_session[rating["session_id"]].update(
            {
                prefix: rating["total"],
                f"{prefix}_items": _items(rating["items"]),
                f"{prefix}_instrument_id": rating["instrument_id"],
            }
        )
    series: dict[int, list[SessionRecord]] = {episode_id: [] for episode_id in ids}
    for session_id, episode_id, number, date in sessions.values_list(
        "pk", "episode_id", "number", "date"
    ):
        series[episode_id].append(
            SessionRecord(session_id, number, date, **by_session.get(session_id, {}))
        )
    return series


def intake_and_latest(records: list[SessionRecord]) -> tuple[Decimal | None, Decimal | None]:
    """The first and the latest client ORS of an episode (None where there is none)."""
    scores = [record.ors for record in records if record.ors is not None]
    if not scores:
        return None, None
    return scores[0], scores[-1]
