"""Simulated clients with known outcomes, to measure how well the off-track alerts work.

An alert is only useful if we know how often it is right. Real data never tells us who "truly"
was not helped, so we simulate clients whose true course we set ourselves, add the measurement
error of the ORS, and count how often the orange and red levels flag them at sessions 3–6:

- sensitivity: of the clients not helped (true end change below the reliable change), the share
  flagged at least once;
- specificity: of the clients helped, the share never flagged;
- PPV: of the clients flagged, the share not helped;
- on-track flagged: of clients whose true course is exactly the expected median (so only the
  measurement error moves them), the share flagged at least once: pure false alarms.

Used by `benchmarks/alerts.py` (the full table) and by the chart caption (the on-track rate of
the model in use). Pure and seeded: the same call gives the same figures in every process.
See docs/trajectories.md.
"""

import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from .trajectory import (
    RCI_Z,
    SCALE_MAX,
    Z_LOW,
    Z_LOWEST,
    ZONES,
    DefaultParameters,
    EpisodeScores,
    Expected,
    Trajectory,
    expected,
    zone,
)

FIRST_FLAG_SESSION = 3
LAST_FLAG_SESSION = 6
# Intakes are drawn evenly from the 12 points below the age group's cutoff (adults 13–25, whose
# mean 19 is close to the clinical adult mean of 19.6).
INTAKE_RANGE = 12.0
# The kinds of true course (shares of clients): some deteriorate, some do not improve, the rest
# follow the expected curve with their own deviation from it.
DETERIORATING = 0.10
NOT_IMPROVING = 0.15
CLIENT_SD = 4.0
CAPTION_CLIENTS = 2000
CAPTION_SEED = 12

Bounds = Callable[[float, int], Expected]


def model_bounds(model: Trajectory) -> Bounds:
    return lambda intake, n: expected(model, intake, n)


def legacy_bounds(intake: float, n: int) -> Expected:
    """The single default model used before issue #12, kept only to measure the change.

    Target 28 at every age, and a 25th–75th percentile band of half-width 5 · P(n), which is
    zero at the intake and ±1.65 at session 2. It had no 10th percentile: `lowest` is derived
    as for a normal spread, so its "red" row shows what that band would have given.
    """
    progress = 1 - math.exp(-(n - 1) / 2.5)
    median = intake + max(0.0, 0.8 * (28.0 - intake)) * progress
    half = 5.0 * progress
    values = (median, median - half, median + half, median - half * Z_LOWEST / Z_LOW)
    return Expected(*(min(max(value, 0.0), SCALE_MAX) for value in values))


def rating_error(reliable_change: float) -> float:
    """The standard error of one rating: RCI = 1.96 · √2 · SE."""
    return reliable_change / (RCI_Z * math.sqrt(2))


def _observe(rng: random.Random, true_score: float, error: float) -> float:
    return round(min(max(true_score + rng.gauss(0, error), 0.0), SCALE_MAX), 1)


def worst_zone(bounds: Bounds, observed: Sequence[float | None]) -> str | None:
    """The most severe zone an episode reaches at sessions 3–6 (observed[0] is the intake)."""
    intake, worst = observed[0], -1
    for n in range(FIRST_FLAG_SESSION, min(LAST_FLAG_SESSION, len(observed)) + 1):
        score = observed[n - 1]
        if score is None:
            continue
        found = zone(bounds(intake, n), score)
        if found is not None:
            worst = max(worst, ZONES.index(found))
    return ZONES[worst] if worst >= 0 else None


def is_flagged(zone: str | None, level: str) -> bool:
    """Flagged at `level`: orange counts orange and red, red counts red only."""
    return zone is not None and ZONES.index(zone) >= ZONES.index(level)


@dataclass(frozen=True)
class SimulatedClient:
    """A client with a known true course and the ratings we would have seen."""

    true_intake: float
    true_change: float  # at the plateau: the end of a long enough episode
    observed: tuple[float | None, ...]  # sessions 1, 2, … from intake; None where not rated
    helped: bool  # true change at least the reliable change


def true_change(rng: random.Random, parameters: DefaultParameters, intake: float) -> float:
    """A client's true change at the plateau: the three kinds of course, with their shares."""
    draw = rng.random()
    if draw < DETERIORATING:
        return -parameters.reliable_change * rng.uniform(0.6, 1.6)
    if draw < DETERIORATING + NOT_IMPROVING:
        return rng.gauss(0, parameters.reliable_change / 3)
    expected_gain = max(0.0, parameters.gain * (parameters.target - intake))
    return expected_gain + rng.gauss(0, CLIENT_SD)


def simulate_clients(
    parameters: DefaultParameters,
    count: int,
    seed: int,
    *,
    sessions: int = LAST_FLAG_SESSION,
    varied: bool = False,
    noise: float = 1.0,
) -> list[SimulatedClient]:
    """`count` clients of the age group `parameters` describe (cutoff, reliable change, curve).

    Each true course reaches its change with the default's time shape; every rating adds the
    measurement error SE = RCI / (1.96 · √2), times `noise`. With `varied`, episodes last 2 to
    `sessions` sessions and a tenth of the later ratings are missing, as in closed episodes.
    """
    rng = random.Random(seed)
    error = rating_error(parameters.reliable_change) * noise
    clients = []
    for _ in range(count):
        intake = rng.uniform(parameters.cutoff - INTAKE_RANGE, parameters.cutoff)
        change = min(max(true_change(rng, parameters, intake), -intake), SCALE_MAX - intake)
        length = rng.randint(2, sessions) if varied else sessions
        observed: list[float | None] = [_observe(rng, intake, error)]
        for n in range(2, length + 1):
            score = _observe(rng, intake + change * parameters.progress(n), error)
            observed.append(None if varied and rng.random() < 0.1 else score)
        clients.append(
            SimulatedClient(
                true_intake=intake,
                true_change=change,
                observed=tuple(observed),
                helped=change >= parameters.reliable_change,
            )
        )
    return clients


def closed_episodes(clients: Sequence[SimulatedClient]) -> list[EpisodeScores]:
    """The clients as `fit_trajectories` reads closed episodes."""
    return [(client.observed[0], list(client.observed)) for client in clients]


def on_track_series(
    bounds: Bounds, parameters: DefaultParameters, count: int, seed: int, noise: float = 1.0
) -> list[tuple[float, ...]]:
    """Clients whose true course is exactly the expected median: only measurement error."""
    rng = random.Random(seed)
    error = rating_error(parameters.reliable_change) * noise
    series = []
    for _ in range(count):
        intake = rng.uniform(parameters.cutoff - INTAKE_RANGE, parameters.cutoff)
        series.append(
            tuple(
                _observe(rng, bounds(intake, n).median, error)
                for n in range(1, LAST_FLAG_SESSION + 1)
            )
        )
    return series


def on_track_flagged(bounds: Bounds, series: Sequence[Sequence[float]], level: str) -> float:
    """The share of on-track clients flagged at `level` at least once in sessions 3–6."""
    flagged = sum(is_flagged(worst_zone(bounds, observed), level) for observed in series)
    return flagged / len(series)


@dataclass(frozen=True)
class AlertFigures:
    sensitivity: float
    specificity: float
    ppv: float | None  # None when nobody was flagged
    on_track_flagged: float
    not_helped: int
    flagged: int


def alert_figures(
    bounds: Bounds,
    clients: Sequence[SimulatedClient],
    on_track: Sequence[Sequence[float]],
    level: str,
) -> AlertFigures:
    """Sensitivity, specificity and PPV on `clients`, and the false alarms on `on_track`."""
    flags = [is_flagged(worst_zone(bounds, client.observed), level) for client in clients]
    positives = [not client.helped for client in clients]
    true_positive = sum(f and p for f, p in zip(flags, positives, strict=True))
    true_negative = sum(not f and not p for f, p in zip(flags, positives, strict=True))
    n_positive, n_flagged = sum(positives), sum(flags)
    return AlertFigures(
        sensitivity=true_positive / n_positive if n_positive else 0.0,
        specificity=true_negative / (len(clients) - n_positive) if len(clients) > n_positive else 0,
        ppv=true_positive / n_flagged if n_flagged else None,
        on_track_flagged=on_track_flagged(bounds, on_track, level),
        not_helped=n_positive,
        flagged=n_flagged,
    )


@lru_cache(maxsize=64)
def expected_false_alarms(model: Trajectory) -> dict[str, float]:
    """The share of on-track clients this model flags at least once in sessions 3–6, per level,
    for the chart caption: seeded, so the same model always gives the same figures."""
    bounds = model_bounds(model)
    series = on_track_series(bounds, model.parameters, CAPTION_CLIENTS, CAPTION_SEED)
    zones = [worst_zone(bounds, observed) for observed in series]
    return {level: sum(is_flagged(z, level) for z in zones) / len(zones) for level in ZONES}
