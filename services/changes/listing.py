"""Which entries are shown where: all of a service's to its leaders, the published ones to
everyone, newest change first, and the newest one alone after the form."""

from django.db.models import QuerySet

from .models import ChangeMade

NEWEST_FIRST = ("-changed_on", "-published_on", "-pk")


def of_service(service_id: int) -> QuerySet[ChangeMade]:
    return (
        ChangeMade.objects.filter(service_id=service_id)
        .select_related("theme")
        .order_by(*NEWEST_FIRST)
    )


def published(service_id: int) -> QuerySet[ChangeMade]:
    return of_service(service_id).filter(published=True)


def newest(service_id: int) -> ChangeMade | None:
    """The newest published entry with its service (for the address), in one query."""
    return published(service_id).select_related("service").first()
