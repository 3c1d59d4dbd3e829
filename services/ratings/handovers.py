"""Handing a form to a rater and storing the answer: one named function for each write.

`prepare_handover` makes the form for the tablet or a remote link; `submit_answer` stores what
came back with `record_rating`'s checks and insert, at most once per handover, with the handover
row locked so two copies of the same answer arriving at once cannot both pass the "not used yet"
check.
"""

import datetime
import uuid
from collections.abc import Mapping

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from services.audit import log
from services.audit.models import Action
from services.clients.models import Episode
from services.measures.forms_in_use import chosen_form
from services.measures.models import Instrument
from services.sessions.models import Session
from services.sessions.recording import todays_session

from .models import Handover, Method, Rater, Rating
from .recording import RatingError, Recorded, check_rating, store_checked, stored_after_clash


class LinkClosed(RatingError):
    """A handover that can no longer be answered: used, or a link past its time."""


NO_FORM_CHOSEN = _("No form is chosen for this age group. Ask your service administrator.")


def form_for(episode: Episode, session: Session, purpose: str) -> Instrument:
    """The form the service has chosen for this purpose and the client's age group on the
    session's day; never a guess, so loading a new form changes nothing until it is chosen."""
    age_group = episode.client.age_group_on(session.date)
    instrument = chosen_form(episode.service_id, age_group, purpose)
    if instrument is None:
        raise RatingError(NO_FORM_CHOSEN, "purpose")
    return instrument


def check_can_hand_over(episode: Episode) -> None:
    if not episode.is_open:
        raise RatingError(_("The episode is closed."), "episode")
    if episode.client.declined_feedback:
        raise RatingError(_("The client has declined to give feedback."), "episode")


def already_answered(session: Session, purpose: str, rater: str, rater_name: str) -> bool:
    name = "" if rater == Rater.CLIENT else rater_name.strip()
    return Rating.objects.filter(
        session=session, purpose=purpose, rater=rater, rater_name=name
    ).exists()


@transaction.atomic
def prepare_handover(
    episode: Episode,
    *,
    method: str,
    purpose: str,
    rater: str = Rater.CLIENT,
    rater_name: str = "",
    greeting: str = "",
    show_curve: bool = False,
    session: Session | None = None,
    user,
    request=None,
) -> Handover:
    """A form ready for one rater: today's session (or the one given), the service's form for
    the client's age group that day. Any refusal rolls back a session registered here."""
    check_can_hand_over(episode)
    if method not in (Method.TABLET, Method.LINK):
        raise RatingError(_("Unknown collection method."), "method")
    session = session or todays_session(episode, helper=user, request=request)[0]
    if session.episode_id != episode.pk:
        raise RatingError(_("The session belongs to another episode."), "session")
    instrument = form_for(episode, session, purpose)
    rater_name = "" if rater == Rater.CLIENT else rater_name.strip()
    if already_answered(session, purpose, rater, rater_name):
        raise RatingError(
            _("This session already has an answer to this form from this person."), "session"
        )
    expires_at = None
    if method == Method.LINK:
        expires_at = timezone.now() + datetime.timedelta(hours=settings.REMOTE_LINK_HOURS)
    handover = Handover.objects.create(
        session=session,
        instrument=instrument,
        method=method,
        rater=rater,
        rater_name=rater_name,
        greeting=greeting.strip(),
        show_curve=show_curve and method == Method.TABLET,
        created_by=user,
        expires_at=expires_at,
    )
    log.record(Action.CREATE, obj=handover, client=episode.client, request=request, detail=method)
    return handover


ANSWER_NEEDS = ("session__episode__client__service", "instrument")


def submit_answer(
    handover: Handover | QuerySet[Handover],
    *,
    submission_key: uuid.UUID,
    items: Mapping[str, object],
    instrument_key: str,
    user=None,
    request=None,
) -> Recorded:
    """Store the answer to a handover once; a repeat of the same submission gets the stored one.

    Any other answer to a handover already used, or to a link past its time, is refused.
    `handover` may be a queryset that names it (the tablet's also checks who asks): it is then
    read and locked in the one query, and Handover.DoesNotExist raised when it finds none.

    The first answer costs one locking read and four writes (rating, dashboard mark, audit,
    handover); the submission key is looked up in that read, not again before the insert.
    """
    if not isinstance(handover, QuerySet):
        handover = Handover.objects.filter(pk=handover.pk)
    locked: list[Handover] = []
    try:
        with transaction.atomic():
            return _submit(handover, locked, submission_key, items, instrument_key, user, request)
    except IntegrityError:
        # The key or the session's slot was taken another way meanwhile (the handover itself
        # is locked); that spoilt the transaction, so look at what is stored outside it.
        stored_after_clash(submission_key, locked[0].session)
        raise LinkClosed(_("This form has already been answered."), "submission_key") from None


def _submit(handovers, locked, submission_key, items, instrument_key, user, request) -> Recorded:
    # Only the handover row is locked: two copies of one answer wait for each other here, and
    # answers to other handovers of the same form or client do not. The copy that waited reads
    # the handover as the first left it (used, with its rating).
    handover = (
        handovers.select_for_update(of=("self",))
        .select_related(*ANSWER_NEEDS)
        .annotate(key_taken=Exists(Rating.objects.filter(submission_key=submission_key)))
        .get()
    )
    locked.append(handover)
    if handover.rating_id is not None:
        stored = Rating.objects.get(pk=handover.rating_id)
        if stored.submission_key == submission_key:
            return Recorded(stored, created=False, handover=handover)
    if handover.used_at is not None or handover.key_taken:
        raise LinkClosed(_("This form has already been answered."), "submission_key")
    if handover.is_expired(timezone.now()):
        raise LinkClosed(_("This link has expired."), "submission_key")
    if instrument_key != handover.instrument.key:
        raise RatingError(_("The answer is for another form than this one."), "instrument")
    checked = check_rating(
        session=handover.session,
        instrument=handover.instrument,
        method=handover.method,
        items=items,
        total=None,
        rater=handover.rater,
        rater_name=handover.rater_name,
    )
    rating = store_checked(checked, submission_key=submission_key, user=user, request=request)
    handover.used_at = rating.rated_at
    handover.rating = rating
    handover.save(update_fields=["used_at", "rating"])
    return Recorded(rating, created=True, handover=handover)
