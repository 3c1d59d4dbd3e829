"""Storing a rating: validate, store exactly once, audit. Every way in goes through here."""

import datetime
import uuid
from collections.abc import Mapping
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from services.audit import log
from services.audit.models import Action
from services.measures.models import Instrument
from services.measures.scoring import ScoreError, score_items, score_total_only
from services.sessions.models import Session

from .models import Handover, Method, Rater, Rating


class RatingError(ValueError):
    """A rating that cannot be stored; `message` is translated, `field` names the input."""

    def __init__(self, message, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field


@dataclass(frozen=True)
class Recorded:
    rating: Rating
    created: bool
    handover: Handover | None = None  # the one answered, when the answer came to a handover


@dataclass(frozen=True)
class Checked:
    """A rating that passed every check and is ready to insert."""

    session: Session
    instrument: Instrument
    method: str
    rater: str
    rater_name: str
    age_group: str
    items: dict[str, str] | None
    total: object


def check_rating(
    *,
    session: Session,
    instrument: Instrument,
    method: str,
    items: Mapping[str, object] | None,
    total: object,
    rater: str,
    rater_name: str,
) -> Checked:
    """Everything `record_rating` checks before it stores, in the same order; no queries when
    the session's episode and client are at hand. Raises RatingError."""
    age_group = _check_who_and_form(session, instrument, method, rater)
    scored = _score(instrument, method, items, total)
    return _checked(session, instrument, method, rater, rater_name, age_group, scored)


def _check_who_and_form(session: Session, instrument: Instrument, method: str, rater: str) -> str:
    client = session.episode.client
    if method not in Method.values:
        raise RatingError(_("Unknown collection method."), "method")
    if rater not in Rater.values:
        raise RatingError(_("Unknown rater."), "rater")
    if client.declined_feedback and method != Method.IMPORT:
        raise RatingError(_("The client has declined to give feedback."), "session")
    if not instrument.active:
        raise RatingError(_("This form is no longer in use."), "instrument")
    age_group = client.age_group_on(session.date)
    if age_group not in instrument.spec.age_groups:
        raise RatingError(_("This form is not meant for the client's age group."), "instrument")
    return age_group


def _score(instrument: Instrument, method: str, items, total):
    try:
        if items is not None:
            return score_items(instrument.spec, items)
        # Paper, an imported file and a record system may hold only the total.
        if method in (Method.PAPER, Method.IMPORT, Method.API):
            return score_total_only(instrument.spec, total)
        raise RatingError(_("Every line must be marked."), "items")
    except ScoreError as error:
        raise RatingError(error.message, error.field) from None


def _checked(session, instrument, method, rater, rater_name, age_group, scored) -> Checked:
    return Checked(
        session=session,
        instrument=instrument,
        method=method,
        rater=rater,
        rater_name="" if rater == Rater.CLIENT else rater_name.strip(),
        age_group=age_group,
        items={key: str(value) for key, value in scored.items.items()}
        if scored.items is not None
        else None,
        total=scored.total,
    )


def store_checked(
    checked: Checked,
    *,
    submission_key: uuid.UUID,
    rated_at: datetime.datetime | None = None,
    user=None,
    request=None,
) -> Rating:
    """Insert a checked rating and its audit event, in the caller's transaction and without a
    savepoint of its own: an IntegrityError (the key or the session's slot taken meanwhile)
    spoils that transaction, so the caller must leave it before looking at what is stored."""
    rating = Rating.objects.create(
        session=checked.session,
        instrument=checked.instrument,
        purpose=checked.instrument.purpose,
        rater=checked.rater,
        rater_name=checked.rater_name,
        age_group=checked.age_group,
        items=checked.items,
        total=checked.total,
        method=checked.method,
        rated_at=rated_at or timezone.now(),
        submission_key=submission_key,
    )
    client = checked.session.episode.client
    log.record(Action.CREATE, obj=rating, client=client, user=user, request=request)
    return rating


def stored_after_clash(submission_key: uuid.UUID, session: Session) -> Recorded:
    """After an IntegrityError: the rating stored meanwhile under this key, or why not."""
    existing = Rating.objects.filter(submission_key=submission_key).first()
    if existing is not None:
        return _repeat(existing, session)
    raise RatingError(
        _("This session already has an answer to this form from this person."), "session"
    ) from None


def record_rating(
    *,
    session: Session,
    instrument: Instrument,
    submission_key: uuid.UUID,
    method: str,
    items: Mapping[str, object] | None = None,
    total: object = None,
    rater: str = Rater.CLIENT,
    rater_name: str = "",
    rated_at: datetime.datetime | None = None,
    user=None,
    request=None,
) -> Recorded:
    """Store one submitted rating once, or return the one already stored for this key.

    A repeat of the same submission key (a double tap, a retry, an offline answer sent again)
    returns the stored rating unchanged; nothing is ever half-saved.
    """
    age_group = _check_who_and_form(session, instrument, method, rater)

    existing = Rating.objects.filter(submission_key=submission_key).first()
    if existing is not None:
        return _repeat(existing, session)

    scored = _score(instrument, method, items, total)
    checked = _checked(session, instrument, method, rater, rater_name, age_group, scored)
    try:
        with transaction.atomic():
            rating = store_checked(
                checked,
                submission_key=submission_key,
                rated_at=rated_at,
                user=user,
                request=request,
            )
    except IntegrityError:
        return stored_after_clash(submission_key, session)
    return Recorded(rating, created=True)


def _repeat(existing: Rating, session: Session) -> Recorded:
    if existing.session_id != session.pk:
        raise RatingError(_("This form has already been used."), "submission_key")
    return Recorded(existing, created=False)
