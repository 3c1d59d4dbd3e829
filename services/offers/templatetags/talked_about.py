"""The client page's line on offers talked about, behind one line in the page
(templates/offers/_client_page.html): counted here, in one query, so the client page itself
need not know about offers."""

from django import template

from ..talked_about import summary

register = template.Library()


@register.inclusion_tag("offers/_talked_about_line.html", takes_context=True)
def offers_talked_about_line(context) -> dict:
    episode = context["episode"]
    return {
        "client": context["client"],
        "episode": episode,
        "summary": summary(episode.pk),
        "may_tick": episode.is_open and "helper" in context.get("roles", ()),
    }
