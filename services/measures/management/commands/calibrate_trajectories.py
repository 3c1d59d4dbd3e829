"""Calibrate a service's expected trajectories on its own closed episodes.

Run it now and then (say monthly): the curves then follow the service's own clients instead of
the default assumption, and the chart caption says on how many episodes they rest.
"""

from collections import defaultdict
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from services.accounts.models import Service
from services.measures.models import Purpose, TrajectoryModel
from services.measures.trajectory import MIN_EPISODES, EpisodeScores, fit_trajectories
from services.ratings.models import Rater, Rating


def closed_episode_scores(service: Service) -> list[EpisodeScores]:
    """(intake, ORS by session from intake) for each closed episode with two or more client ORS.

    One query for any number of episodes. The intake is the first client ORS by session date
    (then number), as in the outcome report; later ratings go to their session number counted
    from the intake's, with None for sessions not rated.
    """
    rows = (
        Rating.objects.filter(
            session__episode__service=service,
            session__episode__end_date__isnull=False,
            rater=Rater.CLIENT,
            purpose=Purpose.OUTCOME,
        )
        .order_by("session__episode_id", "session__date", "session__number", "rated_at", "pk")
        .values_list("session__episode_id", "session__number", "total")
    )
    by_episode: dict[int, dict[int, Decimal]] = defaultdict(dict)
    first_number: dict[int, int] = {}
    for episode_id, number, total in rows:
        first_number.setdefault(episode_id, number)
        by_episode[episode_id].setdefault(number, total)
    episodes: list[EpisodeScores] = []
    for episode_id, totals in by_episode.items():
        start = first_number[episode_id]
        later = {number - start + 1: float(total) for number, total in totals.items()}
        later = {n: score for n, score in later.items() if n >= 1}
        if len(later) < 2:
            continue
        scores = [later.get(n) for n in range(1, max(later) + 1)]
        episodes.append((later[1], scores))
    return episodes


class Command(BaseCommand):
    help = (
        "Calibrate the expected ORS trajectories on a service's closed episodes and store the "
        "model; with too few episodes, keep the default model."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--service", required=True, help="the service's code")
        parser.add_argument(
            "--min-episodes",
            type=int,
            default=MIN_EPISODES,
            help=f"episodes needed to calibrate (default {MIN_EPISODES})",
        )

    def handle(self, *args, service: str, min_episodes: int, **options) -> None:
        found = Service.objects.filter(code=service).first()
        if found is None:
            raise CommandError(f"No service with code {service!r}.")
        if min_episodes < 1:
            raise CommandError("--min-episodes must be 1 or more.")
        episodes = closed_episode_scores(found)
        count = len(episodes)
        self.stdout.write(
            f"{found.code}: {count} closed episode(s) with at least two client ORS ratings."
        )
        if count < min_episodes:
            self.stdout.write(
                f"Kept the default model: {min_episodes} episodes are needed to calibrate, "
                f"there are {count}."
            )
            return
        now = timezone.now()
        model = fit_trajectories(episodes, min_episodes=min_episodes, fitted_at=now)
        stored = TrajectoryModel.objects.create(
            service=found,
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
                f"Stored calibrated model #{stored.pk} from {model.n_episodes} episodes; "
                f"intake bands fitted: {fitted or 'none'} (others use the default curve)."
            )
        )
