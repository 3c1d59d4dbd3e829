"""The notes as each page reads them: the public page's answered notes, the readers' list with
its filters, and the service's themes and places."""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404, QueryDict

from services.accounts.models import Service

from .models import Note, Place, Theme

PUBLIC_SHOWN = 20
NONE = "none"  # the filter value for notes without a theme or a place


def themes(service: Service) -> QuerySet[Theme]:
    return Theme.objects.filter(service=service)


def places(service: Service) -> QuerySet[Place]:
    return Place.objects.filter(service=service)


def public_notes(service: Service, place: Place | None) -> QuerySet[Note]:
    """The newest notes the readers chose to show with their reply, never spam; on a place's
    page that place's only. Only the text, the reply and the month are shown."""
    notes = Note.objects.filter(service=service, reply_public=True, is_spam=False)
    if place is not None:
        notes = notes.filter(place=place)
    return notes.exclude(reply="").only("text", "reply", "received_on")[:PUBLIC_SHOWN]


@dataclass(frozen=True)
class Filters:
    """The list's filters as asked for: a theme or place id, NONE, or "" for any; spam or not."""

    theme: str = ""
    place: str = ""
    spam: bool = False

    def query(self) -> str:
        """The filters as a query string, to come back to the same list after a change."""
        data = QueryDict(mutable=True)
        for key, value in (("theme", self.theme), ("place", self.place)):
            if value:
                data[key] = value
        if self.spam:
            data["spam"] = "1"
        return data.urlencode()


def _choice(value: str) -> str:
    """An id, NONE or ""; anything else is a 404, like a team that is not the service's."""
    if value in ("", NONE) or value.isdigit():
        return value
    raise Http404


def filters_from(data: QueryDict) -> Filters:
    return Filters(
        theme=_choice(data.get("theme", "")),
        place=_choice(data.get("place", "")),
        spam=data.get("spam", "") == "1",
    )


def _narrowed(notes: QuerySet[Note], field: str, value: str) -> QuerySet[Note]:
    if value == NONE:
        return notes.filter(**{f"{field}__isnull": True})
    if value:
        return notes.filter(**{f"{field}_id": int(value)})
    return notes


def staff_notes(service: Service, filters: Filters) -> QuerySet[Note]:
    """The service's notes, newest first, with their theme and place in the same query."""
    notes = Note.objects.filter(service=service, is_spam=filters.spam)
    notes = _narrowed(notes, "theme", filters.theme)
    notes = _narrowed(notes, "place", filters.place)
    return notes.select_related("theme", "place").order_by("-received_on", "-pk")


def note_of(service: Service, note_id: int) -> Note:
    note = Note.objects.filter(service=service, pk=note_id).first()
    if note is None:
        raise Http404
    return note
