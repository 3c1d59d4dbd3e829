"""The signed-in user's roles, so menus show only what the user may open."""

from .models import Membership


def roles(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"roles": frozenset()}
    return {"roles": frozenset(Membership.objects.filter(user=user).values_list("role", flat=True))}
