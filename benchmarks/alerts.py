"""How well the off-track alerts work, on simulated clients whose true outcome we know.

Run from the repository root:  .venv/bin/python benchmarks/alerts.py

Per age group, a population of clients with intakes in the group's clinical range: most follow
the expected curve with their own deviation, some do not improve, some deteriorate; every rating
adds the ORS's measurement error, SE = RCI / (1.96 · √2). For three models (the single default
used before issue #12, the new default for the age group, and a model calibrated by
`fit_trajectories` on a separate simulated set of closed episodes) and both levels (orange:
below the 25th percentile, red: below the 10th) it prints:

- sensitivity, specificity, PPV: positive = not helped (true end change below the reliable
  change), flagged = off track at least once in sessions 3–6;
- on-track flagged: clients whose true course is exactly the model's expected median, flagged
  at least once in sessions 3–6 — false alarms caused by measurement error alone.

A second table repeats the on-track false alarms with noisier ratings (SE × 1.85, the calibrated
model then fitted on equally noisy episodes): the noise at which the old default flags about the
issue's 47 % of on-track clients. Pure (no database), seeded,
about 10 seconds. The figures are in docs/trajectories.md.
"""

import datetime
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from services.measures.alert_simulation import (
    Bounds,
    alert_figures,
    closed_episodes,
    legacy_bounds,
    model_bounds,
    on_track_flagged,
    on_track_series,
    simulate_clients,
)
from services.measures.trajectory import (
    DEFAULT_MODELS,
    MAX_SESSION,
    ORANGE,
    RED,
    Trajectory,
    fit_trajectories,
)

CLIENTS = 4000
ON_TRACK = 3000
CALIBRATION_EPISODES = 2000
ISSUE_NOISE = 1.85
SEED = 12
FITTED_AT = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)


def calibrated_model(default: Trajectory, seed: int, noise: float) -> Trajectory:
    """A model fitted on a separate simulated set of closed episodes of the same population."""
    training = simulate_clients(
        default.parameters, CALIBRATION_EPISODES, seed, sessions=12, varied=True, noise=noise
    )
    return fit_trajectories(
        closed_episodes(training), default=default, fitted_at=FITTED_AT, max_session=MAX_SESSION
    )


def models(age_group: str, seed: int, noise: float = 1.0) -> list[tuple[str, Bounds]]:
    default = DEFAULT_MODELS[age_group]
    return [
        ("old default", legacy_bounds),
        ("new default", model_bounds(default)),
        ("calibrated", model_bounds(calibrated_model(default, seed, noise))),
    ]


def percent(value: float | None) -> str:
    return "   –" if value is None else f"{100 * value:4.0f}"


def main() -> None:
    started = time.perf_counter()
    print("Off-track alerts on simulated clients (flagged = at least once in sessions 3–6)")
    print(f"{CLIENTS} clients and {ON_TRACK} on-track clients per age group; seed {SEED}.\n")
    header = (
        f"{'age group':<11} {'model':<12} {'level':<7} {'sens %':>6} {'spec %':>6} "
        f"{'PPV %':>6} {'on-track flagged %':>18}"
    )
    noisy_rows = []
    for offset, (age_group, default) in enumerate(DEFAULT_MODELS.items()):
        seed = SEED + 100 * offset
        parameters = default.parameters
        clients = simulate_clients(parameters, CLIENTS, seed)
        not_helped = sum(not client.helped for client in clients) / len(clients)
        deteriorated = sum(
            client.true_change <= -parameters.reliable_change for client in clients
        ) / len(clients)
        print(
            f"{age_group}: cutoff {parameters.cutoff:g}, RCI {parameters.reliable_change:g}, "
            f"default target {parameters.target:g}; intakes "
            f"{parameters.cutoff - 12:g}–{parameters.cutoff:g}; not helped "
            f"{100 * not_helped:.0f} % (deteriorated {100 * deteriorated:.0f} %)"
        )
        print(header)
        for name, bounds in models(age_group, seed + 1, ISSUE_NOISE):
            noisy = on_track_series(bounds, parameters, ON_TRACK, seed + 3, noise=ISSUE_NOISE)
            noisy_rows.append(
                (age_group, name, *(on_track_flagged(bounds, noisy, lv) for lv in (ORANGE, RED)))
            )
        for name, bounds in models(age_group, seed + 1):
            on_track = on_track_series(bounds, parameters, ON_TRACK, seed + 2)
            for level in (ORANGE, RED):
                figures = alert_figures(bounds, clients, on_track, level)
                print(
                    f"{age_group:<11} {name:<12} {level:<7} {percent(figures.sensitivity):>6} "
                    f"{percent(figures.specificity):>6} {percent(figures.ppv):>6} "
                    f"{percent(figures.on_track_flagged):>18}"
                )
        print()
    print(f"On-track flagged with noisier ratings (SE × {ISSUE_NOISE}), %:")
    print(f"{'age group':<11} {'model':<12} {'orange':>7} {'red':>5}")
    for age_group, name, orange, red in noisy_rows:
        print(f"{age_group:<11} {name:<12} {percent(orange):>7} {percent(red):>5}")
    print(f"\n{time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
