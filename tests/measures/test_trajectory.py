"""Expected trajectories: the documented default, and calibration that recovers a known curve."""

import datetime
import itertools
import json
import math
import random

import pytest

from services.measures.trajectory import (
    CALIBRATED_METHOD,
    DEFAULT_MODEL,
    DefaultParameters,
    Trajectory,
    band_index,
    expected,
    expected_series,
    fit_trajectories,
    quantile,
    usable_episodes,
)

FITTED_AT = datetime.datetime(2026, 3, 1, 12, 0, tzinfo=datetime.UTC)
NOISE = 3.0


def true_curve(intake: float, n: int) -> float:
    """A known curve unlike the default: another target, gain and pace."""
    return intake + max(0.0, 0.6 * (31 - intake)) * (1 - math.exp(-(n - 1) / 3.5))


def synthetic(count: int, seed: int = 11) -> list[tuple[float, list[float | None]]]:
    """Episodes of 3–15 sessions following `true_curve` plus normal noise, a tenth unrated."""
    rng = random.Random(seed)
    episodes = []
    for _ in range(count):
        intake = round(rng.uniform(5, 35), 1)
        scores: list[float | None] = [intake]
        for n in range(2, rng.randint(3, 15) + 1):
            if rng.random() < 0.1:
                scores.append(None)
            else:
                scores.append(min(40.0, max(0.0, true_curve(intake, n) + rng.gauss(0, NOISE))))
        episodes.append((intake, scores))
    return episodes


SYNTHETIC = synthetic(2000)


@pytest.fixture(scope="module")
def calibrated() -> Trajectory:
    return fit_trajectories(SYNTHETIC, fitted_at=FITTED_AT)


def test_the_default_starts_at_the_intake():
    assert expected(DEFAULT_MODEL, 19.6, 1) == (19.6, 19.6, 19.6)


def test_the_default_rises_early_then_levels_off():
    medians = [expected(DEFAULT_MODEL, 19.6, n)[0] for n in range(1, 21)]
    assert medians == sorted(medians)
    gains = [b - a for a, b in itertools.pairwise(medians)]
    assert gains == sorted(gains, reverse=True)
    total = medians[-1] - medians[0]
    assert (medians[3] - medians[0]) / total > 0.65
    assert 6 < total < 7.5


def test_the_default_expects_more_change_from_a_lower_intake():
    changes = [expected(DEFAULT_MODEL, intake, 10)[0] - intake for intake in (8, 14, 19.6, 25)]
    assert changes == sorted(changes, reverse=True)


def test_the_default_expects_no_change_at_or_above_the_non_clinical_mean():
    for intake in (28, 33, 40):
        assert expected(DEFAULT_MODEL, intake, 8)[0] == pytest.approx(intake)


def test_the_default_band_widens_with_sessions_and_holds_the_median():
    widths = []
    for n in range(1, 15):
        median, low, high = expected(DEFAULT_MODEL, 18, n)
        assert low <= median <= high
        widths.append(high - low)
    assert widths == sorted(widths)
    assert widths[0] == 0
    assert widths[-1] == pytest.approx(2 * DefaultParameters().band, abs=0.1)


def test_expectations_stay_on_the_scale():
    for intake in (0, 2, 38, 40):
        for n in (1, 5, 20):
            assert all(0 <= value <= 40 for value in expected(DEFAULT_MODEL, intake, n))


def test_a_series_is_numbered_by_the_episodes_sessions():
    series = expected_series(DEFAULT_MODEL, 20, intake_session=2, last_session=5)
    assert [row[0] for row in series] == [2, 3, 4, 5]
    assert series[0][1:] == (20, 20, 20)
    assert series[1][1:] == expected(DEFAULT_MODEL, 20, 2)


def test_intake_bands_are_five_points_wide_and_forty_is_in_the_top_one():
    assert [band_index(score) for score in (0, 4.9, 5, 19.6, 39.9, 40)] == [0, 0, 1, 3, 7, 7]


def test_quantiles_match_numpys_default():
    values = [3.0, 1.0, 4.0, 1.5, 9.0, 2.6]
    assert quantile(values, 0.5) == pytest.approx(2.8)
    assert quantile(values, 0.25) == pytest.approx(1.775)
    assert quantile([5.0], 0.75) == 5.0


def test_below_the_minimum_data_size_the_default_is_kept():
    episodes = synthetic(199)
    assert fit_trajectories(episodes) is DEFAULT_MODEL
    assert fit_trajectories(episodes, min_episodes=150).method == CALIBRATED_METHOD


def test_episodes_with_only_an_intake_do_not_count():
    episodes = [(20.0, [20.0]), (18.0, [18.0, None, None]), (15.0, [15.0, None, 19.0])]
    assert len(usable_episodes(episodes)) == 1


def test_calibration_records_its_method_and_data_size(calibrated):
    assert calibrated.method == CALIBRATED_METHOD
    assert calibrated.n_episodes == len(usable_episodes(SYNTHETIC)) > 1900
    assert calibrated.fitted_at == "2026-03-01T12:00:00+00:00"


@pytest.mark.parametrize("intake", [8, 12.5, 17, 19.6, 24, 28, 32])
def test_calibration_recovers_the_true_median_curve(calibrated, intake):
    for n in range(2, 13):
        assert expected(calibrated, intake, n)[0] == pytest.approx(
            true_curve(intake, n), abs=1.0
        ), n


@pytest.mark.parametrize("intake", [12.5, 19.6, 27])
def test_calibration_recovers_the_spread(calibrated, intake):
    true_iqr = 2 * 0.6745 * NOISE
    for n in (3, 6, 10):
        _, low, high = expected(calibrated, intake, n)
        assert high - low == pytest.approx(true_iqr, abs=1.0)


def test_the_calibrated_curve_levels_off_after_the_last_session_with_data(calibrated):
    assert expected(calibrated, 20, 40) == expected(calibrated, 20, 30)


def test_an_intake_band_without_enough_data_keeps_the_default():
    rng = random.Random(5)
    only_low = [
        (intake, [intake] + [intake + 4 + rng.gauss(0, 1) for _ in range(6)])
        for intake in (rng.uniform(15, 19.9) for _ in range(300))
    ]
    model = fit_trajectories(only_low, fitted_at=FITTED_AT)
    assert [band.low_intake for band in model.bands] == [15.0]
    assert expected(model, 17.5, 5)[0] == pytest.approx(21.5, abs=0.3)
    assert expected(model, 36, 5) == pytest.approx(expected(DEFAULT_MODEL, 36, 5))


def test_a_model_survives_a_trip_through_json(calibrated):
    stored = json.loads(json.dumps(calibrated.to_dict()))
    assert Trajectory.from_dict(stored) == calibrated
    assert Trajectory.from_dict(json.loads(json.dumps(DEFAULT_MODEL.to_dict()))) == DEFAULT_MODEL
