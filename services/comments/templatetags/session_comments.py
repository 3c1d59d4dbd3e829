"""The client's comments on the client's page, in the sessions table under the session's row.

The page has read the episode's ratings already, each with its comment (`select_related`), so
the comments cost no query more; they are read from there, once per page, not per session.
The page itself is audited as a view of the client (`services.clients.views`).
"""

from django import template

from services.measures.models import Purpose

register = template.Library()

CACHE_KEY = "session_comments"


def _by_session(ratings) -> dict[int, list]:
    """The alliance ratings that have a comment, by session number."""
    found: dict[int, list] = {}
    for rating in ratings:
        comment = getattr(rating, "comment", None) if rating.purpose == Purpose.ALLIANCE else None
        if comment is not None:
            found.setdefault(rating.session.number, []).append(rating)
    return found


@register.inclusion_tag("comments/_session_comment.html", takes_context=True)
def session_comment(context, record) -> dict:
    cache = context.render_context
    if CACHE_KEY not in cache:
        cache[CACHE_KEY] = _by_session(context.get("ratings") or [])
    return {"ratings": cache[CACHE_KEY].get(record.number, [])}
