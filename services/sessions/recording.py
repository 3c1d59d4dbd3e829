"""Creating sessions, so numbering happens in one place."""

import datetime

from django.db import transaction
from django.db.models import Max
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from services.audit import log
from services.audit.models import Action
from services.clients.models import Episode

from .models import Session, SessionKind


class SessionError(ValueError):
    """A session that cannot be registered; `message` is translated."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


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
    # A group meeting's session of the same day is the group's (services.groups), not this one.
    sessions = episode.sessions.filter(date=today).exclude(kind=SessionKind.GROUP)
    session = sessions.order_by("-number").first()
    if session is not None:
        return session, False
    session = create_session(episode, date=today, helper=helper)
    log.record(Action.CREATE, obj=session, client=episode.client, request=request)
    return session, True


def check_session_date(episode: Episode, date: datetime.date, today: datetime.date) -> None:
    """A session belongs to its episode's time: not in the future, not before the episode
    started, not after it ended. Raises SessionError."""
    if date > today:
        raise SessionError(_("A session cannot be registered in the future."))
    if date < episode.start_date:
        start = formats.date_format(episode.start_date, "SHORT_DATE_FORMAT")
        raise SessionError(
            _("The episode started %(start)s: a session cannot be earlier.") % {"start": start}
        )
    if episode.end_date is not None and date > episode.end_date:
        end = formats.date_format(episode.end_date, "SHORT_DATE_FORMAT")
        raise SessionError(
            _("The episode ended %(end)s: a session cannot be later.") % {"end": end}
        )


def number_for(sessions: list[tuple[int, datetime.date]], date: datetime.date) -> int:
    """The number a session on `date` gets among (number, date) pairs: before the first session
    dated later, so numbers follow the dates (charts and trajectories read sessions by number);
    after the last one when none is later. Sessions on the same day keep their order.

    >>> number_for([(1, datetime.date(2026, 1, 5)), (2, datetime.date(2026, 1, 19))],
    ...            datetime.date(2026, 1, 12))
    2
    """
    later = [number for number, day in sessions if day > date]
    if later:
        return min(later)
    return max((number for number, _ in sessions), default=0) + 1


@transaction.atomic
def register_session(
    episode: Episode,
    *,
    date: datetime.date,
    helper,
    kind: str = SessionKind.INDIVIDUAL,
    request=None,
) -> Session:
    """A session on `date`, today or earlier (a session the helper forgot to register).

    Numbered in date order: the sessions after it move up one, each saved on its own so the
    unique numbers never clash on the way and the dashboard facts hear of every change. The
    same kind of session twice on one day is refused, so a double click registers one.
    The episode row is locked, as in `create_session`.
    """
    Episode.objects.select_for_update().filter(pk=episode.pk).first()
    check_session_date(episode, date, timezone.localdate())
    twin = episode.sessions.filter(date=date, kind=kind).order_by("number").first()
    if twin is not None:
        raise SessionError(
            _("Session %(number)d is already registered on this date.") % {"number": twin.number}
        )
    existing = list(episode.sessions.values_list("number", "date"))
    number = number_for(existing, date)
    moved = list(episode.sessions.filter(number__gte=number).order_by("-number"))
    for later in moved:
        later.number += 1
        later.save(update_fields=["number"])
    session = Session.objects.create(
        episode=episode, number=number, date=date, helper=helper, kind=kind
    )
    detail = "registered afterwards" + (
        f"; later sessions renumbered: {len(moved)}" if moved else ""
    )
    log.record(Action.CREATE, obj=session, client=episode.client, request=request, detail=detail)
    return session
