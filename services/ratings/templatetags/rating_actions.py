"""The helper's rating actions on the client page, as one inclusion tag.

The client page is someone else's template; this keeps everything about handing forms over in
this app, behind one line in the page.
"""

from django import template
from django.utils import timezone

from services.measures.models import Purpose
from services.ratings.forms import HandoverForm, form_names
from services.ratings.models import Handover, Method, Rater, Rating
from services.sessions.models import SessionKind

register = template.Library()


def _today(context, episode) -> tuple[object | None, set[str]]:
    """Today's latest session (anything with a `number`) and the purposes the client answered
    in it. The client page has read the episode's sessions and ratings already (`records`,
    `ratings`); elsewhere they are read here."""
    today = timezone.localdate()
    if "records" in context and "ratings" in context:
        # A group meeting's session is the group's (services.groups), not the helper's today.
        sessions = [
            record
            for record in context["records"]
            if record.date == today and record.kind != SessionKind.GROUP
        ]
        session = max(sessions, key=lambda record: record.number) if sessions else None
        answered = {
            rating.purpose
            for rating in context["ratings"]
            if session is not None
            and rating.session_id == session.session_id
            and rating.rater == Rater.CLIENT
        }
        return session, answered
    sessions = episode.sessions.filter(date=today).exclude(kind=SessionKind.GROUP)
    session = sessions.order_by("-number").first()
    if session is None:
        return None, set()
    rated = Rating.objects.filter(session=session, rater=Rater.CLIENT)
    return session, set(rated.values_list("purpose", flat=True))


@register.inclusion_tag("ratings/_actions.html", takes_context=True)
def rating_actions(context) -> dict:
    episode, client = context["episode"], context["client"]
    now = timezone.now()
    session, answered = _today(context, episode)
    purpose = Purpose.ALLIANCE if Purpose.OUTCOME in answered else Purpose.OUTCOME
    open_links = (
        Handover.objects.filter(
            session__episode=episode,
            method=Method.LINK,
            used_at__isnull=True,
            expires_at__gt=now,
            group_turn__isnull=True,  # a group meeting's form is the member's turn, not a link
        )
        .select_related("session", "instrument")
        .order_by("-created_at")
    )
    names = form_names(episode)
    return {
        "client": client,
        "episode": episode,
        "session": session,
        "ors_done": Purpose.OUTCOME in answered,
        "srs_done": Purpose.ALLIANCE in answered,
        "names": names,
        "form": HandoverForm(initial={"purpose": purpose}, names=names),
        "open_links": list(open_links[:5]),
        "csrf_token": context.get("csrf_token"),
        "request": context.get("request"),
    }
