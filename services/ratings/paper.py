"""Entering a paper form afterwards: its line lengths (any number of lines), or the total only.

Marked as paper entry and dated on the session's day (at noon, like imported ratings), because
that is when the client answered, not when the helper typed it in.
"""

import datetime
import uuid
from collections.abc import Sequence

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from services.measures.models import Instrument
from services.measures.scoring import ScoreError, parse_score, score_items
from services.sessions.models import Session

from .models import Method
from .recording import RatingError, Recorded, record_rating


def _rated_at(session: Session) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(session.date, datetime.time(12)))


def _item_mapping(instrument: Instrument, items: Sequence[str], total: str) -> dict[str, str]:
    """The lines by item key. The page shows as many lines as the widest form offered, so the
    lines beyond this form's own must be empty."""
    keys = instrument.spec.item_keys
    if len(items) < len(keys) or any(items[len(keys) :]):
        raise RatingError(_("This form has %(count)d lines.") % {"count": len(keys)}, "items")
    mapping = dict(zip(keys, items[: len(keys)], strict=True))
    if total:
        try:
            scored = score_items(instrument.spec, mapping)
            given = parse_score(
                total,
                maximum=instrument.spec.max_total,
                decimals=instrument.spec.decimals,
                field="total",
            )
        except ScoreError as error:
            raise RatingError(error.message, error.field) from None
        if given != scored.total:
            raise RatingError(
                _("The total is not the sum of the lines. Correct it or leave it empty."),
                "total",
            )
    return mapping


def record_paper(
    *,
    session: Session,
    instrument: Instrument,
    items: Sequence[str],
    total: str,
    rater: str,
    rater_name: str,
    submission_key: uuid.UUID,
    user,
    request=None,
) -> Recorded:
    """Store a paper form once (a double click sends the same submission key)."""
    total = total.strip()
    mapping = _item_mapping(instrument, items, total) if any(items) else None
    return record_rating(
        session=session,
        instrument=instrument,
        submission_key=submission_key,
        method=Method.PAPER,
        items=mapping,
        total=None if mapping is not None else total,
        rater=rater,
        rater_name=rater_name,
        rated_at=_rated_at(session),
        user=user,
        request=request,
    )
