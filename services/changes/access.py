"""Who may open the "vi gjorde" pages of a service: its leaders and administrators write and
publish; members of its user council read along (they help choose what to change) but do not
publish in the service's name. Helpers have no part here. Anyone else, and any service the user
has no such role in, gets a 404, so a guessed code does not reveal that the service exists.
"""

from dataclasses import dataclass

from django.http import Http404

from services.accounts.models import Membership, Role, Service

WRITERS = frozenset({Role.LEADER, Role.ADMINISTRATOR})
READERS = WRITERS | {Role.COUNCIL}


@dataclass(frozen=True)
class Place:
    """The service the page is about and what this user may do there."""

    service: Service
    may_write: bool
    administers: bool


def place_for(user, code: str, *, write: bool = False) -> Place:
    """The user's place in the service with this code, in one query; 404 when they have none
    (or only read and want to write)."""
    if not user.is_authenticated:
        raise Http404
    here = Membership.objects.filter(user=user, service__code=code, role__in=READERS)
    memberships = list(here.select_related("service"))
    roles = {membership.role for membership in memberships}
    if not roles or (write and not roles & WRITERS):
        raise Http404
    return Place(
        service=memberships[0].service,
        may_write=bool(roles & WRITERS),
        administers=Role.ADMINISTRATOR in roles,
    )
