"""Who keeps a group: every group page asks here, and nowhere else.

A group is kept by its leader, a helper of the group's service. Members who are clients are
identified on the group's pages, so nobody else opens them, colleagues and the service's leader
included (the leader sees groups only as figures on the dashboard, with the small-number rule).
A group the user does not lead is a 404, so a guessed id does not reveal that it exists.
"""

from django.db.models import QuerySet
from django.http import Http404

from services.clients.access import helper_memberships

from .models import Group


def led_groups(user) -> QuerySet[Group]:
    """The groups this user leads, in services where they are still a helper."""
    if not user.is_authenticated:
        return Group.objects.none()
    return Group.objects.filter(leader=user, service__in=helper_memberships(user).values("service"))


def group_for(user, pk: int) -> Group:
    group = led_groups(user).select_related("service", "leader").filter(pk=pk).first()
    if group is None:
        raise Http404
    return group
