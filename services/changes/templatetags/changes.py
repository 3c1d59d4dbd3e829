"""The newest "vi gjorde" on the client's thank-you page, from the hand-over at hand.

A tag rather than view code, like the offers' list, so the rating views stay as they are and
every thank-you page (tablet, link, short link) shows the same entry with one more query.
"""

from django import template
from django.urls import reverse
from django.utils.translation import get_language

from services.changes import listing, reading

register = template.Library()


@register.simple_tag
def newest_change(handover) -> dict | None:
    """The service's newest published entry in the reader's language and the address of all of
    them, or None when it has published none."""
    if handover is None:
        return None
    change = listing.newest(handover.session.episode.client.service_id)
    if change is None:
        return None
    return {
        "shown": reading.shown(change, get_language() or "nb"),
        "url": reverse("changes:public", args=[change.service.code]),
    }
