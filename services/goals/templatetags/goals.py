"""The client page's goals, behind one line in the page (templates/goals/_client_page.html):
read here, in one query, so the client page itself need not know about goals."""

from django import template

from ..models import MAX_OPEN_GOALS
from ..reading import episode_goals, open_goals, score_table

register = template.Library()


@register.inclusion_tag("goals/_episode_goals.html", takes_context=True)
def episode_goals_part(context) -> dict:
    """The episode's goals with their latest score and each goal's scores over sessions."""
    episode = context["episode"]
    # The client page reads them once for its chart and this part (`episode_goal_views`).
    goals = context.get("episode_goal_views")
    if goals is None:
        goals = episode_goals(episode.pk)
    opened = open_goals(goals)
    return {
        "client": context["client"],
        "episode": episode,
        "goals": goals,
        "table": score_table(goals),
        "may_add": episode.is_open
        and len(opened) < MAX_OPEN_GOALS
        and "helper" in context.get("roles", ()),
        "roles": context.get("roles", ()),
        "today": context.get("today"),
        "csrf_token": context.get("csrf_token"),
    }
