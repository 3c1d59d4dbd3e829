"""Goals and offers on the leaders' dashboard (issue #17): how many episodes have a goal of the
client's own, how the goals moved, and how many clients were told about offers.

Which episodes: those of the service (or the team, or the episodes a helper is responsible
for) with at least one session in the period, the same clients the page's "active clients"
counts. For each, what was there by the period's end: a goal set, scores given at sessions up
to that day, offers talked about up to that day.

- With a goal: the share of those episodes with at least one goal.
- Goal movement: per goal scored at two or more sessions, the latest score minus the first
  (0–10), averaged over the goals. It rests on the episodes those goals belong to (a client
  with three goals is still one person), under the small-number rule. It is never broken down
  by team or helper beside each other: goals are the client's own words and pace, not a
  yardstick (no ranking by goal scores).
- Told about offers: the share of those episodes with at least one peer or self-help offer
  ticked as talked about (`offers.models.PEER_KINDS`), and with any offer.

Computed in the database, in two queries on every view, whatever the data size: goals, scores
and ticks are written by helpers at any time and are not in the dashboard facts, so these
figures cannot be kept with the page's figures (which change with the facts, `freshness`).
"""

import datetime
from dataclasses import dataclass

from django.db.models import Avg, Count, Exists, F, OuterRef, Q, QuerySet, Subquery

from services.clients.models import Episode
from services.goals.models import Goal, GoalRating
from services.offers.models import PEER_KINDS, OfferTalkedAbout
from services.sessions.models import Session

from .scope import Scope
from .suppression import Figure, protect, protect_count

HELPERS = Episode.helpers.through


@dataclass(frozen=True)
class Share:
    """A share of the episodes in view, protected by their number, with its count (None where
    the share is withheld or there is nothing to count)."""

    share: Figure
    count: int | None


@dataclass(frozen=True)
class GoalsAndOffers:
    episodes: Figure  # episodes with a session in the period
    with_goal: Share
    movement: Figure  # mean points on 0–10; its n is the episodes it rests on
    moved_goals: int | None  # goals scored twice or more, None where the movement is withheld
    told_peer: Share
    told_any: Share

    @property
    def empty(self) -> bool:
        return not self.episodes.suppressed and not self.episodes.value


def episodes_in_view(scope: Scope) -> QuerySet[Episode]:
    """The scope's episodes with at least one session in the period."""
    sessions = Session.objects.filter(Q(episode_id=OuterRef("pk")) & scope.dated("date"))
    episodes = Episode.objects.filter(Exists(sessions), service_id=scope.service_id)
    if scope.team_id is not None:
        episodes = episodes.filter(team_id=scope.team_id)
    if scope.helper_id is not None:
        responsible = HELPERS.objects.filter(episode_id=OuterRef("pk"), user_id=scope.helper_id)
        episodes = episodes.filter(Exists(responsible))
    return episodes


def _by_end(field: str, end: datetime.date | None) -> Q:
    return Q() if end is None else Q(**{f"{field}__lte": end})


def episode_counts(scope: Scope) -> dict[str, int]:
    """The episodes in view, and how many had a goal and were told about offers, in one query."""
    goals = Goal.objects.filter(Q(episode_id=OuterRef("pk")) & _by_end("created_on", scope.end))
    ticks = OfferTalkedAbout.objects.filter(
        Q(episode_id=OuterRef("pk")) & _by_end("talked_on", scope.end)
    )
    return episodes_in_view(scope).aggregate(
        episodes=Count("pk"),
        with_goal=Count("pk", filter=Exists(goals)),
        told_peer=Count("pk", filter=Exists(ticks.filter(offer__kind__in=PEER_KINDS))),
        told_any=Count("pk", filter=Exists(ticks)),
    )


def movement_sums(scope: Scope) -> dict:
    """Over the goals of the episodes in view scored at two or more sessions up to the
    period's end: their number, their episodes, and the mean of latest minus first score, in
    one query."""
    scores = GoalRating.objects.filter(
        Q(goal_id=OuterRef("pk")) & _by_end("session__date", scope.end)
    )
    first = scores.order_by("session__number").values("score")[:1]
    latest = scores.order_by("-session__number").values("score")[:1]
    scored = scores.order_by().values("goal_id").annotate(n=Count("pk")).values("n")
    goals = Goal.objects.filter(
        Q(episode__in=episodes_in_view(scope).values("pk")) & _by_end("created_on", scope.end)
    ).alias(scored=Subquery(scored))
    goals = goals.filter(scored__gte=2).annotate(first=Subquery(first), latest=Subquery(latest))
    return goals.aggregate(
        goals=Count("pk"),
        episodes=Count("episode_id", distinct=True),
        mean=Avg(F("latest") - F("first")),
    )


def _share(count: int, episodes: int) -> Share:
    share = protect(count / episodes if episodes else None, episodes)
    return Share(share, count if share.shown else None)


def figures(episodes: dict[str, int], movement: dict) -> GoalsAndOffers:
    """The counts and sums made into protected figures."""
    n = episodes["episodes"]
    moved = movement["episodes"] or 0
    mean = protect(None if movement["mean"] is None else float(movement["mean"]), moved)
    return GoalsAndOffers(
        episodes=protect_count(n),
        with_goal=_share(episodes["with_goal"], n),
        movement=mean,
        moved_goals=movement["goals"] if mean.shown else None,
        told_peer=_share(episodes["told_peer"], n),
        told_any=_share(episodes["told_any"], n),
    )


def goals_and_offers(scope: Scope) -> GoalsAndOffers:
    return figures(episode_counts(scope), movement_sums(scope))
