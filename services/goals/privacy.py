"""Goals in the client's rights and the data's lifecycle (`services.clients.privacy`).

Erasure needs nothing here: goals belong to the client's episodes and their scores to the
goals and sessions, so they are deleted with them. The export lists them, every wording kept.
Retention blanks the wording of the episodes it anonymises, as it does the staff's notes: the
client's own words may name a person or a place; that there was a goal, and its scores, stay.
"""

from collections.abc import Iterable

from .models import Goal, GoalRating


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def goal_records(client) -> dict:
    """The client's goals, each with its scores by session, as JSON-ready data."""
    goals = list(
        Goal.objects.filter(episode__client=client)
        .select_related("episode")
        .order_by("episode_id", "position", "created_on", "pk")
    )
    texts = {goal.pk: goal.text for goal in goals}
    scores: dict[int, list[dict]] = {}
    for rating in (
        GoalRating.objects.filter(goal__episode__client=client)
        .select_related("session")
        .order_by("session__number", "pk")
    ):
        scores.setdefault(rating.goal_id, []).append(
            {
                "session": rating.session.number,
                "session_date": _iso(rating.session.date),
                "score": rating.score,
                "method": rating.method,
                "rated_at": _iso(rating.rated_at),
            }
        )
    return {
        "goals": [
            {
                "episode": goal.episode.code,
                "place": goal.position,
                "text": goal.text,
                "set_on": _iso(goal.created_on),
                "status": goal.status,
                "status_on": _iso(goal.status_on),
                "earlier_wording": texts.get(goal.replaces_id),
                "scores": scores.get(goal.pk, []),
            }
            for goal in goals
        ]
    }


def forget_goal_words(episode_ids: Iterable[int]) -> None:
    """Blank the goals' wording on these episodes; their places, dates and scores stay."""
    Goal.objects.filter(episode_id__in=list(episode_ids)).update(text="")
