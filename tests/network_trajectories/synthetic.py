"""Synthetic closed episodes for fitting trajectories without a database."""

import math
import random

from services.measures.trajectory import EpisodeScores


def episodes(
    seed: int, count: int, gain: float, spread: float, longest: int
) -> list[EpisodeScores]:
    """Intakes 10–25, each client reaching their own change (`gain` of the distance to 28, SD
    `spread`) with the default's time shape, plus rating noise; 2 to `longest` sessions."""
    rng = random.Random(seed)
    made = []
    for _ in range(count):
        intake = round(rng.uniform(10, 25), 1)
        own = gain * (28 - intake) + rng.gauss(0, spread)
        scores = [intake] + [
            round(
                min(
                    40.0,
                    max(0.0, intake + own * (1 - math.exp(-(n - 1) / 2.5)) + rng.gauss(0, 1.8)),
                ),
                1,
            )
            for n in range(2, rng.randint(2, longest) + 1)
        ]
        made.append((intake, scores))
    return made
