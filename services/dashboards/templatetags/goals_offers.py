"""The dashboard's goals and offers part, behind one line in the page
(templates/dashboards/_goals_offers.html): computed on every view in two queries (see
`goals_offers`), its sentences made at render time in the reader's language."""

from dataclasses import dataclass

from django import template
from django.utils.translation import gettext as _

from services.dashboards import sentences
from services.dashboards.goals_offers import GoalsAndOffers, goals_and_offers
from services.dashboards.lines import Line
from services.dashboards.scope import Scope

register = template.Library()


@dataclass(frozen=True)
class Part:
    figures: GoalsAndOffers
    goals: str
    movement: str
    offers: str
    lines: list[Line]


def part(found: GoalsAndOffers) -> Part:
    episodes = found.episodes
    return Part(
        figures=found,
        goals=sentences.goals_set(episodes, found.with_goal.share),
        movement=sentences.goal_movement(found.movement),
        offers=sentences.offers_told(found.told_peer.share, found.told_any.share),
        lines=[
            Line(
                "with-goal",
                _("Episodes with at least one goal"),
                found.with_goal.share,
                "percent",
                sentences.share_counted(found.with_goal.count, episodes),
            ),
            Line(
                "movement",
                _("Mean goal movement, first score to latest (0–10)"),
                found.movement,
                "points",
                sentences.movement_counted(found.movement, found.moved_goals),
            ),
            Line(
                "told-peer",
                _("Told about a peer or self-help offer"),
                found.told_peer.share,
                "percent",
                sentences.share_counted(found.told_peer.count, episodes),
            ),
            Line(
                "told-any",
                _("Told about at least one offer"),
                found.told_any.share,
                "percent",
                sentences.share_counted(found.told_any.count, episodes),
            ),
        ],
    )


@register.simple_tag(takes_context=True)
def goals_and_offers_part(context) -> Part:
    """The part for the service, team or helper and the period shown."""
    period, team, helper = context["dashboard"].period, context["team"], context["helper"]
    scope = Scope(
        context["service"].pk,
        period.start,
        period.end,
        team.pk if team else None,
        helper.pk if helper else None,
    )
    return part(goals_and_offers(scope))
