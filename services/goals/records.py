"""Writing goals and their scores, each with its row in the access log in the same
transaction. A refusal is a `GoalError` with a message for the helper; nothing is half saved.
"""

import datetime
import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from services.audit import log
from services.audit.models import Action

from .models import PLACES, Goal, GoalMethod, GoalRating, GoalStatus

THREE_OPEN = _(
    "The client has three open goals already. Mark one as reached, reworded or dropped first."
)
CHANGED_MEANWHILE = _("This goal was changed meanwhile. The page shows it as it is now.")


class GoalError(Exception):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def _free_place(episode) -> int:
    taken = set(
        Goal.objects.filter(episode=episode, status=GoalStatus.OPEN).values_list(
            "position", flat=True
        )
    )
    free = [place for place in PLACES if place not in taken]
    if not free:
        raise GoalError(THREE_OPEN)
    return free[0]


def _open_goal(episode, *, position: int, text: str, created_on, request, replaces=None) -> Goal:
    """Create an open goal; the database refuses a fourth (see `one_open_goal_per_place`)."""
    try:
        with transaction.atomic():
            return Goal.objects.create(
                episode=episode,
                position=position,
                text=text,
                created_on=created_on,
                replaces=replaces,
                created_by=request.user if request is not None else None,
            )
    except IntegrityError as error:  # another goal took the place at the same moment
        raise GoalError(THREE_OPEN) from error


@transaction.atomic
def add_goal(client, episode, *, text: str, created_on: datetime.date, request) -> Goal:
    goal = _open_goal(
        episode,
        position=_free_place(episode),
        text=text,
        created_on=created_on,
        request=request,
    )
    log.record(Action.CREATE, obj=goal, client=client, request=request)
    return goal


def _close(goal: Goal, status: str, on: datetime.date) -> None:
    """Close an open goal; a goal closed meanwhile (a second tab, a double tap) is refused."""
    closed = Goal.objects.filter(pk=goal.pk, status=GoalStatus.OPEN).update(
        status=status, status_on=on
    )
    if not closed:
        raise GoalError(CHANGED_MEANWHILE)
    goal.status, goal.status_on = status, on


@transaction.atomic
def close_goal(client, goal: Goal, *, status: str, on: datetime.date, request) -> None:
    """Reached or dropped, on this date."""
    if status not in (GoalStatus.REACHED, GoalStatus.DROPPED):
        raise ValueError(status)
    _close(goal, status, on)
    log.record(Action.CHANGE, obj=goal, client=client, request=request, detail=status)


@transaction.atomic
def reword_goal(client, goal: Goal, *, text: str, on: datetime.date, request) -> Goal:
    """The old wording is closed as changed and kept; the new one opens in its place."""
    _close(goal, GoalStatus.CHANGED, on)
    log.record(Action.CHANGE, obj=goal, client=client, request=request, detail="reworded")
    new = _open_goal(
        goal.episode,
        position=goal.position,
        text=text,
        created_on=on,
        request=request,
        replaces=goal,
    )
    log.record(Action.CREATE, obj=new, client=client, request=request)
    return new


def row_key(submission_key: uuid.UUID, goal_id: int) -> uuid.UUID:
    """Each score's own key, made from the form's one key: the same form sent twice makes the
    same keys, so it is recognised and stored once."""
    return uuid.uuid5(submission_key, f"goal {goal_id}")


def record_scores(
    client, session, scores: dict[int, int], *, submission_key: uuid.UUID, request
) -> bool:
    """Store the scores ({goal id: 0–10}) for this session; False if this very form was
    stored already. A goal scored at this session before gets the new score (a correction),
    logged as a change."""
    keys = {goal_id: row_key(submission_key, goal_id) for goal_id in scores}
    if GoalRating.objects.filter(submission_key__in=keys.values()).exists():
        return False
    try:
        with transaction.atomic():
            _store(client, session, scores, keys, request)
    except IntegrityError as error:
        if GoalRating.objects.filter(submission_key__in=keys.values()).exists():
            return False  # the same form, stored by a request that came at the same moment
        raise GoalError(CHANGED_MEANWHILE) from error
    return True


def _store(client, session, scores, keys, request) -> None:
    earlier = {
        rating.goal_id: rating
        for rating in GoalRating.objects.select_for_update().filter(
            session=session, goal_id__in=scores
        )
    }
    now, user = timezone.now(), request.user if request is not None else None
    new, changed = [], []
    for goal_id, score in scores.items():
        rating = earlier.get(goal_id)
        if rating is None:
            rating = GoalRating(goal_id=goal_id, session=session)
            new.append(rating)
        else:
            changed.append(rating)
        rating.score, rating.rated_at, rating.recorded_by = score, now, user
        rating.method, rating.submission_key = GoalMethod.HELPER, keys[goal_id]
    GoalRating.objects.bulk_create(new)
    GoalRating.objects.bulk_update(
        changed, ["score", "rated_at", "recorded_by", "method", "submission_key"]
    )
    if new:
        log.record(Action.CREATE, obj=session, client=client, request=request, detail="goal scores")
    if changed:
        log.record(Action.CHANGE, obj=session, client=client, request=request, detail="goal scores")
