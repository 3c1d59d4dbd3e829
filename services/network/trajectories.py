"""A network's expected trajectories: combined from its members' own fitted models.

Only the members' stored `TrajectoryModel` rows are read here, never a rating, an episode or a
client: what leaves a service is the percentiles it fitted on its own closed episodes, and the
combination is `services.measures.combining.combine_trajectories` (pure). The members that
chose to (`NetworkMember.use_network_trajectories`) then chart their clients against it where
they have no model of their own (`services.measures.models.current_trajectory_models`).
See docs/trajectories.md.
"""

import datetime
from dataclasses import dataclass

from services.measures.age_groups import AgeGroup
from services.measures.combining import combinable, combine_trajectories
from services.measures.models import TrajectoryModel
from services.measures.trajectory import MIN_EPISODES, default_model

from .models import Network, NetworkMember


@dataclass(frozen=True)
class Combined:
    """What combining one age group of a network gave: the stored model, or None with the
    number of members that could contribute (fewer than MIN_NETWORK_SERVICES)."""

    age_group: str
    contributors: int
    stored: TrajectoryModel | None


def member_models(
    network: Network, min_episodes: int = MIN_EPISODES
) -> dict[str, list[TrajectoryModel]]:
    """Each active member's newest own model per age group, if it rests on at least
    `min_episodes` closed episodes; by age group. One query.

    A member whose newest model is smaller contributes nothing (not an older, larger one: its
    own charts use the newest). Models of network or shared rows are never members' models.
    """
    rows = (
        TrajectoryModel.objects.filter(
            service__network_memberships__in=NetworkMember.objects.active().filter(network=network),
            network__isnull=True,
        )
        .exclude(age_group="")
        .order_by("service_id", "age_group", "-fitted_at", "-pk")
    )
    newest: dict[tuple[int, str], TrajectoryModel] = {}
    for row in rows:
        newest.setdefault((row.service_id, row.age_group), row)
    by_group: dict[str, list[TrajectoryModel]] = {}
    for (_, age_group), row in sorted(newest.items()):
        if row.n_episodes >= min_episodes:
            by_group.setdefault(age_group, []).append(row)
    return by_group


def combine_network(
    network: Network, *, min_episodes: int = MIN_EPISODES, now: datetime.datetime
) -> list[Combined]:
    """Combine and store the network's model of each scored age group its members have
    models of; every run adds rows, so earlier models remain on record."""
    results = []
    by_group = member_models(network, min_episodes)
    for age_group in AgeGroup.values:
        default = default_model(age_group)
        if default is None or age_group not in by_group:
            continue
        members = [row for row in by_group[age_group] if combinable(row.trajectory, default)]
        model = combine_trajectories(
            [row.trajectory for row in members], default=default, fitted_at=now
        )
        stored = None
        if model is not None:
            stored = TrajectoryModel.objects.create(
                network=network,
                age_group=age_group,
                method=model.method,
                n_episodes=model.n_episodes,
                n_services=len(members),
                fitted_at=now,
                parameters=model.to_dict(),
            )
        results.append(Combined(age_group, len(members), stored))
    return results
