"""Peer supervision's part of the client page, behind one line in it: the episode's shared
cases with their withdraw buttons, and the link to share. It reads them in one query, and only
for a user whose service is in a network (see `receivers`), so other client pages pay nothing."""

from django import template

from ..models import SharedCase
from ..receivers import IN_NETWORK

register = template.Library()


@register.inclusion_tag("peer/_client_cases.html", takes_context=True)
def peer_cases(context) -> dict:
    request = context.get("request")
    if request is None or not request.session.get(IN_NETWORK):
        return {"shown": False}
    episode = context["episode"]
    return {
        "shown": True,
        "client": context["client"],
        "episode": episode,
        "may_share": "helper" in context.get("roles", ()),
        "cases": list(
            SharedCase.objects.filter(episode=episode)
            .select_related("group__network")
            .order_by("-shared_at", "-pk")
        ),
        "csrf_token": context.get("csrf_token"),
    }
