"""Creating sessions, so numbering happens in one place."""

import datetime

from django.db import transaction
from django.db.models import Max

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
