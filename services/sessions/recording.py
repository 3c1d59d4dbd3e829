"""Creating sessions, so numbering happens in one place."""

import datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from services.audit import log
from services.audit.models import Action
from services.clients.models import Episode

from .models import Session, SessionKind


@transaction.atomic
def create_session(
    episode: Episode,
    *,
    date: datetime.date,
    helper=None,
    kind: str = SessionKind.INDIVIDUAL,
) -> Session:
    """Add the next numbered session; the episode row is locked so two helpers can't collide."""
    Episode.objects.select_for_update().filter(pk=episode.pk).first()
    last = episode.sessions.aggregate(last=Max("number"))["last"] or 0
    return Session.objects.create(
        episode=episode, number=last + 1, date=date, helper=helper, kind=kind
    )


def todays_session(episode: Episode, *, helper, request=None) -> tuple[Session, bool]:
    """The episode's session today, registered (and audited) now if there is none yet.

    Returns the session and whether it was created, so a helper who registers a session and
    then hands the tablet over works in one session, not two.
    """
    today = timezone.localdate()
    session = episode.sessions.filter(date=today).order_by("-number").first()
    if session is not None:
        return session, False
    session = create_session(episode, date=today, helper=helper)
    log.record(Action.CREATE, obj=session, client=episode.client, request=request)
    return session, True
