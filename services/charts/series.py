"""Form series and collateral raters on the session charts: where one form's curve ends and the
next begins, and how each other rater's line looks.

A child who turns 13 mid-episode moves from the child form to the adolescent form. The two
forms' totals are not one curve (different wording, norms and often items), so a change of form
starts a new run: the line is broken there and a divider marks the first session of the new
form. The norms, the change band and the expected trajectory belong to the current (last) run,
whose first rating is its own start: the helper follows the form the client rates on now, while
the leaders' outcome figures judge the episode by its intake form.

A run is a stretch of sessions from the first ORS on a form to the session before the first ORS
on the next form; a session without an ORS belongs to the run it falls in, whatever its
`series` says, so a skipped rating stays a gap and never joins two forms.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .axes import number
from .data import ChartPoint, CollateralSeries, Score
from .style import GREY

if TYPE_CHECKING:  # matplotlib is imported only where a chart is drawn
    from .panel import Panel

# Collateral raters: each distinct rater gets a colour, a dash pattern and a marker, so the lines
# differ from the client's solid blue circles in colour, dashes and shape (readable in greyscale
# and with colour blindness). Colours are darkened Okabe–Ito/Tol hues, all >= 4.5:1 on white:
# reddish purple 6.1:1, ochre 5.0:1, violet 8.3:1.
COLLATERAL_COLOURS = ("#AA3377", "#8F6A00", "#5D3A9B")
COLLATERAL_DASHES = ((0, (5, 2)), (0, (1.5, 1.5)), (0, (6, 2, 1.5, 2)))
# Marker and size: a triangle looks smaller than a diamond of the same nominal size.
COLLATERAL_MARKERS = (("^", 7.5), ("D", 5.5), ("P", 7.0))
DIVIDER_COLOUR = GREY
DIVIDER_DASHES = (0, (1, 2))


@dataclass(frozen=True)
class Run:
    """One form's stretch of the episode: its series index and its first rated session."""

    series: int
    start: int

    @property
    def divider(self) -> float:
        """Where the divider before this run goes: just before its first session."""
        return self.start - 0.5


@dataclass(frozen=True)
class CollateralStyle:
    colour: str
    dashes: tuple
    marker: str
    marker_size: float


def runs(points: Sequence[ChartPoint]) -> list[Run]:
    """The runs of consecutive rated sessions on the same form, in session order."""
    found: list[Run] = []
    for point in sorted(points, key=lambda point: point.session):
        if point.ors is not None and (not found or found[-1].series != point.series):
            found.append(Run(point.series, point.session))
    return found


def reference_start(points: Sequence[ChartPoint]) -> float | None:
    """The x where the current form's run starts (its norms and expected trajectory are drawn
    from there on), None with one form: the helper follows the form the client rates on now."""
    found = runs(points)
    return found[-1].divider if len(found) > 1 else None


def reference_intake(points: Sequence[ChartPoint]) -> ChartPoint | None:
    """The first rated session of the current form's run: the start its change is measured from."""
    start = reference_start(points)
    return next(
        (
            point
            for point in sorted(points, key=lambda point: point.session)
            if point.ors is not None and (start is None or point.session > start)
        ),
        None,
    )


def run_index(session: float, found: Sequence[Run]) -> int:
    """Which run a session falls in; sessions before the first rating belong to the first."""
    index = 0
    for position, run in enumerate(found):
        if session >= run.start:
            index = position
    return index


def split_by_run(points: Sequence[ChartPoint], found: Sequence[Run]) -> list[list[ChartPoint]]:
    """The points of each run, in session order (one list per run, at least one list)."""
    parts: list[list[ChartPoint]] = [[] for _ in range(max(len(found), 1))]
    for point in sorted(points, key=lambda point: point.session):
        parts[run_index(point.session, found)].append(point)
    return parts


def broken_line(
    points: Sequence[ChartPoint], value: Callable[[ChartPoint], Score | None]
) -> tuple[list[float], list[float]]:
    """x and y of one line through all points, with a gap (NaN) wherever the form changes."""
    found = runs(points)
    xs: list[float] = []
    ys: list[float] = []
    for index, part in enumerate(split_by_run(points, found)):
        if index and part:
            xs.append(found[index].divider)
            ys.append(math.nan)
        xs += [point.session for point in part]
        ys += [number(value(point)) for point in part]
    return xs, ys


def collateral_styles(collateral: Sequence[CollateralSeries]) -> dict[str, CollateralStyle]:
    """A style per distinct rater label, in the order the raters come."""
    styles: dict[str, CollateralStyle] = {}
    for series in collateral:
        if series.label not in styles:
            index = len(styles)
            styles[series.label] = CollateralStyle(
                COLLATERAL_COLOURS[index % len(COLLATERAL_COLOURS)],
                COLLATERAL_DASHES[index % len(COLLATERAL_DASHES)],
                *COLLATERAL_MARKERS[index % len(COLLATERAL_MARKERS)],
            )
    return styles


def collateral_line(
    series: CollateralSeries, found: Sequence[Run]
) -> tuple[list[float], list[float]]:
    """x and y of a collateral rater's line, broken where the client's form changes.

    A rater's ratings are joined across sessions they skipped (a parent rarely rates every
    session, and lone dots would hide the trend), but not across a form change: the rater's
    form follows the child's age group, so it changes at the same session.
    """
    xs: list[float] = []
    ys: list[float] = []
    previous = None
    for session, total in sorted(series.points, key=lambda pair: pair[0]):
        current = run_index(session, found)
        if previous is not None and current != previous:
            xs.append(found[current].divider)
            ys.append(math.nan)
        xs.append(session)
        ys.append(float(total))
        previous = current
    return xs, ys


def draw_dividers(
    panel: Panel, found: Sequence[Run], *, gid: str = "series-divider", linewidth: float = 1.3
) -> None:
    """A dotted vertical line before the first session of every form after the first."""
    for index, run in enumerate(found[1:], 1):
        panel.vline(
            run.divider,
            color=DIVIDER_COLOUR,
            linestyle=DIVIDER_DASHES,
            linewidth=linewidth,
            zorder=3,
            gid=f"{gid}-{index}",
        )
