"""Which offers are shown where: all of them to the service's administrators, the active ones
at the public address, and a few to a client after the form, peer and self-help first.
"""

from django.db.models import Case, IntegerField, QuerySet, Value, When

from .models import PEER_KINDS, Offer

# After the form a client reads a short list, not a directory; the rest is one link away.
FOR_CLIENT = 4


def of_service(service) -> QuerySet[Offer]:
    return Offer.objects.filter(service=service)


def active(service_id: int) -> QuerySet[Offer]:
    return Offer.objects.filter(service_id=service_id, active=True)


def peer_first(offers: QuerySet[Offer]) -> QuerySet[Offer]:
    rank = Case(
        When(kind__in=PEER_KINDS, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return offers.annotate(peer_rank=rank).order_by("peer_rank", "order", "title")


def for_client(service_id: int) -> list[Offer]:
    """At most `FOR_CLIENT` active offers, peer and self-help first, in one query."""
    return list(peer_first(active(service_id)).select_related("service")[:FOR_CLIENT])
