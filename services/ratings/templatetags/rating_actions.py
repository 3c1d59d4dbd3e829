"""The helper's rating actions on the client page, as one inclusion tag.

The client page is someone else's template; this keeps everything about handing forms over in
this app, behind one line in the page.
"""

from django import template
from django.utils import timezone

from services.measures.models import Purpose
from services.ratings.forms import HandoverForm
from services.ratings.models import Handover, Method, Rater, Rating

register = template.Library()


@register.inclusion_tag("ratings/_actions.html", takes_context=True)
def rating_actions(context) -> dict:
    episode, client = context["episode"], context["client"]
    now = timezone.now()
    session = episode.sessions.filter(date=timezone.localdate()).order_by("-number").first()
    answered = set()
    if session is not None:
        answered = set(
            Rating.objects.filter(session=session, rater=Rater.CLIENT).values_list(
                "purpose", flat=True
            )
        )
    purpose = Purpose.ALLIANCE if Purpose.OUTCOME in answered else Purpose.OUTCOME
    open_links = (
        Handover.objects.filter(
            session__episode=episode, method=Method.LINK, used_at__isnull=True, expires_at__gt=now
        )
        .select_related("session", "instrument")
        .order_by("-created_at")
    )
    return {
        "client": client,
        "episode": episode,
        "session": session,
        "ors_done": Purpose.OUTCOME in answered,
        "srs_done": Purpose.ALLIANCE in answered,
        "form": HandoverForm(initial={"purpose": purpose}),
        "open_links": list(open_links[:5]),
        "csrf_token": context.get("csrf_token"),
        "request": context.get("request"),
    }
