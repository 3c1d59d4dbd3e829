"""Statistics for the leaders' figures: pure functions over sums the database aggregates.

The database returns counts, sums, sums of squares and sums of cross-products (one pass, any
database, any data size); everything here turns those into means, effect sizes and intervals.
No ORM, no request: each function is checked against numpy in the unit tests.

Methods (shown to leaders on the dashboard, so keep `docs/dashboards.md` in step):

Pre–post effect size with a 95 % confidence interval
    d = (mean end − mean intake) / SD(intake), over episodes with two or more client ORS ratings
    (see services.measures.scoring). Its standard error for a paired design standardised by the
    intake SD is Becker's (1988) large-sample approximation
        SE(d) = sqrt(2 (1 − r) / n + d² / (2 n)),
    where r is the intake–end correlation; the interval is d ± 1.96 SE. It needs n ≥ 3 (a
    correlation from two points is always ±1).

Severity-adjusted effect size (SAES)
    Services that take in more severely troubled clients see larger raw changes (regression to
    the mean and more room to improve), so raw effect sizes are not comparable between teams or
    helpers. Following ACORN (Brown) and Seidel, Miller & Chow, change is adjusted for intake:
    - reference: the service's closed episodes that started in the clinical range (intake below
      their age group's cutoff) and ended on or before the end of the period shown, at least
      `SAES_MINIMUM_REFERENCE` of them;
    - fit change = a + b · intake by least squares over the reference;
    - for the episodes in view (also only those starting in the clinical range) the residual
      gain is actual change − predicted change; SAES = (mean residual + reference mean change)
      / reference SD of intake. Algebraically (mean change + b (reference mean intake − mean
      intake)) / reference SD: the mean change the episodes would have had with the reference's
      intake mix, in reference SD units;
    - its 95 % interval is SAES ± 1.96 · SD(residuals) / sqrt(n) / reference SD (the reference
      line is treated as known: it comes from many more episodes than a team or helper has).
    Bands (OpenFIT): ≥ 0.8 significant improvement, 0.5–0.8 some improvement, −0.5–0.5 no
    change, and mirrored below.

Shares use Wilson's score interval, which stays inside 0–1 for small counts.
"""

import math
from dataclasses import dataclass

Z95 = 1.959963984540054
SAES_MINIMUM_REFERENCE = 30


@dataclass(frozen=True)
class Estimate:
    """A value with its 95 % confidence interval."""

    value: float
    low: float
    high: float


@dataclass(frozen=True)
class PairedSums:
    """Sums over n (intake x, end-or-change y) pairs, as the database aggregates them."""

    n: int
    x: float = 0.0
    y: float = 0.0
    xx: float = 0.0
    yy: float = 0.0
    xy: float = 0.0

    @classmethod
    def of(cls, n: int | None, x, y, xx, yy, xy) -> "PairedSums":
        """From database aggregates, where sums over no rows come back as None."""
        return cls(
            n or 0, *(float(value) if value is not None else 0.0 for value in (x, y, xx, yy, xy))
        )

    def mean_x(self) -> float:
        return self.x / self.n

    def mean_y(self) -> float:
        return self.y / self.n

    def sxx(self) -> float:
        """Sum of squared deviations of x (never negative, despite rounding)."""
        return max(self.xx - self.x * self.x / self.n, 0.0)

    def syy(self) -> float:
        return max(self.yy - self.y * self.y / self.n, 0.0)

    def sxy(self) -> float:
        return self.xy - self.x * self.y / self.n

    def sd_x(self) -> float | None:
        """Sample SD (n − 1) of x; None below two pairs."""
        if self.n < 2:
            return None
        return math.sqrt(self.sxx() / (self.n - 1))

    def correlation(self) -> float | None:
        if self.n < 2 or self.sxx() <= 0 or self.syy() <= 0:
            return None
        return max(-1.0, min(1.0, self.sxy() / math.sqrt(self.sxx() * self.syy())))


def effect_size_interval(sums: PairedSums) -> Estimate | None:
    """Pre–post effect size (x intake, y end) with Becker's 95 % interval; None if undefined."""
    if sums.n < 3:
        return None
    sd = sums.sd_x()
    if not sd:
        return None
    d = (sums.mean_y() - sums.mean_x()) / sd
    r = sums.correlation()
    if r is None:
        r = 0.0
    se = math.sqrt(2 * (1 - r) / sums.n + d * d / (2 * sums.n))
    return Estimate(d, d - Z95 * se, d + Z95 * se)


@dataclass(frozen=True)
class ReferenceLine:
    """The reference's change-on-intake line and the numbers SAES is scaled by."""

    intercept: float
    slope: float
    mean_change: float
    mean_intake: float
    sd_intake: float
    n: int


def reference_line(sums: PairedSums, minimum: int = SAES_MINIMUM_REFERENCE) -> ReferenceLine | None:
    """Least-squares change = a + b · intake over the reference (x intake, y change)."""
    if sums.n < max(minimum, 3) or sums.sxx() <= 0:
        return None
    slope = sums.sxy() / sums.sxx()
    intercept = sums.mean_y() - slope * sums.mean_x()
    return ReferenceLine(
        intercept=intercept,
        slope=slope,
        mean_change=sums.mean_y(),
        mean_intake=sums.mean_x(),
        sd_intake=sums.sd_x() or 0.0,
        n=sums.n,
    )


def severity_adjusted(sums: PairedSums, reference: ReferenceLine | None) -> Estimate | None:
    """SAES of the episodes summed in `sums` (x intake, y change) against `reference`.

    None without a reference, or with fewer than two episodes (no spread for an interval).
    """
    if reference is None or sums.n < 2 or reference.sd_intake <= 0:
        return None
    a, b, n = reference.intercept, reference.slope, sums.n
    mean_residual = sums.mean_y() - a - b * sums.mean_x()
    value = (mean_residual + reference.mean_change) / reference.sd_intake
    # Σ(e − ē)² with e = y − a − b·x, expanded into the sums the database returns.
    residual_ss = sums.syy() - 2 * b * sums.sxy() + b * b * sums.sxx()
    se = math.sqrt(max(residual_ss, 0.0) / (n - 1) / n) / reference.sd_intake
    return Estimate(value, value - Z95 * se, value + Z95 * se)


class Band:
    """OpenFIT's reading of a severity-adjusted effect size."""

    SIGNIFICANT_IMPROVEMENT = "significant_improvement"
    SOME_IMPROVEMENT = "some_improvement"
    NO_CHANGE = "no_change"
    SOME_DETERIORATION = "some_deterioration"
    SIGNIFICANT_DETERIORATION = "significant_deterioration"


def saes_band(value: float) -> str:
    if value >= 0.8:
        return Band.SIGNIFICANT_IMPROVEMENT
    if value >= 0.5:
        return Band.SOME_IMPROVEMENT
    if value > -0.5:
        return Band.NO_CHANGE
    if value > -0.8:
        return Band.SOME_DETERIORATION
    return Band.SIGNIFICANT_DETERIORATION


def wilson_interval(successes: int, n: int) -> Estimate | None:
    """A share with Wilson's 95 % score interval; None for n = 0."""
    if n <= 0:
        return None
    p = successes / n
    z2 = Z95 * Z95
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = Z95 * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return Estimate(p, max(0.0, centre - half), min(1.0, centre + half))
