"""Calibrate a service's expected trajectories on its own closed episodes, per age group.

Run it now and then (say monthly): the curves then follow the service's own clients instead of
the default assumption, and the chart caption says on how many episodes they rest. Each age
group is fitted on its own episodes (an episode belongs to the age group of its intake rating)
once it has enough of them; the others keep their group's default.

With --network, the network's model of each age group is combined from its active members'
own models (only their fitted percentiles, never their rows), once two or more members have
one: the members that chose to use it chart against it where they have none of their own.
"""

from collections import defaultdict
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from services.accounts.models import Service
from services.measures.age_groups import AgeGroup
from services.measures.combining import MIN_NETWORK_SERVICES
from services.measures.models import Purpose, TrajectoryModel
from services.measures.trajectory import (
    MIN_EPISODES,
    EpisodeScores,
    default_model,
    fit_trajectories,
)
from services.network.models import Network
from services.network.trajectories import combine_network
from services.ratings.models import Rater, Rating


def closed_episode_scores(service: Service) -> dict[str, list[EpisodeScores]]:
    """(intake, ORS by session from intake) for each closed episode with two or more client
    ratings on its intake's form, by the age group at the intake rating.

    One query for any number of episodes. The intake is the first client outcome rating by
    session date (then number), as in the outcome report; it decides the age group and the
    form. Later ratings on the same form go to their session number counted from the intake's,
    with None for sessions not rated; ratings on another form are left out (a change score
    across two forms means nothing).
    """
    rows = (
        Rating.objects.filter(
            session__episode__service=service,
            session__episode__end_date__isnull=False,
            rater=Rater.CLIENT,
            purpose=Purpose.OUTCOME,
        )
        .order_by("session__episode_id", "session__date", "session__number", "rated_at", "pk")
        .values_list(
            "session__episode_id", "session__number", "total", "age_group", "instrument_id"
        )
    )
    by_episode: dict[int, dict[int, Decimal]] = defaultdict(dict)
    intake: dict[int, tuple[int, str, int]] = {}
    for episode_id, number, total, age_group, instrument_id in rows:
        first = intake.setdefault(episode_id, (number, age_group, instrument_id))
        if instrument_id == first[2]:
            by_episode[episode_id].setdefault(number, total)
    episodes: dict[str, list[EpisodeScores]] = defaultdict(list)
    for episode_id, totals in by_episode.items():
        start, age_group, _ = intake[episode_id]
        later = {number - start + 1: float(total) for number, total in totals.items()}
        later = {n: score for n, score in later.items() if n >= 1}
        if len(later) < 2:
            continue
        scores = [later.get(n) for n in range(1, max(later) + 1)]
        episodes[age_group].append((later[1], scores))
    return dict(episodes)


class Command(BaseCommand):
    help = (
        "Calibrate the expected ORS trajectories on a service's closed episodes, per age group, "
        "and store a model for each group with enough episodes; the others keep the default."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--service", help="the service's code")
        which.add_argument(
            "--network",
            help="a network's code: combine its members' models (calibrate the members first)",
        )
        parser.add_argument(
            "--min-episodes",
            type=int,
            default=MIN_EPISODES,
            help=f"episodes an age group needs to be calibrated (default {MIN_EPISODES})",
        )

    def handle(
        self, *args, service: str | None, network: str | None, min_episodes: int, **options
    ) -> None:
        if min_episodes < 1:
            raise CommandError("--min-episodes must be 1 or more.")
        if network is not None:
            self.combine(network, min_episodes)
            return
        found = Service.objects.filter(code=service).first()
        if found is None:
            raise CommandError(f"No service with code {service!r}.")
        episodes = closed_episode_scores(found)
        for age_group in AgeGroup.values:
            default = default_model(age_group)
            count = len(episodes.get(age_group, ()))
            if default is None:
                if count:
                    self.stdout.write(
                        f"{found.code} {age_group}: no expected trajectory for this age group "
                        f"({count} closed episode(s) not used)."
                    )
                continue
            self.calibrate(found, age_group, episodes.get(age_group, []), min_episodes)

    def calibrate(
        self, service: Service, age_group: str, episodes: list[EpisodeScores], min_episodes: int
    ) -> None:
        count = len(episodes)
        self.stdout.write(
            f"{service.code} {age_group}: {count} closed episode(s) with at least two client "
            "ratings on the intake's form."
        )
        if count < min_episodes:
            self.stdout.write(
                f"Kept the default model for {age_group}: {min_episodes} episodes are needed to "
                f"calibrate, there are {count}."
            )
            return
        now = timezone.now()
        model = fit_trajectories(
            episodes, min_episodes=min_episodes, fitted_at=now, default=default_model(age_group)
        )
        stored = TrajectoryModel.objects.create(
            service=service,
            age_group=age_group,
            method=model.method,
            n_episodes=model.n_episodes,
            fitted_at=now,
            parameters=model.to_dict(),
        )
        fitted = ", ".join(
            f"{band.low_intake:g}–{band.low_intake + model.band_width:g}" for band in model.bands
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Stored calibrated model #{stored.pk} for {age_group} from {model.n_episodes} "
                f"episodes; intake bands fitted: {fitted or 'none'} (others use the default "
                "curve for the age group)."
            )
        )

    def combine(self, code: str, min_episodes: int) -> None:
        found = Network.objects.filter(code=code).first()
        if found is None:
            raise CommandError(f"No network with code {code!r}.")
        results = combine_network(found, min_episodes=min_episodes, now=timezone.now())
        if not results:
            self.stdout.write(
                f"{found.code}: no member has a model of its own with at least {min_episodes} "
                "episodes yet; nothing to combine."
            )
        for result in results:
            if result.stored is None:
                self.stdout.write(
                    f"{found.code} {result.age_group}: {result.contributors} member(s) with a "
                    f"model of their own; {MIN_NETWORK_SERVICES} are needed to combine."
                )
                continue
            self.stdout.write(
                self.style.SUCCESS(
                    f"Stored network model #{result.stored.pk} for {result.age_group} from "
                    f"{result.contributors} members' models ({result.stored.n_episodes} "
                    "episodes)."
                )
            )
