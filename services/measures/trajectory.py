"""Expected treatment response (ETR): where a client's ORS is expected to be at session n.

Commercial feedback systems compare each client with earlier clients who had the same intake
score, but their curves are unpublished. Ours is open: a documented default, replaced by a curve
calibrated on the service's own closed episodes once there are enough of them, with the method
and data size always shown next to the chart. See docs/trajectories.md.

Sessions are counted from the intake rating: n = 1 is the intake itself (expected = intake), so a
client whose first session had no ORS is compared from their first rating on.

Everything here is pure: plain numbers in, plain numbers out, no database.
"""

import datetime
import math
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

DEFAULT_METHOD = "default"
CALIBRATED_METHOD = "calibrated"
MIN_EPISODES = 200
BAND_WIDTH = 5.0
MAX_SESSION = 20
MIN_BAND_EPISODES = 20
MIN_CELL = 10
LOW_QUANTILE = 0.25
HIGH_QUANTILE = 0.75
SCALE_MAX = 40.0

Expected = tuple[float, float, float]
EpisodeScores = tuple[float, Sequence[float | None]]


@dataclass(frozen=True)
class DefaultParameters:
    """The default curve: expected(n) = intake + G(intake) · (1 − exp(−(n − 1) / k)).

    G(intake) = max(0, gain · (target − intake)): a client is expected to close a share of the
    distance to where people without a clinical problem score, so a lower intake means more
    expected change and an intake at or above the target means no expected change.

    - target 28.0: the non-clinical adult mean of the ORS (Miller et al. 2003); the clinical
      mean is 19.6.
    - gain 0.8: an intake at the clinical mean (19.6) is expected to gain about 6.7 points, more
      than the reliable change of 5, in line with published PCOMS figures where about two
      thirds of clients change reliably. An assumption, not a fitted value.
    - time_constant 2.5 sessions: "most change early": about 55 % of the expected change by
      session 3, 70 % by session 4 and 86 % by session 6. An assumption.
    - band 5.0: the half-width of the 25th–75th percentile band at the plateau, equal to the
      rounded reliable change index; it widens with the same shape from nothing at intake. An
      assumption consistent with a standard deviation of change of about 7 points.
    """

    target: float = 28.0
    gain: float = 0.8
    time_constant: float = 2.5
    band: float = 5.0


@dataclass(frozen=True)
class BandCurve:
    """Calibrated change from intake for intakes in [low_intake, low_intake + band width).

    `median`, `low` and `high` are changes (points) at sessions 2, 3, … in order; `counts`
    says how many ratings each value rests on. Past the last session the curve stays level.
    """

    low_intake: float
    n_episodes: int
    counts: tuple[int, ...]
    median: tuple[float, ...]
    low: tuple[float, ...]
    high: tuple[float, ...]


@dataclass(frozen=True)
class Trajectory:
    """An expected-trajectory model: the default, or one calibrated on closed episodes.

    A calibrated model keeps the default parameters for the intake bands it had too little
    data for. It serialises to a plain dict (`to_dict`) for a JSON field.
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
        bands = tuple(
            BandCurve(
                low_intake=float(band["low_intake"]),
                n_episodes=int(band["n_episodes"]),
                counts=tuple(band["counts"]),
                median=tuple(band["median"]),
                low=tuple(band["low"]),
                high=tuple(band["high"]),
            )
            for band in data.get("bands", ())
        )
        return cls(
            method=data.get("method", DEFAULT_METHOD),
            n_episodes=int(data.get("n_episodes", 0)),
            fitted_at=data.get("fitted_at"),
            parameters=DefaultParameters(**data.get("parameters", {})),
            band_width=float(data.get("band_width", BAND_WIDTH)),
            bands=bands,
        )


DEFAULT_MODEL = Trajectory()


def _clamp(value: float) -> float:
    return min(max(value, 0.0), SCALE_MAX)


def _default_change(parameters: DefaultParameters, intake: float, n: int) -> Expected:
    """(median, low, high) change from intake under the default curve."""
    progress = 1 - math.exp(-(n - 1) / parameters.time_constant)
    gain = max(0.0, parameters.gain * (parameters.target - intake))
    median = gain * progress
    half_width = parameters.band * progress
    return median, median - half_width, median + half_width


def _band_change(model: Trajectory, index: int, n: int) -> Expected:
    """The change at session n for intake band `index`: calibrated if fitted, else default."""
    low_intake = index * model.band_width
    for band in model.bands:
        if math.isclose(band.low_intake, low_intake) and band.median:
            at = min(n - 2, len(band.median) - 1)
            return band.median[at], band.low[at], band.high[at]
    return _default_change(model.parameters, low_intake + model.band_width / 2, n)


def band_index(intake: float, band_width: float = BAND_WIDTH) -> int:
    """Which intake band a score falls in; 40 belongs to the top band."""
    last = math.ceil(SCALE_MAX / band_width) - 1
    return min(max(int(intake // band_width), 0), last)


def expected(model: Trajectory, intake: float, n: int) -> Expected:
    """Expected ORS (median, low, high) at session n (n = 1 is the intake) for this intake.

    A calibrated model interpolates between the centres of the two nearest intake bands, so
    the expectation moves smoothly with the intake score instead of jumping at band edges.
    """
    intake = float(intake)
    if n <= 1:
        return intake, intake, intake
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
        changes = tuple(a + (b - a) * weight for a, b in zip(lower, upper, strict=True))
    median, low, high = (_clamp(intake + change) for change in changes)
    return median, min(low, median), max(high, median)


def expected_series(
    model: Trajectory, intake: float, intake_session: int, last_session: int
) -> tuple[tuple[int, float, float, float], ...]:
    """(session number, median, low, high) from the intake session to `last_session`, for charts.

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
    """Quantiles of change per session, each pooled with its neighbours to smooth the curve.

    The window is symmetric (n − 1, n, n + 1) so a rising curve is not pulled up or down; at
    session 2 it is session 2 alone, because session 1 is the intake (no change by
    definition). The curve stops at the first session with fewer than MIN_CELL ratings.
    """
    counts, median, low, high = [], [], [], []
    for n in range(2, max_session + 1):
        window = (n,) if n == 2 or n == max_session else (n - 1, n, n + 1)
        pooled = [change for m in window for change in changes.get(m, ())]
        if len(changes.get(n, ())) < MIN_CELL // 2 or len(pooled) < MIN_CELL:
            break
        counts.append(len(changes.get(n, ())))
        median.append(round(quantile(pooled, 0.5), 2))
        low.append(round(quantile(pooled, LOW_QUANTILE), 2))
        high.append(round(quantile(pooled, HIGH_QUANTILE), 2))
    return BandCurve(
        low_intake=low_intake,
        n_episodes=n_episodes,
        counts=tuple(counts),
        median=tuple(median),
        low=tuple(low),
        high=tuple(high),
    )


def fit_trajectories(
    episodes: Iterable[EpisodeScores],
    *,
    min_episodes: int = MIN_EPISODES,
    band_width: float = BAND_WIDTH,
    max_session: int = MAX_SESSION,
    min_band_episodes: int = MIN_BAND_EPISODES,
    fitted_at: datetime.datetime | None = None,
) -> Trajectory:
    """Calibrate the expected trajectories on closed episodes, or keep the default.

    `episodes` are (intake, scores) with scores[i] the ORS at session i + 1 counted from the
    intake (None where not rated; scores[0] is the intake). Per intake band of `band_width`
    points and per session, the median and the 25th and 75th percentiles of the change from
    intake are taken. Bands with fewer than `min_band_episodes` episodes keep the default curve.
    With fewer than `min_episodes` usable episodes in all, the default model is returned.
    """
    usable = usable_episodes(episodes)
    if len(usable) < min_episodes:
        return DEFAULT_MODEL
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
        band_width=band_width,
        bands=tuple(bands),
    )
