"""Combining members' fitted trajectories into a network's (issue #20 part 3): pure, from the
fitted percentiles alone, and close to what a fit on all members' episodes together gives."""

import datetime

import pytest

from services.measures.combining import (
    NETWORK_METHOD,
    Cell,
    combine_trajectories,
    mixture_quantile,
)
from services.measures.trajectory import (
    CALIBRATED_METHOD,
    DEFAULT_MODEL,
    BandCurve,
    Trajectory,
    expected,
    fit_trajectories,
)

from .synthetic import episodes

NOW = datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC)


def model(*bands: BandCurve, n_episodes: int = 250) -> Trajectory:
    return Trajectory(
        method=CALIBRATED_METHOD,
        n_episodes=n_episodes,
        fitted_at="2026-10-01T00:00:00+00:00",
        parameters=DEFAULT_MODEL.parameters,
        bands=bands,
    )


def band(
    low_intake: float, counts, median, spread: float = 2.0, shift: float = 0.0, n: int = 100
) -> BandCurve:
    """A curve whose 25th/75th percentiles lie `spread` and its 10th 2 · `spread` from the
    median."""
    median = tuple(round(value + shift, 2) for value in median)
    return BandCurve(
        low_intake=low_intake,
        n_episodes=n,
        counts=tuple(counts),
        median=median,
        low=tuple(round(value - spread, 2) for value in median),
        high=tuple(round(value + spread, 2) for value in median),
        lowest=tuple(round(value - 2 * spread, 2) for value in median),
    )


def combine(*members: Trajectory) -> Trajectory | None:
    return combine_trajectories(members, default=DEFAULT_MODEL, fitted_at=NOW)


def test_identical_members_give_the_same_curve():
    curve = band(15.0, (80, 60, 40), (2.5, 4.1, 5.0))
    combined = combine(model(curve), model(curve), model(curve))
    assert combined.method == NETWORK_METHOD
    assert combined.n_episodes == 750
    assert combined.fitted_at == "2026-11-01T00:00:00+00:00"
    (result,) = combined.bands
    assert result.median == curve.median
    assert result.low == curve.low and result.high == curve.high
    assert result.lowest == curve.lowest
    assert result.counts == (240, 180, 120)
    assert result.n_episodes == 300
    for intake, n in ((14.0, 2), (17.5, 3), (19.0, 4), (21.0, 6)):
        assert expected(combined, intake, n) == expected(model(curve), intake, n)


def test_the_bigger_member_weighs_more():
    """Two members far apart: the pooled median falls inside the bigger one's spread, where a
    share 0.5 of all ratings lies below it (by hand: F_A(x) = 2/3, F_B(x) = 1/3)."""
    near = band(15.0, (300,), (0.0,))  # lowest −4, low −2, median 0, high 2
    far = band(15.0, (100,), (10.0,))  # lowest 6, low 8, median 10, high 12
    (a_heavy,) = combine(model(near), model(far)).bands
    assert a_heavy.median == (pytest.approx(0 + 2 * (2 / 3 - 0.5) / 0.25, abs=0.01),)
    heavier_far = band(15.0, (300,), (10.0,))
    lighter_near = band(15.0, (100,), (0.0,))
    (b_heavy,) = combine(model(lighter_near), model(heavier_far)).bands
    assert b_heavy.median == (pytest.approx(8 + 2 * (1 / 3 - 0.25) / 0.25, abs=0.01),)
    # The difference between the services is kept: the pooled band is wider than either's.
    assert a_heavy.high[0] - a_heavy.low[0] > 2 * (near.high[0] - near.median[0]) + 2


def test_the_mixture_quantile_inverts_one_members_distribution():
    cell = Cell(weight=40, lowest=-3.0, low=-1.0, median=1.5, high=4.0)
    for q, value in ((0.10, -3.0), (0.25, -1.0), (0.50, 1.5), (0.75, 4.0)):
        assert mixture_quantile([cell], q) == pytest.approx(value, abs=1e-9)
        assert cell.cdf(value) == pytest.approx(q)
    assert cell.cdf(-40) < 0.001 and cell.cdf(40) > 0.999


def test_a_point_mass_stays_a_point():
    """Integer totals can make quantiles coincide: the CDF jumps, the quantiles stay put."""
    flat = Cell(weight=10, lowest=0.0, low=0.0, median=0.0, high=0.0)
    assert [mixture_quantile([flat, flat], q) for q in (0.1, 0.25, 0.5, 0.75)] == [0.0] * 4


def test_no_value_rests_on_one_member_alone():
    """A curve goes on while two members' curves do; a band only one member fitted keeps the
    default curve: the network's model never hands on one service's own percentiles."""
    long = band(15.0, (50, 40, 30, 20), (3.0, 4.0, 5.0, 5.5))
    short = band(15.0, (50, 40), (3.0, 4.0))
    lone = band(25.0, (30, 20), (1.0, 1.5), n=25)
    combined = combine(model(long, lone), model(short))
    (only,) = combined.bands
    assert only.counts == (100, 80)
    assert only.median == short.median and only.lowest == short.lowest
    assert only.n_episodes == 200
    assert expected(combined, 27.5, 3) == expected(DEFAULT_MODEL, 27.5, 3)
    assert combined.n_episodes == 500  # every member's episodes count in the caption


def test_at_least_two_fitted_members_are_needed():
    curve = band(15.0, (50,), (3.0,))
    assert combine(model(curve)) is None
    assert combine(model(curve), DEFAULT_MODEL) is None  # a default is no member's fit
    wider = Trajectory(method=CALIBRATED_METHOD, n_episodes=300, band_width=10.0, bands=(curve,))
    assert combine(model(curve), wider) is None  # other intake bands cannot be combined
    assert combine(model(curve), model(curve)) is not None


def test_close_to_a_fit_on_all_members_episodes_together():
    """Three services whose clients differ (gain 1.0, 0.1, 0.5 of the distance to the target):
    combined from their fits alone, the network's percentiles at sessions 2–7 are within 0.5
    points of a fit on the pooled rows; averaging the members' percentiles is not (it loses
    the differences between services, so its band is too narrow)."""
    members = [
        episodes(1, 400, 1.0, 3.0, 10),
        episodes(2, 250, 0.1, 3.0, 8),
        episodes(3, 300, 0.5, 3.0, 12),
    ]
    fits = [fit_trajectories(member, fitted_at=NOW) for member in members]
    combined = combine(*fits)
    pooled = fit_trajectories([episode for member in members for episode in member])
    assert combined.n_episodes == pooled.n_episodes == 950
    assert [b.low_intake for b in combined.bands] == [b.low_intake for b in pooled.bands]
    worst_average = 0.0
    for ours, theirs in zip(combined.bands, pooled.bands, strict=True):
        for at in range(6):
            for name in ("median", "low", "high", "lowest"):
                assert getattr(ours, name)[at] == pytest.approx(getattr(theirs, name)[at], abs=0.5)
                cells = [
                    (curve.counts[at], getattr(curve, name)[at])
                    for fit in fits
                    for curve in fit.bands
                    if curve.low_intake == ours.low_intake
                ]
                average = sum(w * v for w, v in cells) / sum(w for w, _ in cells)
                worst_average = max(worst_average, abs(average - getattr(theirs, name)[at]))
    assert worst_average > 1.5
