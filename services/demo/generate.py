"""Realistic, reproducible demo caseloads as plain data (no database).

Trajectories follow what feedback-informed services report: most clients improve quickly and
level off, some stay flat, a few get worse, and some drop out early, often after a weak alliance
rating. Scores are drawn around the published clinical adult mean (19.6) so that the outcome
figures look like a real service's, not like noise.
"""

import bisect
import datetime
import functools
import itertools
import math
import random
from dataclasses import dataclass, field
from decimal import Decimal

AGE_GROUPS = (("adult", 0.75), ("adolescent", 0.15), ("child", 0.08), ("young_child", 0.02))
PATTERNS = (("improving", 0.5), ("flat", 0.25), ("deteriorating", 0.08), ("dropout", 0.17))
KINDS = (("individual", 0.8), ("group", 0.08), ("network", 0.07), ("home_visit", 0.05))
END_REASONS = (("planned", 0.8), ("referred", 0.1), ("moved", 0.05), ("other", 0.05))
FIRST_NAMES = [
    "Anne",
    "Per",
    "Kari",
    "Ola",
    "Ingrid",
    "Lars",
    "Sofie",
    "Jonas",
    "Nora",
    "Emil",
    "Sara",
    "Jakob",
    "Ida",
    "Henrik",
]
LAST_INITIALS = "ABDEFGHIJKLMNOPRSTV"
# A rating's columns as seeding inserts them (`feedback.bulk_insert.insert_rows`), one tuple a row.
RATING_FIELDS = (
    "session_id",
    "instrument_id",
    "purpose",
    "rater",
    "rater_name",
    "age_group",
    "items",
    "total",
    "method",
    "rated_at",
    "submission_key",
)


@dataclass
class DemoRating:
    purpose: str
    rater: str
    items: list[Decimal]
    total: Decimal


@dataclass
class DemoSession:
    number: int
    date: datetime.date
    helper: int
    kind: str
    ratings: list[DemoRating] = field(default_factory=list)


@dataclass
class DemoEpisode:
    code: str
    team: int
    helper: int
    start_date: datetime.date
    end_date: datetime.date | None
    end_reason: str
    sessions: list[DemoSession] = field(default_factory=list)
    pattern: str = ""


@dataclass
class DemoClient:
    code: str
    display_name: str
    age_group: str
    episodes: list[DemoEpisode] = field(default_factory=list)


@functools.cache
def _table(weighted) -> tuple[tuple[str, ...], list[float], float]:
    values, weights = zip(*weighted, strict=True)
    cumulative = list(itertools.accumulate(weights))
    return values, cumulative, cumulative[-1] + 0.0


def _pick(rng: random.Random, weighted) -> str:
    """`rng.choices(values, weights)[0]`, drawing the same value from the same state, without
    summing the weights again on each of the seed's hundred thousand calls."""
    values, cumulative, total = _table(weighted)
    return values[bisect.bisect(cumulative, rng.random() * total, 0, len(values) - 1)]


def _clip(value: float, low: float, high: float) -> float:
    return min(high, max(low, value))


class _Tenths(dict):
    """Each item score's Decimal made once ("7.3" → Decimal("7.3")): there are only 101."""

    def __missing__(self, text: str) -> Decimal:
        self[text] = Decimal(text)
        return self[text]


_TENTHS = _Tenths()


def split_total(rng: random.Random, total: float) -> list[Decimal]:
    """Four item scores (0–10, one decimal) that add up close to `total`."""
    mean = total / 4
    gauss = rng.gauss
    return [_TENTHS[f"{_clip(gauss(mean, 0.7), 0, 10):.1f}"] for _ in range(4)]


def _rating(rng, purpose: str, total: float, rater: str = "client") -> DemoRating:
    items = split_total(rng, total)
    return DemoRating(purpose=purpose, rater=rater, items=items, total=sum(items, Decimal(0)))


def _ors_at(pattern: str, intake: float, gain: float, n: int, noise: float) -> float:
    progress = 1 - math.exp(-(n - 1) / 2.5)
    return _clip(intake + gain * progress + noise, 0, 40)


RETURNING = 0.45  # share of clients with a closed episode who come back for another


def _episode(rng, code: str, start: datetime.date, today, helper, teams, age_group) -> DemoEpisode:
    """One episode from `start`: a pattern of change, sessions until planned or today, an end."""
    pattern = _pick(rng, PATTERNS)
    offset = 3 if age_group in ("child", "young_child") else 0
    intake = _clip(rng.gauss(19.6 + offset, 6), 3, 38)
    room = (40 - intake) / 20
    gain = {
        "improving": rng.gauss(10, 3) * room,
        "flat": rng.gauss(0, 1.5),
        "deteriorating": -abs(rng.gauss(6, 2)),
        "dropout": rng.gauss(1, 2),
    }[pattern]
    planned = rng.randint(1, 4) if pattern == "dropout" else rng.randint(2, 20)
    episode = DemoEpisode(
        code=code,
        team=teams[helper],
        helper=helper,
        start_date=start,
        end_date=None,
        end_reason="",
        pattern=pattern,
    )
    day = start
    weak_alliance = pattern in ("deteriorating", "dropout") and rng.random() < 0.6
    for number in range(1, planned + 1):
        if day > today:
            break
        session = DemoSession(number, day, helper, _pick(rng, KINDS))
        if rng.random() > 0.08:
            score = _ors_at(pattern, intake, gain, number, rng.gauss(0, 2))
            session.ratings.append(_rating(rng, "outcome", score))
        if rng.random() > 0.12:
            alliance = rng.gauss(31, 3) if weak_alliance else rng.gauss(38.5, 1.2)
            session.ratings.append(_rating(rng, "alliance", _clip(alliance, 10, 40)))
        if age_group in ("child", "young_child") and rng.random() < 0.4:
            score = _ors_at(pattern, intake - 2, gain, number, rng.gauss(0, 2))
            session.ratings.append(_rating(rng, "outcome", score, rater="parent"))
        episode.sessions.append(session)
        day += datetime.timedelta(days=rng.choice((7, 7, 7, 14, 14, 21)))
    last = episode.sessions[-1].date
    finished = len(episode.sessions) == planned and (today - last).days > 21
    if pattern == "dropout" and (today - last).days > 42:
        episode.end_date, episode.end_reason = last + datetime.timedelta(days=42), "dropout"
    elif finished:
        episode.end_date, episode.end_reason = last, _pick(rng, END_REASONS)
    return episode


def make_client(rng: random.Random, index: int, today: datetime.date, helpers, teams) -> DemoClient:
    """A client with a first episode begun in the last 18 months and, for some whose episode
    closed, a second one with the same helper or (one time in three) another."""
    age_group = _pick(rng, AGE_GROUPS)
    client = DemoClient(
        code=f"K{index:05d}",
        display_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_INITIALS)}.",
        age_group=age_group,
    )
    helper = rng.choice(helpers)
    start = today - datetime.timedelta(days=rng.randint(0, 540))
    first = _episode(rng, "F1", start, today, helper, teams, age_group)
    client.episodes.append(first)
    if first.end_date is not None and rng.random() < RETURNING:
        again = first.end_date + datetime.timedelta(days=rng.randint(14, 180))
        if again <= today:
            helper = helper if rng.random() < 2 / 3 else rng.choice(helpers)
            client.episodes.append(_episode(rng, "F2", again, today, helper, teams, age_group))
    return client


def make_clients(
    count: int, helpers: list[int], teams: dict[int, int], today: datetime.date, seed: int = 1
):
    """`count` demo clients; `helpers` are ids, `teams` maps a helper id to a team id."""
    rng = random.Random(seed)
    for index in range(1, count + 1):
        yield make_client(rng, index, today, helpers, teams)
