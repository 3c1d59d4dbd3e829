"""An episode's goals with their scores, read in one query, for the client page and the goals
page alike; the grouping and the table are pure functions of the rows."""

import datetime
from dataclasses import dataclass, field

from .models import Goal, GoalStatus

FIELDS = (
    "pk",
    "position",
    "text",
    "created_on",
    "status",
    "status_on",
    "replaces_id",
    "ratings__score",
    "ratings__session__number",
    "ratings__session__date",
)


@dataclass(frozen=True)
class Score:
    session: int  # the session's number
    date: datetime.date
    score: int


@dataclass
class GoalView:
    pk: int
    position: int
    text: str
    created_on: datetime.date
    status: str
    status_on: datetime.date | None
    replaces_id: int | None
    scores: list[Score] = field(default_factory=list)  # by session number

    @property
    def is_open(self) -> bool:
        return self.status == GoalStatus.OPEN

    @property
    def status_label(self) -> str:
        return str(GoalStatus(self.status).label)

    @property
    def latest(self) -> Score | None:
        return self.scores[-1] if self.scores else None


def goal_views(rows) -> list[GoalView]:
    """Group the joined rows (one per goal and score, or one for a goal without scores): the
    open goals in their places first, then the closed ones, newest change first."""
    goals: dict[int, GoalView] = {}
    for row in rows:
        goal = goals.get(row["pk"])
        if goal is None:
            goal = goals[row["pk"]] = GoalView(
                pk=row["pk"],
                position=row["position"],
                text=row["text"],
                created_on=row["created_on"],
                status=row["status"],
                status_on=row["status_on"],
                replaces_id=row["replaces_id"],
            )
        if row["ratings__score"] is not None:
            goal.scores.append(
                Score(
                    row["ratings__session__number"],
                    row["ratings__session__date"],
                    row["ratings__score"],
                )
            )
    for goal in goals.values():
        goal.scores.sort(key=lambda score: score.session)
    opened = sorted((g for g in goals.values() if g.is_open), key=lambda g: g.position)
    closed = sorted(
        (g for g in goals.values() if not g.is_open),
        key=lambda g: (g.status_on, g.pk),
        reverse=True,
    )
    return opened + closed


def episode_goals(episode_id: int) -> list[GoalView]:
    """Every goal of the episode, with its scores: one query, however many there are."""
    return goal_views(
        Goal.objects.filter(episode_id=episode_id)
        .order_by("pk", "ratings__session__number")
        .values(*FIELDS)
    )


@dataclass(frozen=True)
class ScoreTable:
    """Each goal's scores over the sessions where any goal was scored."""

    sessions: list[tuple[int, datetime.date]]
    rows: list[tuple[GoalView, list[int | None]]]


def score_table(goals: list[GoalView]) -> ScoreTable:
    sessions = sorted({(s.session, s.date) for goal in goals for s in goal.scores})
    rows = []
    for goal in goals:
        by_session = {s.session: s.score for s in goal.scores}
        rows.append((goal, [by_session.get(number) for number, _date in sessions]))
    return ScoreTable(sessions, rows)


def open_goals(goals: list[GoalView]) -> list[GoalView]:
    return [goal for goal in goals if goal.is_open]
