"""The short list of offers on the client's thank-you page, from the hand-over at hand.

A tag rather than view code, so the rating views stay as they are and every thank-you page
(tablet, link, short link) shows the same list with one more query.
"""

from dataclasses import dataclass

from django import template
from django.utils.translation import get_language

from services.offers import listing, qr, reading

register = template.Library()


@dataclass(frozen=True)
class ClientOffers:
    items: list
    url: str
    qr: str


@register.simple_tag(takes_context=True)
def client_offers(context, handover) -> ClientOffers | None:
    """The service's few active offers for this client, or None when it lists none."""
    if handover is None:
        return None
    offers = listing.for_client(handover.session.episode.client.service_id)
    if not offers:
        return None
    url = qr.public_url(context["request"], offers[0].service.code)
    items = reading.shown_all(offers, get_language() or "nb")
    return ClientOffers(items=items, url=url, qr=qr.data_uri(url))
