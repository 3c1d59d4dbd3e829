"""Handing a form over in tests: answered, the tablet locked to it, and its thank-you pages.

The pages after the form (the goals question, the comment, the offers, "vi gjorde") are all
reached the same way, so their tests share these steps instead of each writing them again.
"""

import uuid

from django.urls import reverse
from django.utils import timezone, translation

from services.ratings import kiosk, links
from services.ratings.handovers import prepare_handover, submit_answer
from services.ratings.models import Handover
from tests.factories import items_for


def answered(episode, user, *, purpose: str, method: str = "tablet", **options) -> Handover:
    """A hand-over of the service's form for `purpose`, answered by the client and stored."""
    handover = prepare_handover(episode, method=method, purpose=purpose, user=user, **options)
    key = handover.instrument.key
    submit_answer(
        handover,
        submission_key=uuid.uuid4(),
        items=items_for(key, 36 if purpose == "alliance" else 20),
        instrument_key=key,
    )
    handover.refresh_from_db()
    return handover


def marked_answered(episode, user, method: str) -> Handover:
    """A hand-over of the outcome form marked as used, for pages that show no answer."""
    handover = prepare_handover(episode, method=method, purpose="outcome", user=user)
    Handover.objects.filter(pk=handover.pk).update(used_at=timezone.now())
    return handover


def lock_tablet(client, handover: Handover, language: str = "nb") -> None:
    """The tablet in `client` shows `handover`'s pages, as after "Give the tablet to the client"."""
    session = client.session
    session[kiosk.SESSION_KEY] = {"handover": handover.pk, "language": language}
    session.save()


def remote_thanks(client, handover: Handover):
    return client.get(reverse("ratings:remote_thanks", args=[links.token_for(handover)]))


def in_language(language: str, message: str) -> str:
    """The message as the page shows it, before and after the catalogues have it."""
    with translation.override(language):
        return translation.gettext(message)
