"""How the open goals of many episodes are going, for the caseload's "Goals" cell (issue #17).

The caseload is the busiest page and must cost the same number of queries whatever the
caseload's size, so `open_goal_scores` reads the first and the latest score of every open goal
of one page's episodes in one query, the database picking them per goal; `progress` (pure:
rows in, numbers out) folds them into one figure per episode.

Only open goals count: a reached or dropped goal is no longer being worked on, and a reworded
goal is closed as "changed" while its new wording is a new goal that starts from its own first
score. A goal's change is its latest score minus its first; a goal scored only once has no
change yet and is counted among the goals but not in the mean. The figure is for reading at a
glance, never for ranking clients: nothing here sorts by it.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, IntegerField, OuterRef, Subquery

from .models import Goal, GoalRating, GoalStatus

TENTH = Decimal("0.1")


@dataclass(frozen=True)
class GoalRow:
    """One open goal's scores as the query gives them (`None` when it has none yet)."""

    episode_id: int
    first: int | None
    latest: int | None
    scored: int  # how many times the goal was scored


@dataclass(frozen=True)
class GoalProgress:
    """An episode's open goals: how many, and the mean change of those scored twice or more,
    rounded to tenths (`None` when none is)."""

    goals: int
    change: Decimal | None


def progress(rows: Iterable[GoalRow]) -> dict[int, GoalProgress]:
    """Each episode's progress from its open goals' rows; episodes without open goals are left
    out."""
    counts: dict[int, int] = {}
    changes: dict[int, list[int]] = {}
    for row in rows:
        counts[row.episode_id] = counts.get(row.episode_id, 0) + 1
        if row.scored >= 2:
            changes.setdefault(row.episode_id, []).append(row.latest - row.first)
    return {
        episode: GoalProgress(count, mean(changes[episode]) if episode in changes else None)
        for episode, count in counts.items()
    }


def mean(values: list[int]) -> Decimal:
    return (Decimal(sum(values)) / len(values)).quantize(TENTH, rounding=ROUND_HALF_UP)


def _score(goal_ratings, *order) -> Subquery:
    return Subquery(goal_ratings.order_by(*order).values("score")[:1], output_field=IntegerField())


def open_goal_scores(episode_ids: Iterable[int]) -> list[GoalRow]:
    """The open goals of these episodes with their first and latest score, in one query.

    Scores are ordered by the session's number (a paper score entered late still belongs to its
    session); there is one score per goal and session, so the order is total. Correlated
    subqueries rather than window functions keep a goal without scores in the result, and read
    the same on SQLite and PostgreSQL.
    """
    episode_ids = list(episode_ids)
    if not episode_ids:
        return []
    ratings = GoalRating.objects.filter(goal=OuterRef("pk"))
    counted = ratings.order_by().values("goal").annotate(n=Count("pk")).values("n")
    rows = (
        Goal.objects.filter(episode_id__in=episode_ids, status=GoalStatus.OPEN)
        .annotate(
            first=_score(ratings, "session__number"),
            latest=_score(ratings, "-session__number"),
            scored=Subquery(counted, output_field=IntegerField()),
        )
        .order_by()
        .values_list("episode_id", "first", "latest", "scored")
    )
    return [GoalRow(episode, first, latest, scored or 0) for episode, first, latest, scored in rows]


def goal_progress(episode_ids: Iterable[int]) -> dict[int, GoalProgress]:
    """One page's episodes' progress on their open goals: one query for the page."""
    return progress(open_goal_scores(episode_ids))
