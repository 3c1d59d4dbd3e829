"""Who reads the suggestion box: every view asks here, and nowhere else.

A service's leaders, administrators and user-council members read the notes, tag them, mark
spam and reply; only leaders and administrators keep the themes and places. A service the user
has no such role in is a 404, so a guessed code does not reveal that it exists. A council
member's role opens nothing else: every other page asks for its own roles.
"""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from services.accounts.models import Membership, Role, Service

READER_ROLES = (Role.LEADER, Role.ADMINISTRATOR, Role.COUNCIL)
KEEPER_ROLES = (Role.LEADER, Role.ADMINISTRATOR)


@dataclass(frozen=True)
class Reader:
    """The service whose notes are read, and the reader's roles in it."""

    service: Service
    roles: frozenset[str]

    @property
    def keeps_themes(self) -> bool:
        """Leaders and administrators keep the themes and places; council members do not."""
        return bool(self.roles & set(KEEPER_ROLES))

    @property
    def administers(self) -> bool:
        return Role.ADMINISTRATOR in self.roles

    @property
    def hide_admin_tabs(self) -> bool:
        """The service's tabs show the administrators' own pages to administrators only."""
        return not self.administers


def readable_services(user) -> QuerySet[Service]:
    """The services whose suggestion box this user reads."""
    if not user.is_authenticated:
        return Service.objects.none()
    memberships = Membership.objects.filter(user=user, role__in=READER_ROLES)
    return Service.objects.filter(pk__in=memberships.values("service")).order_by("name")


def reader_for(user, code: str) -> Reader:
    """The service with this code and the user's roles in it, in one query; 404 for a service
    whose notes the user does not read."""
    if not user.is_authenticated:
        raise Http404
    memberships = list(
        Membership.objects.filter(
            user=user, service__code=code, role__in=READER_ROLES
        ).select_related("service")
    )
    if not memberships:
        raise Http404
    return Reader(memberships[0].service, frozenset(m.role for m in memberships))


def keeper_for(user, code: str) -> Reader:
    """As `reader_for`, for the pages only leaders and administrators open (themes, places)."""
    reader = reader_for(user, code)
    if not reader.keeps_themes:
        raise Http404
    return reader
