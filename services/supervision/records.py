"""Writing the notes (a client discussed in supervision, a signal followed up) and the grants,
each with its row in the access log in the same transaction; and reading an episode's notes
back for the client page."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import CharField, IntegerField, Value
from django.db.models.functions import TruncDate

from services.audit import log
from services.audit.models import Action
from services.dashboards.models import EpisodeSummary
from services.measures.signals import Signal

from .models import Discussion, SignalFollowUp, SupervisorGrant

DISCUSSED, FOLLOWED_UP = "discussed", "followed_up"
# "Rating missing" asks for a rating, not for a conversation.
NOT_TALKED_ABOUT = {Signal.MISSING}


def followable(signals) -> list[Signal]:
    """The signals a helper can mark as talked about with the client."""
    return [signal for signal in signals if signal not in NOT_TALKED_ABOUT]


@transaction.atomic
def record_discussion(
    summary: EpisodeSummary, *, service, helper, discussed_on: datetime.date, note: str, request
) -> Discussion:
    discussion = Discussion.objects.create(
        episode_id=summary.episode_id,
        service=service,
        helper=helper,
        supervisor=request.user,
        discussed_on=discussed_on,
        note=note,
    )
    log.record(
        Action.CREATE,
        obj=discussion,
        client=summary.client,
        service=service,
        request=request,
    )
    return discussion


@transaction.atomic
def record_follow_up(client, episode, *, signal: str, session_id: int, note: str, request):
    """Note that `signal` was talked about with the client, at the episode's latest session;
    a second note of the same signal at the same session is not kept twice (None)."""
    earlier = SignalFollowUp.objects.filter(episode=episode, signal=signal, session_id=session_id)
    if earlier.exists():
        return None
    follow_up = SignalFollowUp.objects.create(
        episode=episode,
        service_id=episode.service_id,
        signal=signal,
        session_id=session_id,
        note=note,
        recorded_by=request.user,
    )
    log.record(Action.CREATE, obj=follow_up, client=client, request=request)
    return follow_up


@transaction.atomic
def grant(service, user, *, request) -> SupervisorGrant:
    made, _created = SupervisorGrant.objects.get_or_create(
        service=service, user=user, defaults={"granted_by": request.user}
    )
    log.record(Action.CREATE, obj=made, service=service, request=request)
    return made


@transaction.atomic
def revoke(made: SupervisorGrant, *, service, request) -> None:
    log.record(Action.DELETE, obj=made, service=service, request=request)
    made.delete()


@dataclass(frozen=True)
class Note:
    """One line of an episode's follow-up history, as the client page shows it."""

    kind: str  # DISCUSSED or FOLLOWED_UP
    day: datetime.date
    note: str
    by: str
    signal: str  # the signal talked about; "" for a discussion
    session: int | None  # the latest session number when a signal was followed up


def notes_of(episode_id: int) -> list[Note]:
    """The episode's discussions and follow-ups, newest first, in one query."""
    discussions = Discussion.objects.filter(episode_id=episode_id).values_list(
        Value(DISCUSSED, output_field=CharField()),
        "discussed_on",
        "note",
        "supervisor__first_name",
        "supervisor__last_name",
        "supervisor__username",
        Value("", output_field=CharField()),
        Value(None, output_field=IntegerField()),
        "created_at",
    )
    follow_ups = SignalFollowUp.objects.filter(episode_id=episode_id).values_list(
        Value(FOLLOWED_UP, output_field=CharField()),
        TruncDate("recorded_at"),
        "note",
        "recorded_by__first_name",
        "recorded_by__last_name",
        "recorded_by__username",
        "signal",
        "session__number",
        "recorded_at",
    )
    rows = sorted(
        discussions.order_by().union(follow_ups.order_by(), all=True),
        key=lambda row: (row[1], row[8]),
        reverse=True,
    )
    return [
        Note(kind, day, note, f"{first} {last}".strip() or username or "", signal, session)
        for kind, day, note, first, last, username, signal, session, _at in rows
    ]
