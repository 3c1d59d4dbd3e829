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
    ors_age_group: str | None = None
    srs_age_group: str | None = None
    kind: str = "individual"  # a group meeting's session is "group" (services.groups)


@dataclass(frozen=True)
class CollateralRating:
    """An outcome rating by someone other than the client: a parent, a teacher."""

    rater: str
    rater_name: str
    session_number: int
    total: Decimal
    instrument_id: int


def _items(raw: dict | None) -> dict[str, Decimal] | None:
    return None if raw is None else {key: Decimal(value) for key, value in raw.items()}


def episode_series(episode_ids: Iterable[int]) -> dict[int, list[SessionRecord]]:
    """Sessions in order, each with the client's ORS and SRS (None where not rated)."""
    ids = list(episode_ids)
    sessions = Session.objects.filter(episode_id__in=ids).order_by("episode_id", "number")
    ratings = Rating.objects.filter(session__episode_id__in=ids, rater=Rater.CLIENT).values(
        "session_id", "purpose", "total", "items", "instrument_id", "age_group"
    )
    by_session: dict[int, dict] = defaultdict(dict)
    for rating in ratings:
        prefix = "ors" if rating["purpose"] == Purpose.OUTCOME else "srs"
        by_session[rating["session_id"]].update(
            {
                prefix: rating["total"],
                f"{prefix}_items": _items(rating["items"]),
                f"{prefix}_instrument_id": rating["instrument_id"],
                f"{prefix}_age_group": rating["age_group"],
            }
        )
    series: dict[int, list[SessionRecord]] = {episode_id: [] for episode_id in ids}
    for session_id, episode_id, number, date, kind in sessions.values_list(
        "pk", "episode_id", "number", "date", "kind"
    ):
        series[episode_id].append(
            SessionRecord(session_id, number, date, **by_session.get(session_id, {}), kind=kind)
        )
    return series


def collateral_ratings(episode_id: int) -> list[CollateralRating]:
    """One episode's outcome ratings by collateral raters, in session order (one query)."""
    return [
        CollateralRating(*row)
        for row in Rating.objects.filter(session__episode_id=episode_id, purpose=Purpose.OUTCOME)
        .exclude(rater=Rater.CLIENT)
        .order_by("session__number", "rated_at", "pk")
        .values_list("rater", "rater_name", "session__number", "total", "instrument_id")
    ]


def collateral_from(ratings: Iterable[Rating]) -> list[CollateralRating]:
    """The collateral outcome ratings among ratings already read (with their sessions)."""
    chosen = [r for r in ratings if r.purpose == Purpose.OUTCOME and r.rater != Rater.CLIENT]
    chosen.sort(key=lambda r: (r.session.number, r.rated_at, r.pk))
    return [
        CollateralRating(r.rater, r.rater_name, r.session.number, r.total, r.instrument_id)
        for r in chosen
    ]


def current_series(records: list[SessionRecord]) -> list[SessionRecord]:
    """The sessions whose client ORS is on the form the client rates on now, since the last form
    change: what the helper follows. A child who turned 13 and moved to the adolescent form
    starts a new series, measured from its own first rating and never compared with the old one.
    (The leaders' outcome figures judge an episode by its intake's form; see dashboards.facts.)
    """
    rated = [record for record in records if record.ors is not None]
    start = len(rated)
    while start > 0 and rated[start - 1].ors_instrument_id == rated[-1].ors_instrument_id:
        start -= 1
    return rated[start:]


def intake_and_latest(records: list[SessionRecord]) -> tuple[Decimal | None, Decimal | None]:
    """The first and the latest client ORS of the current series (None where there is none)."""
    series = current_series(records)
    if not series:
        return None, None
    return series[0].ors, series[-1].ors
