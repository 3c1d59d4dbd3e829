"""A network's expected trajectories, combined from its member services' fitted models.

A small service has too few closed episodes to calibrate its own curves, but the network it
belongs to has many. Pooling the members' rows would move clients' ratings between services;
instead each member fits its own model (`fit_trajectories`), and only those fitted percentiles
are combined here: plain numbers in, plain numbers out, no database.

The target is the model `fit_trajectories` would give on all members' episodes together. For
one intake band and session, that is a quantile of the pooled change scores, whose distribution
is the mixture of the members' distributions, each weighted by how many ratings it rests on:

    F(x) = Σ nᵢ · Fᵢ(x) / Σ nᵢ,    the pooled q-quantile is the x with F(x) = q.

Each member's Fᵢ is known only at its four fitted quantiles (10th, 25th, 50th, 75th): between
them it is taken as linear (the quantile function interpolated, as `quantile()` does between
order statistics), below the 10th and above the 75th as the normal tail that passes through the
10th / 75th percentile and the median. The pooled quantiles are then found by bisection. Members
with the same curve give that curve back; members that differ give a wider band than any
average of their percentiles would, because clients of different services really do differ
and a small service borrowing the curve may be like any of them. See docs/trajectories.md.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from statistics import NormalDist

from .trajectory import (
    DEFAULT_METHOD,
    HIGH_QUANTILE,
    LOW_QUANTILE,
    LOWEST_QUANTILE,
    Z_LOW,
    Z_LOWEST,
    BandCurve,
    Trajectory,
)

NETWORK_METHOD = "network-mixture"
# With one contributing service the "network" model would be that service's own curves,
# handed to the others; with two or more, a member that uses it sees only their mixture.
MIN_NETWORK_SERVICES = 2
MEDIAN_QUANTILE = 0.5
BISECTIONS = 50
_QUANTILES = (LOWEST_QUANTILE, LOW_QUANTILE, MEDIAN_QUANTILE, HIGH_QUANTILE)
_NORMAL = NormalDist()


@dataclass(frozen=True)
class Cell:
    """One member's fitted change at one session of one intake band, and its weight (the
    number of ratings at that session)."""

    weight: int
    lowest: float
    low: float
    median: float
    high: float

    def cdf(self, x: float) -> float:
        """The share of this member's change scores at or below x."""
        points = (
            (LOWEST_QUANTILE, self.lowest),
            (LOW_QUANTILE, self.low),
            (MEDIAN_QUANTILE, self.median),
            (HIGH_QUANTILE, self.high),
        )
        if x < self.lowest:
            spread = (self.median - self.lowest) / Z_LOWEST
            return _NORMAL.cdf((x - self.median) / spread) if spread > 0 else 0.0
        if x >= self.high:
            spread = (self.high - self.median) / Z_LOW
            return _NORMAL.cdf((x - self.median) / spread) if spread > 0 else 1.0
        for (p_below, q_below), (p_above, q_above) in pairwise(points):
            if q_below <= x < q_above:
                return p_below + (p_above - p_below) * (x - q_below) / (q_above - q_below)
        return HIGH_QUANTILE  # unreachable for ordered quantiles


def mixture_quantile(cells: Sequence[Cell], q: float) -> float:
    """The q-quantile (10th to 75th percentile) of the weighted mixture of the cells.

    Every cell has at most q of its mass below the lowest 10th percentile and at least q at the
    highest 75th, so the answer lies between them; bisection finds the smallest x with F(x) ≥ q.
    """
    total = sum(cell.weight for cell in cells)
    lower = min(cell.lowest for cell in cells)
    upper = max(cell.high for cell in cells)

    def share(x: float) -> float:
        return sum(cell.weight * cell.cdf(x) for cell in cells) / total

    if share(lower) >= q:
        return lower
    for _ in range(BISECTIONS):
        middle = (lower + upper) / 2
        if share(middle) >= q:
            upper = middle
        else:
            lower = middle
    return upper


def _cell(curve: BandCurve, at: int) -> Cell | None:
    if at >= len(curve.median):
        return None
    weight = curve.counts[at] if at < len(curve.counts) else curve.n_episodes
    if weight <= 0:
        return None
    values = sorted((curve.lowest_at(at), curve.low[at], curve.median[at], curve.high[at]))
    return Cell(weight, *values)


def _combined_band(curves: Sequence[BandCurve]) -> BandCurve:
    """The pooled curve of one intake band, session by session while two or more members'
    curves go on (each member's curve stops where its own cells became too small): no value of
    the network's model is one service's alone. Past its end the curve stays level, as any."""
    counts: list[int] = []
    columns: dict[float, list[float]] = {q: [] for q in _QUANTILES}
    at = 0
    while (
        len(cells := [cell for curve in curves if (cell := _cell(curve, at)) is not None])
        >= MIN_NETWORK_SERVICES
    ):
        counts.append(sum(cell.weight for cell in cells))
        for q in _QUANTILES:
            columns[q].append(round(mixture_quantile(cells, q), 2))
        at += 1
    return BandCurve(
        low_intake=curves[0].low_intake,
        n_episodes=sum(curve.n_episodes for curve in curves),
        counts=tuple(counts),
        median=tuple(columns[MEDIAN_QUANTILE]),
        low=tuple(columns[LOW_QUANTILE]),
        high=tuple(columns[HIGH_QUANTILE]),
        lowest=tuple(columns[LOWEST_QUANTILE]),
    )


def combinable(member: Trajectory, default: Trajectory) -> bool:
    """A member's model can be combined: fitted (not a default), with the same intake bands."""
    return member.method != DEFAULT_METHOD and member.band_width == default.band_width


def combine_trajectories(
    members: Sequence[Trajectory], *, default: Trajectory, fitted_at: datetime.datetime
) -> Trajectory | None:
    """The network's model of one age group from its members' fitted models of that group.

    `members` are the fitted (calibrated) models of the contributing services; a default model
    or one with another band width is left out. With fewer than MIN_NETWORK_SERVICES left,
    None. Per intake band, the members that fitted it are combined (a member whose band had too
    few episodes for a curve adds nothing there) where two or more did; other bands keep
    `default`'s curve, like any calibrated model. `n_episodes` is the sum of the members'.
    """
    fitted = [member for member in members if combinable(member, default)]
    if len(fitted) < MIN_NETWORK_SERVICES:
        return None
    by_band: dict[float, list[BandCurve]] = {}
    for member in fitted:
        for curve in member.bands:
            if curve.median:
                by_band.setdefault(round(curve.low_intake, 6), []).append(curve)
    return Trajectory(
        method=NETWORK_METHOD,
        n_episodes=sum(member.n_episodes for member in fitted),
        fitted_at=fitted_at.isoformat(timespec="seconds"),
        parameters=default.parameters,
        band_width=default.band_width,
        bands=tuple(
            _combined_band(curves)
            for _low, curves in sorted(by_band.items())
            if len(curves) >= MIN_NETWORK_SERVICES
        ),
    )
