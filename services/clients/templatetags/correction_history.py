"""The client page's short history of corrected answers, as an inclusion tag.

The client page is shared by several features; this keeps the history's read here, behind one
line in the page. It is read only for an episode that has one (`corrected`, annotated on the
page's episodes by `services.ratings.corrections.has_corrections`), so an ordinary client page
costs no query more.
"""

from django import template

from services.ratings.corrections import history

register = template.Library()


@register.inclusion_tag("clients/_corrections.html", takes_context=True)
def correction_history(context) -> dict:
    episode = context["episode"]
    return {"history": history(episode.pk) if getattr(episode, "corrected", True) else []}
