"""Expected treatment response (ETR): where a client's ORS is expected to be at session n.

Commercial feedback systems compare each client with earlier clients who had the same intake
score, but their curves are unpublished. Ours is open: a documented default per age group,
replaced by a curve calibrated on the service's own closed episodes of that age group once there
are enough of them, with the method and data size always shown next to the chart. See
docs/trajectories.md.

Two levels, as in OQ/PCOMS-style alerts: a rating below the 25th percentile of the expected
change is "orange", below the 10th "red". The band never starts narrower than the measurement
error: two ratings of a client who has not changed at all already differ by about
SE_diff = RCI / 1.96.

Sessions are counted from the intake rating: n = 1 is the intake itself (expected = intake), so a
client whose first session had no ORS is compared from their first rating on.

Everything here is pure: plain numbers in, plain numbers out, no database.
"""

import datetime
import math
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, fields
from statistics import NormalDist
from typing import Any, NamedTuple

DEFAULT_METHOD = "default"
CALIBRATED_METHOD = "calibrated"
MIN_EPISODES = 200
BAND_WIDTH = 5.0
MAX_SESSION = 20
MIN_BAND_EPISODES = 20
MIN_CELL = 10
LOWEST_QUANTILE = 0.10
LOW_QUANTILE = 0.25
HIGH_QUANTILE = 0.75
SCALE_MAX = 40.0
# A reliable change is one larger than 1.96 standard errors of the difference of two ratings.
RCI_Z = 1.96
# How many standard deviations the 25th and the 10th percentile lie below the median.
Z_LOW = NormalDist().inv_cdf(HIGH_QUANTILE)
Z_LOWEST = NormalDist().inv_cdf(1 - LOWEST_QUANTILE)
# The adult non-clinical mean (28.0, Miller et al. 2003) lies 3 points above the adult cutoff
# (25); each age group's default aims the same distance above its own cutoff.
NON_CLINICAL_MARGIN = 3.0

RED = "red"
ORANGE = "orange"
ZONES = (ORANGE, RED)  # from the milder to the more severe

EpisodeScores = tuple[float, Sequence[float | None]]


class Expected(NamedTuple):
    """The expected ORS at one session: the median, the 25th and 75th percentiles (the band)
    and the 10th percentile (below it is the red zone). All totals on the 0–40 scale."""

    median: float
    low: float
    high: float
    lowest: float


@dataclass(frozen=True)
class DefaultParameters:
    """The default curve: expected(n) = intake + G(intake) · P(n), P(n) = 1 − exp(−(n − 1) / k).

    G(intake) = max(0, gain · (target − intake)): a client is expected to close a share of the
    distance to where people without a clinical problem score, so a lower intake means more
    expected change and an intake at or above the target means no expected change.

    The spread of change around the median is normal with
    SD(n)² = SE_diff² + (SD_plateau² − SE_diff²) · P(n):
    the measurement error of a difference, SE_diff = reliable_change / 1.96, is there from the
    first rating after the intake, and the spread of true change grows with the same shape as
    the median. The band is the 25th–75th percentile, the red line the 10th.

    - target: `cutoff` + 3, the distance of the adult non-clinical mean (28.0, Miller et al.
      2003) above the adult cutoff (25); so 28 for adults, 31 for adolescents, 35 for children.
    - gain 0.8: an adult intake at the clinical mean (19.6) is expected to gain about 6.7
      points, more than the reliable change of 5, in line with published PCOMS figures where
      about two thirds of clients change reliably. An assumption, not a fitted value.
    - time_constant 2.5 sessions: "most change early": about 55 % of the expected change by
      session 3, 70 % by session 4 and 86 % by session 6. An assumption.
    - band 5.0: the half-width of the 25th–75th percentile band at the plateau, the rounded
      adult reliable change index; so SD_plateau = 5.0 / 0.674 ≈ 7.4 points. An assumption.
    - reliable_change, cutoff: the age group's norms (the instrument definition's values).
    """

    target: float = 28.0
    gain: float = 0.8
    time_constant: float = 2.5
    band: float = 5.0
    reliable_change: float = 5.0
    cutoff: float = 25.0

    @property
    def measurement_error(self) -> float:
        """SE_diff: the standard error of the difference between two ratings."""
        return self.reliable_change / RCI_Z

    @property
    def plateau_sd(self) -> float:
        return max(self.band / Z_LOW, self.measurement_error)

    def progress(self, n: int) -> float:
        """The share of the expected change reached by session n."""
        return 1 - math.exp(-(n - 1) / self.time_constant)

    def spread(self, n: int) -> float:
        """The standard deviation of change from intake at session n (n >= 2)."""
        error = self.measurement_error**2
        return math.sqrt(error + (self.plateau_sd**2 - error) * self.progress(n))


def default_parameters(cutoff: float, reliable_change: float) -> DefaultParameters:
    """The default curve for an age group with this cutoff and reliable change index."""
    return DefaultParameters(
        target=cutoff + NON_CLINICAL_MARGIN, reliable_change=reliable_change, cutoff=cutoff
    )


@dataclass(frozen=True)
class BandCurve:
    """Calibrated change from intake for intakes in [low_intake, low_intake + band width).

    `median`, `low`, `high` and `lowest` (the 50th, 25th, 75th and 10th percentiles) are
    changes (points) at sessions 2, 3, … in order; `counts` says how many ratings each value
    rests on. Past the last session the curve stays level. Curves stored before the 10th
    percentile was kept have no `lowest`: it is derived from `low` as for a normal spread.
    """

    low_intake: float
    n_episodes: int
    counts: tuple[int, ...]
    median: tuple[float, ...]
    low: tuple[float, ...]
    high: tuple[float, ...]
    lowest: tuple[float, ...] = ()

    def lowest_at(self, at: int) -> float:
        if len(self.lowest) == len(self.median):
            return self.lowest[at]
        return self.median[at] - (self.median[at] - self.low[at]) * Z_LOWEST / Z_LOW


@dataclass(frozen=True)
class Trajectory:
    """An expected-trajectory model: a default, or one calibrated on closed episodes.

    A calibrated model keeps its age group's default parameters, for the intake bands it had
    too little data for and for the measurement error its band is never narrower than. It
    serialises to a plain dict (`to_dict`) for a JSON field.
    """

    method: str = DEFAULT_METHOD
    n_episodes: int = 0
    fitted_at: str | None = None
    parameters: DefaultParameters = field(default_factory=DefaultParameters)
    band_width: float = BAND_WIDTH
    bands: tuple[BandCurve, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Trajectory":
        bands = []
        for band in data.get("bands", ()):
            curve = BandCurve(
                low_intake=float(band["low_intake"]),
                n_episodes=int(band["n_episodes"]),
                counts=tuple(band["counts"]),
                median=tuple(band["median"]),
                low=tuple(band["low"]),
                high=tuple(band["high"]),
                lowest=tuple(band.get("lowest", ())),
            )
            if len(curve.lowest) != len(curve.median):
                derived = tuple(round(curve.lowest_at(i), 2) for i in range(len(curve.median)))
                curve = BandCurve(**{**asdict(curve), "lowest": derived})
            bands.append(curve)
        known = {parameter.name for parameter in fields(DefaultParameters)}
        parameters = {k: v for k, v in data.get("parameters", {}).items() if k in known}
        return cls(
            method=data.get("method", DEFAULT_METHOD),
            n_episodes=int(data.get("n_episodes", 0)),
            fitted_at=data.get("fitted_at"),
            parameters=DefaultParameters(**parameters),
            band_width=float(data.get("band_width", BAND_WIDTH)),
            bands=tuple(bands),
        )


# Each scored age group's default, from the built-in norms (cutoff, reliable change). The young
# child's form is unscored (faces only): no sensible model, so no expected band and no
# "off track" for that group.
DEFAULT_MODELS: dict[str, Trajectory] = {
    "adult": Trajectory(parameters=default_parameters(cutoff=25.0, reliable_change=5.0)),
    "adolescent": Trajectory(parameters=default_parameters(cutoff=28.0, reliable_change=5.0)),
    "child": Trajectory(parameters=default_parameters(cutoff=32.0, reliable_change=6.0)),
}
DEFAULT_MODEL = DEFAULT_MODELS["adult"]


def default_model(age_group: str) -> Trajectory | None:
    """The age group's default model, or None where there is no sensible one."""
    return DEFAULT_MODELS.get(age_group)


def _clamp(value: float) -> float:
    return min(max(value, 0.0), SCALE_MAX)


def _default_change(parameters: DefaultParameters, intake: float, n: int) -> Expected:
    """Change from intake (median, low, high, lowest) at session n under the default curve."""
    median = max(0.0, parameters.gain * (parameters.target - intake)) * parameters.progress(n)
    sd = parameters.spread(n)
    return Expected(median, median - Z_LOW * sd, median + Z_LOW * sd, median - Z_LOWEST * sd)


def _band_change(model: Trajectory, index: int, n: int) -> Expected:
    """The change at session n for intake band `index`: calibrated if fitted, else default."""
    low_intake = index * model.band_width
    for band in model.bands:
        if math.isclose(band.low_intake, low_intake) and band.median:
            at = min(n - 2, len(band.median) - 1)
            return Expected(band.median[at], band.low[at], band.high[at], band.lowest_at(at))
    return _default_change(model.parameters, low_intake + model.band_width / 2, n)


def _at_least_measurement_error(changes: Expected, parameters: DefaultParameters) -> Expected:
    """A calibrated band no narrower than the measurement error (small cells can be)."""
    error = parameters.measurement_error
    median = changes.median
    return Expected(
        median,
        min(changes.low, median - Z_LOW * error),
        max(changes.high, median + Z_LOW * error),
        min(changes.lowest, median - Z_LOWEST * error),
    )


def band_index(intake: float, band_width: float = BAND_WIDTH) -> int:
    """Which intake band a score falls in; 40 belongs to the top band."""
    last = math.ceil(SCALE_MAX / band_width) - 1
    return min(max(int(intake // band_width), 0), last)


def expected(model: Trajectory, intake: float, n: int) -> Expected:
    """Expected ORS at session n (n = 1 is the intake) for this intake: median, 25th and 75th
    percentile (the band) and 10th percentile, clamped to the scale.

    A calibrated model interpolates between the centres of the two nearest intake bands, so
    the expectation moves smoothly with the intake score instead of jumping at band edges.
    """
    intake = float(intake)
    if n <= 1:
        return Expected(intake, intake, intake, intake)
    if model.method == DEFAULT_METHOD or not model.bands:
        changes = _default_change(model.parameters, intake, n)
    else:
        width = model.band_width
        last = band_index(SCALE_MAX, width)
        position = min(max((intake - width / 2) / width, 0.0), float(last))
        below = int(position)
        above = min(below + 1, last)
        weight = position - below
        lower, upper = _band_change(model, below, n), _band_change(model, above, n)
        changes = _at_least_measurement_error(
            Expected(*(a + (b - a) * weight for a, b in zip(lower, upper, strict=True))),
            model.parameters,
        )
    median, low, high, lowest = (_clamp(intake + change) for change in changes)
    low = min(low, median)
    return Expected(median, low, max(high, median), min(lowest, low))


def zone(value: Expected, score: float) -> str | None:
    """RED below the 10th percentile, ORANGE below the 25th, else None."""
    if score < value.lowest:
        return RED
    if score < value.low:
        return ORANGE
    return None


def off_track_zone(model: Trajectory, intake: float, n: int, score: float) -> str | None:
    """The zone of `score` at session n for this intake; none at the intake itself."""
    return None if n <= 1 else zone(expected(model, intake, n), score)


def expected_series(
    model: Trajectory, intake: float, intake_session: int, last_session: int
) -> tuple[tuple[int, float, float, float, float], ...]:
    """(session number, median, low, high, lowest) from the intake session to `last_session`.

    Session numbers are the episode's own; n is counted from the intake session.
    """
    return tuple(
        (session, *expected(model, intake, session - intake_session + 1))
        for session in range(intake_session, last_session + 1)
    )


def quantile(values: Sequence[float], q: float) -> float:
    """The q-quantile by linear interpolation between order statistics (numpy's default)."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * q
    below = math.floor(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)


def usable_episodes(episodes: Iterable[EpisodeScores]) -> list[EpisodeScores]:
    """Episodes with an intake and at least one later rating: change needs two points."""
    return [
        (float(intake), scores)
        for intake, scores in episodes
        if sum(score is not None for score in scores[1:]) >= 1
    ]


def _band_curve(
    changes: dict[int, list[float]], low_intake: float, n_episodes: int, max_session: int
) -> BandCurve:
    """Quantiles (50th, 25th, 75th, 10th) of change per session, each pooled with its
    neighbours to smooth the curve.

    The window is symmetric (n − 1, n, n + 1) so a rising curve is not pulled up or down; at
    session 2 it is session 2 alone, because session 1 is the intake (no change by
    definition). The curve stops at the first session with fewer than MIN_CELL ratings.
    """
    counts, median, low, high, lowest = [], [], [], [], []
    for n in range(2, max_session + 1):
        window = (n,) if n == 2 or n == max_session else (n - 1, n, n + 1)
        pooled = [change for m in window for change in changes.get(m, ())]
        if len(changes.get(n, ())) < MIN_CELL // 2 or len(pooled) < MIN_CELL:
            break
        counts.append(len(changes.get(n, ())))
        median.append(round(quantile(pooled, 0.5), 2))
        low.append(round(quantile(pooled, LOW_QUANTILE), 2))
        high.append(round(quantile(pooled, HIGH_QUANTILE), 2))
        lowest.append(round(quantile(pooled, LOWEST_QUANTILE), 2))
    return BandCurve(
        low_intake=low_intake,
        n_episodes=n_episodes,
        counts=tuple(counts),
        median=tuple(median),
        low=tuple(low),
        high=tuple(high),
        lowest=tuple(lowest),
    )


def fit_trajectories(
    episodes: Iterable[EpisodeScores],
    *,
    min_episodes: int = MIN_EPISODES,
    band_width: float = BAND_WIDTH,
    max_session: int = MAX_SESSION,
    min_band_episodes: int = MIN_BAND_EPISODES,
    fitted_at: datetime.datetime | None = None,
    default: Trajectory = DEFAULT_MODEL,
) -> Trajectory:
    """Calibrate the expected trajectories of one age group on its closed episodes, or keep
    that group's `default`.

    `episodes` are (intake, scores) with scores[i] the ORS at session i + 1 counted from the
    intake (None where not rated; scores[0] is the intake). Per intake band of `band_width`
    points and per session, the median and the 25th, 75th and 10th percentiles of the change
    from intake are taken. Bands with fewer than `min_band_episodes` episodes keep the default
    curve. With fewer than `min_episodes` usable episodes in all, `default` is returned.
    """
    usable = usable_episodes(episodes)
    if len(usable) < min_episodes:
        return default
    per_band: dict[int, dict[int, list[float]]] = {}
    episodes_in_band: dict[int, int] = {}
    for intake, scores in usable:
        index = band_index(intake, band_width)
        episodes_in_band[index] = episodes_in_band.get(index, 0) + 1
        cells = per_band.setdefault(index, {})
        for position, score in enumerate(scores[1:max_session], start=2):
            if score is not None:
                cells.setdefault(position, []).append(float(score) - intake)
    bands = []
    for index in sorted(per_band):
        if episodes_in_band[index] < min_band_episodes:
            continue
        curve = _band_curve(
            per_band[index], index * band_width, episodes_in_band[index], max_session
        )
        if curve.median:
            bands.append(curve)
    moment = fitted_at or datetime.datetime.now(datetime.UTC)
    return Trajectory(
        method=CALIBRATED_METHOD,
        n_episodes=len(usable),
        fitted_at=moment.isoformat(timespec="seconds"),
        parameters=default.parameters,
        band_width=band_width,
        bands=tuple(bands),
    )
