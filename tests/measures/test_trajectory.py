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
    DEFAULT_MODELS,
    BandCurve,
    DefaultParameters,
    Expected,
    Trajectory,
    band_index,
    default_model,
    expected,
    expected_series,
    fit_trajectories,
    off_track_zone,
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
    assert expected(DEFAULT_MODEL, 19.6, 1) == (19.6, 19.6, 19.6, 19.6)


def test_expected_names_its_four_values():
    value = expected(DEFAULT_MODEL, 19.6, 4)
    assert isinstance(value, Expected)
    assert value == (value.median, value.low, value.high, value.lowest)
    assert value.lowest < value.low < value.median < value.high


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


def test_the_adult_default_expects_no_change_at_or_above_the_non_clinical_mean():
    for intake in (28, 33, 40):
        assert expected(DEFAULT_MODEL, intake, 8).median == pytest.approx(intake)


def test_a_child_in_the_clinical_range_above_28_is_expected_to_improve():
    """Issue #12 item 2: the old single default expected no change from 28 at any age, so a
    child at 28–31.9 (clinical by the child cutoff of 32) was expected to stay flat."""
    child = default_model("child")
    for intake in (28, 30, 31.9):
        assert expected(child, intake, 8).median > intake + 2


@pytest.mark.parametrize(
    ("age_group", "cutoff"), [("adult", 25), ("adolescent", 28), ("child", 32)]
)
def test_each_scored_age_group_has_a_default_aimed_above_its_cutoff(age_group, cutoff):
    model = default_model(age_group)
    assert model is DEFAULT_MODELS[age_group]
    assert model.parameters.cutoff == cutoff
    assert model.parameters.target > cutoff
    just_below = expected(model, cutoff - 0.1, 10).median
    assert just_below > cutoff + 1


def test_the_adult_default_keeps_the_non_clinical_mean_as_its_target():
    assert default_model("adult") is DEFAULT_MODEL
    assert DEFAULT_MODEL.parameters.target == 28.0


def test_an_age_group_without_a_sensible_model_has_none():
    assert default_model("young_child") is None
    assert default_model("") is None


def test_the_default_band_widens_with_sessions_and_holds_the_median():
    widths = []
    for n in range(1, 15):
        median, low, high, lowest = expected(DEFAULT_MODEL, 18, n)
        assert lowest <= low <= median <= high
        widths.append(high - low)
    assert widths == sorted(widths)
    assert widths[0] == 0
    assert widths[-1] == pytest.approx(2 * DefaultParameters().band, abs=0.1)


Z75 = 0.6745
Z90 = 1.2816


def spread(model: Trajectory, intake: float, n: int) -> float:
    """The standard deviation of change implied by the 25th–75th percentile band."""
    value = expected(model, intake, n)
    return (value.high - value.low) / (2 * Z75)


@pytest.mark.parametrize("age_group", ["adult", "adolescent", "child"])
def test_the_band_starts_at_the_measurement_error_not_at_zero(age_group):
    """Issue #12 item 3: the band was ±1.65 at session 2 although two ratings of an unchanged
    client already differ by the measurement error, SE_diff = RCI / 1.96."""
    model = default_model(age_group)
    error = model.parameters.reliable_change / 1.96
    assert spread(model, 18, 2) >= error
    assert spread(model, 18, 2) > 4


def test_the_spread_of_change_is_five_to_six_points_early_and_levels_off():
    """The spread real change shows at sessions 2–4 (issue #12), then the old plateau."""
    sds = [spread(DEFAULT_MODEL, 18, n) for n in range(2, 21)]
    assert sds == sorted(sds)
    assert all(4.5 <= sd <= 6.5 for sd in sds[:3])
    assert sds[-1] == pytest.approx(5.0 / Z75, abs=0.05)


def test_the_levels_are_normal_quantiles_around_the_median():
    value = expected(DEFAULT_MODEL, 16, 5)
    sd = spread(DEFAULT_MODEL, 16, 5)
    assert value.median - value.low == pytest.approx(Z75 * sd, abs=0.01)
    assert value.high - value.median == pytest.approx(Z75 * sd, abs=0.01)
    assert value.median - value.lowest == pytest.approx(Z90 * sd, abs=0.01)


def test_the_zone_is_red_below_the_10th_percentile_and_orange_below_the_25th():
    value = expected(DEFAULT_MODEL, 16, 4)
    assert off_track_zone(DEFAULT_MODEL, 16, 4, value.lowest - 0.1) == "red"
    assert off_track_zone(DEFAULT_MODEL, 16, 4, value.lowest + 0.1) == "orange"
    assert off_track_zone(DEFAULT_MODEL, 16, 4, value.low - 0.1) == "orange"
    assert off_track_zone(DEFAULT_MODEL, 16, 4, value.low) is None
    assert off_track_zone(DEFAULT_MODEL, 16, 1, 0.0) is None


def test_expectations_stay_on_the_scale():
    for model in DEFAULT_MODELS.values():
        for intake in (0, 2, 38, 40):
            for n in (1, 2, 5, 20):
                assert all(0 <= value <= 40 for value in expected(model, intake, n))


def test_a_series_is_numbered_by_the_episodes_sessions():
    series = expected_series(DEFAULT_MODEL, 20, intake_session=2, last_session=5)
    assert [row[0] for row in series] == [2, 3, 4, 5]
    assert series[0][1:] == (20, 20, 20, 20)
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
    true_iqr = 2 * Z75 * NOISE
    for n in (3, 6, 10):
        value = expected(calibrated, intake, n)
        assert value.high - value.low == pytest.approx(true_iqr, abs=1.0)
        assert value.median - value.lowest == pytest.approx(Z90 * NOISE, abs=1.0)


def test_calibration_stores_the_10th_percentile(calibrated):
    for band in calibrated.bands:
        assert len(band.lowest) == len(band.median)
        assert all(a <= b for a, b in zip(band.lowest, band.low, strict=True))


def test_a_model_stored_before_the_10th_percentile_still_loads(calibrated):
    """Rows stored before issue #12 have no `lowest`: it is derived from the 25th percentile
    as for a normal spread, and their parameters lack the newer fields."""
    stored = json.loads(json.dumps(calibrated.to_dict()))
    for band in stored["bands"]:
        del band["lowest"]
    stored["parameters"] = {"target": 28.0, "gain": 0.8, "time_constant": 2.5, "band": 5.0}
    loaded = Trajectory.from_dict(stored)
    band = loaded.bands[0]
    assert band.lowest[0] == pytest.approx(
        band.median[0] - (band.median[0] - band.low[0]) * Z90 / Z75, abs=0.01
    )
    assert loaded.parameters == DefaultParameters()


def test_a_calibrated_band_is_never_narrower_than_the_measurement_error():
    curve = BandCurve(
        low_intake=15.0,
        n_episodes=30,
        counts=(30,),
        median=(3.0,),
        low=(2.5,),
        high=(3.5,),
        lowest=(2.0,),
    )
    model = Trajectory(method=CALIBRATED_METHOD, n_episodes=30, bands=(curve,))
    value = expected(model, 17.5, 2)
    error = DEFAULT_MODEL.parameters.reliable_change / 1.96
    assert value.median == pytest.approx(20.5)
    assert value.median - value.low == pytest.approx(Z75 * error, abs=0.01)
    assert value.median - value.lowest == pytest.approx(Z90 * error, abs=0.01)


def test_too_few_episodes_keep_the_age_groups_default():
    child = default_model("child")
    assert fit_trajectories(synthetic(50), default=child) is child
    fitted = fit_trajectories(synthetic(400), default=child, fitted_at=FITTED_AT)
    assert fitted.method == CALIBRATED_METHOD
    assert fitted.parameters == child.parameters


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
    assert expected(model, 17.5, 5).median == pytest.approx(21.5, abs=0.3)
    assert expected(model, 36, 5) == pytest.approx(expected(DEFAULT_MODEL, 36, 5))


def test_a_model_survives_a_trip_through_json(calibrated):
    stored = json.loads(json.dumps(calibrated.to_dict()))
    assert Trajectory.from_dict(stored) == calibrated
    for model in DEFAULT_MODELS.values():
        assert Trajectory.from_dict(json.loads(json.dumps(model.to_dict()))) == model
