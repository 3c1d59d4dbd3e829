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

from .models import Method, Rater, Rating


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
    client = session.episode.client
    if method not in Method.values:
        raise RatingError(_("Unknown collection method."), "method")
    if rater not in Rater.values:
        raise RatingError(_("Unknown rater."), "rater")
    if rater == Rater.CLIENT:
        rater_name = ""
    rater_name = rater_name.strip()
    if client.declined_feedback and method != Method.IMPORT:
        raise RatingError(_("The client has declined to give feedback."), "session")
    if not instrument.active:
        raise RatingError(_("This form is no longer in use."), "instrument")
    age_group = client.age_group_on(session.date)
    if age_group not in instrument.spec.age_groups:
        raise RatingError(_("This form is not meant for the client's age group."), "instrument")

    existing = Rating.objects.filter(submission_key=submission_key).first()
    if existing is not None:
        return _repeat(existing, session)

    try:
        if items is not None:
            scored = score_items(instrument.spec, items)
        elif method == Method.PAPER or method == Method.IMPORT:
            scored = score_total_only(instrument.spec, total)
        else:
            raise RatingError(_("Every line must be marked."), "items")
    except ScoreError as error:
        raise RatingError(error.message, error.field) from None

    try:
        with transaction.atomic():
            rating = Rating.objects.create(
                session=session,
                instrument=instrument,
                purpose=instrument.purpose,
                rater=rater,
                rater_name=rater_name,
                age_group=age_group,
                items={key: str(value) for key, value in scored.items.items()}
                if scored.items is not None
                else None,
                total=scored.total,
                method=method,
                rated_at=rated_at or timezone.now(),
                submission_key=submission_key,
            )
            log.record(Action.CREATE, obj=rating, client=client, user=user, request=request)
    except IntegrityError:
        existing = Rating.objects.filter(submission_key=submission_key).first()
        if existing is not None:
            return _repeat(existing, session)
        raise RatingError(
            _("This session already has an answer to this form from this person."), "session"
        ) from None
    return Recorded(rating, created=True)


def _repeat(existing: Rating, session: Session) -> Recorded:
    if existing.session_id != session.pk:
        raise RatingError(_("This form has already been used."), "submission_key")
    return Recorded(existing, created=False)
