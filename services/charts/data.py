"""What a chart is drawn from: plain, frozen values and nothing else.

The chart functions get everything they show through these classes, including every visible
string already translated, so drawing needs no database, no request and no Django, and the same
input always gives the same bytes (which is what makes caching by content safe).

Scores may be floats or Decimals; they are only ever read through `float()`.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

Score = float | Decimal


@dataclass(frozen=True)
class ChartPoint:
    """One session: its number, date and the client's own ratings (None where not rated).

    `ors_items` holds the outcome items in the instrument's order, or None for a total-only
    paper rating; a skipped rating is None, never 0, so the chart shows a gap.

    `series` is the index of the outcome form the ORS was rated on, counted within the episode
    (0 = the intake form the episode is judged by). A form change inside an episode, e.g. when a
    child turns 13, starts the next series: two forms' totals are not one curve, so the chart
    does not join them, and norms and the expected trajectory stay with series 0.
    """

    session: int
    date: datetime.date | None = None
    ors: Score | None = None
    srs: Score | None = None
    ors_items: tuple[Score | None, ...] | None = None
    series: int = 0


@dataclass(frozen=True)
class ExpectedPoint:
    """The expected ORS at one session number: the median, the band (25th to 75th percentile:
    below it is the orange zone) and the 10th percentile (below it is the red zone), which may
    be None and is then not drawn."""

    session: int
    median: Score
    low: Score
    high: Score
    lowest: Score | None = None


@dataclass(frozen=True)
class SignalMarker:
    """A signal to mark on the chart at a session, e.g. "off track" from session 5."""

    session: int
    key: str
    label: str


@dataclass(frozen=True)
class ChartLabels:
    """Every string a chart shows, translated by the caller.

    The English defaults exist for tests and scripts; views pass translated text. The client
    chart uses only `client_title`, `client_reference`, `session`, `no_data` and the goal
    words (`client_goals`, `goal` and the goal statuses; the helper's chart titles its goals
    panel `goals`), and the date and number formats, so no clinical wording can reach the
    client's view by accident.
    `date_format` is a strftime pattern for the date under each session number; `decimal_mark`
    is "," in Norwegian. `client_rater` names the client's own line in the helper chart's legend
    when collateral raters are drawn beside it.
    """

    ors: str = "Outcome (ORS)"
    srs: str = "Alliance (SRS)"
    session: str = "Session"
    cutoff: str = "Clinical cutoff"
    reliable_change: str = "Within measurement error: no reliable change"
    expected: str = "Expected trajectory"
    expected_band: str = "Expected range"
    expected_lowest: str = "10th percentile (below: red zone)"
    alliance_threshold: str = "Alliance threshold"
    signals: str = "Signal"
    no_data: str = "No ratings yet"
    caption: str = ""
    items: tuple[str, ...] = ()
    total_only: str = "Total only (paper form)"
    client_title: str = "How life has been"
    client_reference: str = ""
    date_format: str = "%d.%m"
    decimal_mark: str = "."
    client_rater: str = "The client"
    goals: str = "The client's goals (0–10)"
    client_goals: str = "Your goals: how close you are (0–10)"
    goal: str = "Goal"
    goal_reached: str = "reached"
    goal_dropped: str = "dropped"
    goal_reworded: str = "reworded"
    full_date_format: str = "%d.%m.%Y"


@dataclass(frozen=True)
class CollateralSeries:
    """Outcome ratings by one collateral rater (a parent, a teacher): (session, total) pairs.

    `label` names the rater, translated, e.g. "Forelder (Mor)". Drawn on the helper's chart
    only, beside the client's own curve and never part of its change band.
    """

    label: str
    points: tuple[tuple[int, Score], ...] = ()


@dataclass(frozen=True)
class GoalWording:
    """One wording of a client's goal, in their own words, with its scores (0–10) by session.

    `status` is "open", "reached", "dropped" or "changed" (reworded: the next wording in the
    same `GoalLine` replaced it), `status_on` the day it changed.
    """

    text: str
    points: tuple[tuple[int, Score], ...] = ()
    status: str = "open"
    status_on: datetime.date | None = None


@dataclass(frozen=True)
class GoalLine:
    """A goal's place (1–3) in the episode and its wordings, oldest first: a reworded goal
    keeps its place and continues its line, so the client's scores read as one story."""

    place: int
    wordings: tuple[GoalWording, ...] = ()


@dataclass(frozen=True)
class ChartData:
    """One episode's chart: its sessions, the client's norms, the expected trajectory, signals.

    `cutoff` and `reliable_change` come from the norms of the intake form and age group (series
    0); `alliance_threshold` from the alliance instrument. Any of them may be None, and then
    that part is not drawn. `series_labels[n]` is the translated name of the form of series n
    (see `ChartPoint.series`); `collateral` holds the other raters' outcome ratings; `goals`
    the client's own goals, scored 0–10, drawn in a panel of their own under the outcome.
    """

    points: tuple[ChartPoint, ...] = ()
    cutoff: Score | None = None
    reliable_change: Score | None = None
    expected: tuple[ExpectedPoint, ...] = ()
    signals: tuple[SignalMarker, ...] = ()
    alliance_threshold: Score | None = None
    labels: ChartLabels = field(default_factory=ChartLabels)
    max_total: Score = 40
    item_max: Score = 10
    series_labels: tuple[str, ...] = ()
    collateral: tuple[CollateralSeries, ...] = ()
    goals: tuple[GoalLine, ...] = ()


@dataclass(frozen=True)
class ChartSize:
    """Figure size in inches, resolution for PNG and the base font size in points."""

    width: float
    height: float
    dpi: int = 100
    font_size: float = 11


SIZES: dict[str, ChartSize] = {
    "tablet": ChartSize(width=10, height=6.4, dpi=100, font_size=12),
    "phone": ChartSize(width=4, height=5.6, dpi=100, font_size=10.5),
}
