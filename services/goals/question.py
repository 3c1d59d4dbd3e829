"""The goals question on the thank-you page after an outcome form: the client marks how close
they are to each of their open goals, 0–10, on the tablet or on their own phone (issue #17).

It mirrors the comment question after an alliance form (`services.comments.question`). The page
already knows its hand-over (the tablet's lock or cookie, or the link's secret address), so the
scores go to that hand-over's session with no identifier of their own, and the page's hidden
hand-over token must match, so a thank-you page left open from an earlier client cannot score
the next client's goals. It is asked only of the client (not of a parent or teacher answering
for them), while the episode is open and has open goals nobody has scored at that session, and
the client has not scored any there yet; for a short while after the answer (`WINDOW`), never on
a link past its time. "Skip" leaves the question for the helper to ask another time.

The scores are stored once: each goal's row gets a key made from the page's one submission key
(`records.row_key`), so a double tap or a resend finds its own rows and gets the same "sent",
other scores after them a 409, and a goal that someone scored meanwhile a 409 too. Bad input is
a 400 with the reason on the page; the goals' scores are stored in one transaction or not at all.
"""

import datetime
import uuid
from dataclasses import dataclass, field

from django import forms
from django.db import IntegrityError, transaction
from django.db.models import FilteredRelation, Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from feedback.ratelimit import over_limit
from services.audit import log
from services.audit.models import Action
from services.measures.models import Purpose
from services.ratings.models import Handover, Rater

from .definition import Words, current
from .models import HIGHEST_SCORE, Goal, GoalMethod, GoalRating, GoalStatus
from .records import row_key

# Right after the form, while the client still holds the tablet or the phone, as for the comment.
WINDOW = datetime.timedelta(hours=2)
POSTS_PER_TEN_MINUTES = 30
SKIP = ("mal", "hopp-over")  # the query of "Skip": the same page without the question
SCALE = range(HIGHEST_SCORE + 1)

NOT_CHOSEN = gettext_lazy("Choose a number for this goal.")
EACH_GOAL = gettext_lazy("Choose a number for each goal, or skip the question.")
NOT_A_SCORE = gettext_lazy("Choose one of the numbers from 0 to 10.")
ALREADY_SENT = gettext_lazy("Your scores have already been sent. They can be sent only once.")


@dataclass(frozen=True)
class OpenGoal:
    """An open goal of the episode, with its score at the hand-over's session if it has one."""

    pk: int
    text: str
    score: int | None
    method: str | None

    @property
    def field(self) -> str:
        return f"goal_{self.pk}"


@dataclass(frozen=True)
class Row:
    """One goal's scale as the page draws it: the number chosen so far and its error, if any."""

    goal: OpenGoal
    chosen: str
    error: str


class GoalScoresForm(forms.Form):
    """One required 0–10 choice per goal asked, and the page's submission key."""

    submission_key = forms.UUIDField(
        error_messages={
            "required": gettext_lazy("This page is not complete. Reload it and try again."),
            "invalid": gettext_lazy("This page is not complete. Reload it and try again."),
        }
    )

    def __init__(self, *args, goals: list[OpenGoal], **kwargs):
        super().__init__(*args, **kwargs)
        self.goals = goals
        for goal in goals:
            self.fields[goal.field] = forms.TypedChoiceField(
                choices=[(str(number), str(number)) for number in SCALE],
                coerce=int,
                error_messages={"required": NOT_CHOSEN, "invalid_choice": NOT_A_SCORE},
            )

    def scores(self) -> dict[int, int]:
        return {goal.pk: self.cleaned_data[goal.field] for goal in self.goals}


@dataclass(frozen=True)
class Question:
    """What the thank-you page shows of the goals question, and with which status."""

    goals: list[OpenGoal] = field(default_factory=list)  # asked, in their places
    form: GoalScoresForm | None = None  # bound after a refused post, to show what was chosen
    submission_key: str = ""
    answered: bool = False  # the client's scores for this session are stored
    message: str = ""  # why a post was refused, when not one goal's error
    status: int = 200
    sent: bool = False  # just stored (or the same scores again): the view redirects

    @property
    def asked(self) -> bool:
        return bool(self.goals)

    @property
    def rows(self) -> list[Row]:
        data = self.form.data if self.form is not None else {}
        errors = self.form.errors if self.form is not None else {}
        return [
            Row(goal, str(data.get(goal.field, "")), (errors.get(goal.field) or [""])[0])
            for goal in self.goals
        ]

    @property
    def scale(self) -> range:
        return SCALE

    @property
    def words(self) -> Words:
        """The question, its hint and the scale's end words from the goal wording file."""
        return current().words(get_language())

    @property
    def skip(self) -> str:
        return "?{}={}".format(*SKIP)


def _applies(handover: Handover) -> bool:
    return (
        handover.rating_id is not None
        and handover.instrument.purpose == Purpose.OUTCOME
        and handover.rater == Rater.CLIENT
    )


def _open(handover: Handover, now: datetime.datetime) -> bool:
    recent = handover.used_at is not None and now - handover.used_at < WINDOW
    return recent and handover.session.episode.is_open and not handover.is_expired(now)


def _open_goals(handover: Handover) -> list[OpenGoal]:
    """The episode's open goals in their places, each with its score at this session: one
    query, however many goals and sessions there are."""
    rows = (
        Goal.objects.filter(episode_id=handover.session.episode_id, status=GoalStatus.OPEN)
        .annotate(here=FilteredRelation("ratings", condition=Q(ratings__session=handover.session)))
        .order_by("position", "pk")
        .values_list("pk", "text", "here__score", "here__method")
    )
    return [OpenGoal(*row) for row in rows]


def _answered(goals: list[OpenGoal]) -> bool:
    """The client has scored here already (the helper may have scored some goals too)."""
    return any(goal.method == GoalMethod.TABLET for goal in goals)


def _unscored(goals: list[OpenGoal]) -> list[OpenGoal]:
    """The goals to ask about: none once the client has scored here, else those nobody has."""
    if _answered(goals):
        return []
    return [goal for goal in goals if goal.score is None]


def ask(request: HttpRequest, handover: Handover) -> Question | None:
    """The goals question for this hand-over's thank-you page, a POST storing the scores; None
    when the page is not one that asks it (another form, or not the client answering)."""
    if not _applies(handover):
        return None
    goals = _open_goals(handover)
    if request.method != "POST":
        asked = _unscored(goals)
        skipped = request.GET.get(SKIP[0]) == SKIP[1]
        if asked and not skipped and _open(handover, timezone.now()):
            return Question(goals=asked, submission_key=str(uuid.uuid4()))
        return Question(answered=_answered(goals))
    return _post(request, handover, goals)


def _post(request: HttpRequest, handover: Handover, goals: list[OpenGoal]) -> Question:
    if not goals:  # as for any post to a thank-you page that asks nothing
        return Question(message=_("There is no question to answer here."), status=400)
    answered = _answered(goals)
    if over_limit(request, "goal-scores", POSTS_PER_TEN_MINUTES, 600):
        message = _("Too many attempts from this device. Wait a few minutes and try again.")
        return Question(answered=answered, message=message, status=429)
    if request.POST.get("handover") != handover.token.hex:
        message = _("This page is from an earlier form. The scores were not saved.")
        return Question(answered=answered, message=message, status=409)
    key = _submission_key(request)
    if key is not None:
        again = _sent_before(request, goals, key)
        if again is not None:
            return again
    if not _open(handover, timezone.now()):
        message = _("It is too late to send scores for this answer.")
        return Question(answered=answered, message=message, status=410)
    asked = _unscored(goals)
    if not asked:
        message = _("Your goals already have scores for this session.")
        return Question(answered=answered, message=message, status=409)
    form = GoalScoresForm(request.POST, goals=asked)
    if not form.is_valid():
        message = str(form.errors.get("submission_key", [EACH_GOAL])[0])
        fresh = str(key) if key is not None else str(uuid.uuid4())
        return Question(goals=asked, form=form, submission_key=fresh, message=message, status=400)
    return _store(request, handover, goals, form.scores(), form.cleaned_data["submission_key"])


def _submission_key(request: HttpRequest) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(request.POST.get("submission_key", "")))
    except ValueError:
        return None


def _sent_before(request: HttpRequest, goals: list[OpenGoal], key: uuid.UUID) -> Question | None:
    """This very page's scores, if they are stored: "sent" again for the same scores (a double
    tap, a resend), a 409 for others; None when nothing was stored with this key."""
    keys = [row_key(key, goal.pk) for goal in goals]
    rows = GoalRating.objects.filter(submission_key__in=keys).order_by()
    stored = list(rows.values_list("goal", "score"))
    if not stored:
        return None
    if all(request.POST.get(f"goal_{goal}") == str(score) for goal, score in stored):
        return Question(answered=True, sent=True)
    return Question(answered=True, message=str(ALREADY_SENT), status=409)


def _store(
    request: HttpRequest,
    handover: Handover,
    goals: list[OpenGoal],
    scores: dict[int, int],
    key: uuid.UUID,
) -> Question:
    """All the goals' scores and their row in the access log, or nothing: a copy that arrived at
    the same moment, or the helper scoring a goal meanwhile, makes the insert fail whole."""
    now, session = timezone.now(), handover.session
    rows = [
        GoalRating(
            goal_id=goal_id,
            session=session,
            score=score,
            rated_at=now,
            method=GoalMethod.TABLET,
            submission_key=row_key(key, goal_id),
        )
        for goal_id, score in scores.items()
    ]
    try:
        with transaction.atomic():
            GoalRating.objects.bulk_create(rows)
            log.record(
                Action.CREATE,
                obj=session,
                client=session.episode.client,
                request=request,
                detail="goal scores from the client",
            )
    except IntegrityError:
        again = _sent_before(request, goals, key)
        if again is not None:
            return again
        message = _("Someone scored these goals meanwhile. Your scores were not saved.")
        return Question(answered=_answered(_open_goals(handover)), message=message, status=409)
    return Question(answered=True, sent=True)
