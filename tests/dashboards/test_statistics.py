"""The dashboard's statistics, checked against numpy and by simulation (no database)."""

import math

import numpy as np
import pytest

from services.dashboards import statistics as st


def sums(x, y) -> st.PairedSums:
    x, y = np.asarray(x, float), np.asarray(y, float)
    return st.PairedSums(len(x), x.sum(), y.sum(), (x * x).sum(), (y * y).sum(), (x * y).sum())


def becker(intake, end):
    """The interval written out with numpy, independently of the sums."""
    n = len(intake)
    d = (end.mean() - intake.mean()) / intake.std(ddof=1)
    r = np.corrcoef(intake, end)[0, 1]
    se = math.sqrt(2 * (1 - r) / n + d * d / (2 * n))
    return d, d - 1.959963984540054 * se, d + 1.959963984540054 * se


def test_effect_size_interval_matches_numpy():
    rng = np.random.default_rng(3)
    intake = rng.normal(19.6, 6, 80).round(1)
    end = (intake + rng.normal(5, 5, 80)).round(1)
    estimate = st.effect_size_interval(sums(intake, end))
    want = becker(intake, end)
    assert (estimate.value, estimate.low, estimate.high) == pytest.approx(want, abs=1e-9)


def test_effect_size_interval_covers_the_true_effect_about_95_percent_of_the_time():
    """Becker's interval, simulated: bivariate normal intake/end with a known effect of 0.6."""
    rng = np.random.default_rng(11)
    n, runs, sd, rho, delta = 60, 3000, 6.0, 0.5, 0.6
    cov = [[sd**2, rho * sd**2], [rho * sd**2, sd**2]]
    draws = rng.multivariate_normal([20, 20 + delta * sd], cov, size=(runs, n))
    hits = 0
    for sample in draws:
        estimate = st.effect_size_interval(sums(sample[:, 0], sample[:, 1]))
        hits += estimate.low <= delta <= estimate.high
    assert 0.93 <= hits / runs <= 0.97


def test_effect_size_interval_is_undefined_for_too_little_or_no_spread():
    assert st.effect_size_interval(sums([10, 20], [15, 25])) is None
    assert st.effect_size_interval(sums([10, 10, 10], [15, 25, 20])) is None
    assert st.effect_size_interval(st.PairedSums.of(0, None, None, None, None, None)) is None


def clinical_data(seed: int, n: int, extra: float = 0.0):
    rng = np.random.default_rng(seed)
    intake = rng.uniform(5, 24.9, n).round(1)
    change = (12 - 0.4 * intake + extra + rng.normal(0, 4, n)).round(1)
    return intake, change


def test_reference_line_is_least_squares():
    intake, change = clinical_data(1, 200)
    line = st.reference_line(sums(intake, change))
    slope, intercept = np.polyfit(intake, change, 1)
    assert line.slope == pytest.approx(slope)
    assert line.intercept == pytest.approx(intercept)
    assert line.mean_change == pytest.approx(change.mean())
    assert line.sd_intake == pytest.approx(intake.std(ddof=1))
    assert line.n == 200


def test_reference_line_needs_enough_episodes():
    intake, change = clinical_data(1, st.SAES_MINIMUM_REFERENCE - 1)
    assert st.reference_line(sums(intake, change)) is None
    assert st.reference_line(sums(intake, change), minimum=10) is not None


def test_saes_matches_a_residual_computation_with_numpy():
    ref_x, ref_y = clinical_data(1, 300)
    x, y = clinical_data(2, 40, extra=2.0)
    line = st.reference_line(sums(ref_x, ref_y))
    estimate = st.severity_adjusted(sums(x, y), line)
    slope, intercept = np.polyfit(ref_x, ref_y, 1)
    residuals = y - (intercept + slope * x)
    value = (residuals.mean() + ref_y.mean()) / ref_x.std(ddof=1)
    se = residuals.std(ddof=1) / math.sqrt(len(x)) / ref_x.std(ddof=1)
    assert estimate.value == pytest.approx(value)
    assert estimate.low == pytest.approx(value - 1.959963984540054 * se)
    assert estimate.high == pytest.approx(value + 1.959963984540054 * se)


def test_saes_of_the_reference_itself_is_its_mean_change_in_sd_units():
    x, y = clinical_data(4, 100)
    line = st.reference_line(sums(x, y))
    assert st.severity_adjusted(sums(x, y), line).value == pytest.approx(y.mean() / x.std(ddof=1))


def test_saes_adjusts_for_a_more_severe_intake_mix():
    """Two groups changing exactly as the reference predicts score alike, whatever their intake."""
    x, y = clinical_data(5, 300)
    line = st.reference_line(sums(x, y))
    severe = np.array([6.0, 8.0, 9.5, 7.0, 10.0])
    mild = np.array([20.0, 22.0, 21.5, 23.0, 24.0])
    predicted = lambda intake: line.intercept + line.slope * intake  # noqa: E731
    one = st.severity_adjusted(sums(severe, predicted(severe)), line).value
    other = st.severity_adjusted(sums(mild, predicted(mild)), line).value
    assert one == pytest.approx(other)
    assert (predicted(severe).mean() / line.sd_intake) > one  # raw change favours the severe


def test_saes_needs_a_reference_and_two_episodes():
    x, y = clinical_data(4, 100)
    line = st.reference_line(sums(x, y))
    assert st.severity_adjusted(sums([10.0], [5.0]), line) is None
    assert st.severity_adjusted(sums(x, y), None) is None


@pytest.mark.parametrize(
    ("value", "band"),
    [
        (0.8, st.Band.SIGNIFICANT_IMPROVEMENT),
        (0.79, st.Band.SOME_IMPROVEMENT),
        (0.5, st.Band.SOME_IMPROVEMENT),
        (0.0, st.Band.NO_CHANGE),
        (-0.5, st.Band.SOME_DETERIORATION),
        (-0.8, st.Band.SIGNIFICANT_DETERIORATION),
    ],
)
def test_saes_bands(value, band):
    assert st.saes_band(value) == band


def test_wilson_interval_matches_the_textbook_values():
    low_high = st.wilson_interval(5, 10)
    assert (low_high.low, low_high.high) == pytest.approx((0.2366, 0.7634), abs=1e-4)
    zero = st.wilson_interval(0, 10)
    assert (zero.low, zero.high) == pytest.approx((0.0, 0.2775), abs=1e-4)
    assert st.wilson_interval(0, 0) is None


def test_paired_sums_take_database_nulls():
    empty = st.PairedSums.of(None, None, None, None, None, None)
    assert empty.n == 0
    assert empty.sd_x() is None
    assert empty.correlation() is None
