"""Off-track alerts on simulated clients with known outcomes (issue #12 items 2 and 3).

The figures are seeded, so these are exact regressions of the numbers in
docs/trajectories.md, with margins for a change of seed.
"""

import datetime
import subprocess
import sys
from pathlib import Path

import pytest

from services.measures.alert_simulation import (
    alert_figures,
    closed_episodes,
    expected_false_alarms,
    legacy_bounds,
    model_bounds,
    on_track_flagged,
    on_track_series,
    rating_error,
    simulate_clients,
    worst_zone,
)
from services.measures.trajectory import DEFAULT_MODELS, ORANGE, RED, fit_trajectories

GROUPS = ("adult", "adolescent", "child")
ON_TRACK = 1500
ISSUE_NOISE = 1.85


def on_track_rate(bounds, age_group: str, level: str, noise: float = 1.0) -> float:
    parameters = DEFAULT_MODELS[age_group].parameters
    series = on_track_series(bounds, parameters, ON_TRACK, seed=7, noise=noise)
    return on_track_flagged(bounds, series, level)


def test_the_rating_error_follows_from_the_reliable_change():
    assert rating_error(5.0) == pytest.approx(1.804, abs=0.001)


@pytest.mark.parametrize("age_group", GROUPS)
def test_the_new_default_rarely_flags_clients_on_the_expected_course(age_group):
    bounds = model_bounds(DEFAULT_MODELS[age_group])
    assert on_track_rate(bounds, age_group, RED) <= 0.10
    assert on_track_rate(bounds, age_group, ORANGE) <= 0.25


@pytest.mark.parametrize("age_group", GROUPS)
def test_the_old_default_flagged_more_clients_on_the_expected_course(age_group):
    """Issue #12 item 3: the band of the old default started at zero width."""
    new = on_track_rate(model_bounds(DEFAULT_MODELS[age_group]), age_group, ORANGE)
    old = on_track_rate(legacy_bounds, age_group, ORANGE)
    assert old >= 2 * new
    assert old >= 0.12


def test_with_ratings_as_noisy_as_in_the_issue_the_old_default_flags_almost_half():
    """At the noise that reproduces the issue's 47 %, the new red level stays below 10 %."""
    assert on_track_rate(legacy_bounds, "adult", ORANGE, ISSUE_NOISE) >= 0.40
    for age_group in ("adult", "adolescent"):
        bounds = model_bounds(DEFAULT_MODELS[age_group])
        assert on_track_rate(bounds, age_group, RED, ISSUE_NOISE) <= 0.10


def test_children_who_are_not_helped_are_caught_far_more_often():
    """Issue #12 item 2: the old default expected children at 28–31.9 to stay flat."""
    parameters = DEFAULT_MODELS["child"].parameters
    clients = simulate_clients(parameters, 2000, seed=5)
    on_track = on_track_series(legacy_bounds, parameters, 200, seed=6)
    old = alert_figures(legacy_bounds, clients, on_track, ORANGE)
    new = alert_figures(model_bounds(DEFAULT_MODELS["child"]), clients, on_track, ORANGE)
    assert old.sensitivity < 0.5
    assert new.sensitivity >= old.sensitivity + 0.15
    assert new.ppv > 0.8


@pytest.mark.parametrize("age_group", GROUPS)
def test_a_calibrated_model_keeps_red_false_alarms_low(age_group):
    default = DEFAULT_MODELS[age_group]
    training = simulate_clients(default.parameters, 1500, seed=3, sessions=12, varied=True)
    fitted = fit_trajectories(
        closed_episodes(training),
        default=default,
        fitted_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
    )
    assert fitted.method == "calibrated"
    assert on_track_rate(model_bounds(fitted), age_group, RED) <= 0.10


def test_the_worst_zone_looks_at_sessions_three_to_six_only():
    model = DEFAULT_MODELS["adult"]
    bounds = model_bounds(model)
    far_below = 0.0
    assert worst_zone(bounds, (20.0, far_below, 25.0, 25.0)) is None
    assert worst_zone(bounds, (20.0, 22.0, far_below)) == RED
    assert worst_zone(bounds, (20.0, 22.0, 23.0, 24.0, 25.0, 25.0, far_below)) is None
    orange = bounds(20.0, 4).low - 0.1
    assert worst_zone(bounds, (20.0, 22.0, None, orange)) == ORANGE


def test_the_caption_figures_are_the_same_every_time():
    model = DEFAULT_MODELS["adult"]
    first = expected_false_alarms(model)
    expected_false_alarms.cache_clear()
    rates = expected_false_alarms(model)
    assert rates == first
    assert rates[RED] <= rates[ORANGE] <= 0.25


def test_the_benchmark_runs_and_prints_every_age_group_and_model():
    root = Path(__file__).resolve().parents[2]
    output = subprocess.run(
        [sys.executable, "benchmarks/alerts.py"],
        capture_output=True,
        text=True,
        check=True,
        cwd=root,
        timeout=60,
    ).stdout
    for age_group in GROUPS:
        for model in ("old default", "new default", "calibrated"):
            for level in ("orange", "red"):
                assert any(
                    line.startswith(f"{age_group:<11} {model:<12} {level}")
                    for line in output.splitlines()
                ), (age_group, model, level)
