"""Shared pieces of the session charts: the session axis, gaps, panels and text sizes.

Three things are done by hand for speed, because they dominate matplotlib's render time:

- layout, in inches, instead of tight or constrained layout, which draw the figure an extra
  time just to measure it; the charts are regular enough for margins derived from the font size;
- tick labels and grid lines, drawn as plain texts and one line collection per panel instead of
  matplotlib's Tick objects (three lines and two texts each, with locators and formatters);
  the ticks here are fixed (sessions, scores in tens), so the machinery buys nothing;
- panels, as a `panel.Panel` (coordinates, clipping and an SVG group) instead of an Axes, whose
  axis objects, spines and titles would go unused.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from .data import ChartData, ChartLabels, ChartPoint, Score
from .style import GREY, GRID, TEXT_COLOUR

if TYPE_CHECKING:  # matplotlib is imported only where a chart is drawn
    from matplotlib.figure import Figure

    from .panel import Panel

POINTS_PER_INCH = 72
MIN_SESSIONS_SHOWN = 4
MAX_TICKS = 12
TICK_STEPS = (1, 2, 3, 5, 10, 20, 25, 50, 100)


def number(value: Score | None) -> float:
    """A score as a float, with "not rated" as NaN so matplotlib leaves a gap, never a 0."""
    return math.nan if value is None else float(value)


def line_height(font_size: float, spacing: float = 1.35) -> float:
    """Height of one line of text in inches."""
    return font_size * spacing / POINTS_PER_INCH


def session_span(
    data: ChartData, *, with_expected: bool = True, with_collateral: bool = False
) -> tuple[int, int]:
    """First and last session number to show: the rated sessions and the goals' scores, and the
    expected trajectory and the collateral raters' sessions where the chart draws them.

    A few empty sessions are kept in view for a new episode, so one point is not a lone dot in
    the middle of the chart.
    """
    sessions = [point.session for point in data.points]
    sessions += [s for line in data.goals for wording in line.wordings for s, _ in wording.points]
    if with_expected:
        sessions += [point.session for point in data.expected]
    if with_collateral:
        sessions += [session for series in data.collateral for session, _ in series.points]
    first = min(sessions, default=1)
    last = max(sessions, default=first)
    return first, max(last, first + MIN_SESSIONS_SHOWN - 1)


def tick_step(span: int, max_ticks: int) -> int:
    """The smallest readable step that keeps the session ticks from colliding."""
    for step in TICK_STEPS:
        if math.ceil(span / step) <= max_ticks:
            return step
    return TICK_STEPS[-1]


def session_axis_height(font_size: float, titled: bool) -> float:
    """Inches the session labels (and their title) take under a panel."""
    return (6 + font_size * (2.7 + (1.3 if titled else 0))) / POINTS_PER_INCH + 0.04


def session_ticks(
    points: Sequence[ChartPoint],
    first: int,
    last: int,
    max_ticks: int,
    labels: ChartLabels,
) -> tuple[list[int], list[str]]:
    """Tick positions and labels: the session number, with its date on a second line."""
    step = tick_step(last - first + 1, max(max_ticks, 2))
    if step <= 3:
        ticks = list(range(first, last + 1, step))
    else:
        ticks = [first] + [s for s in range(step, last + 1, step) if s - first >= step * 0.6]
    dates = {point.session: point.date for point in points if point.date is not None}
    texts = []
    for session in ticks:
        date = dates.get(session)
        texts.append(f"{session}\n{date.strftime(labels.date_format)}" if date else str(session))
    return ticks, texts


def max_session_ticks(axes_width: float, font_size: float) -> int:
    """How many two-line session ticks fit across `axes_width` inches without crowding."""
    label_width = 5 * 0.62 * font_size / POINTS_PER_INCH
    return max(2, min(MAX_TICKS, int(axes_width / (label_width * 1.3))))


def score_axis(panel: Panel, values: Sequence[float], font_size: float) -> None:
    """Score labels left of the panel and a light grid line at each."""
    from matplotlib.transforms import offset_copy

    panel.hlines(values, colors=GRID, linewidth=0.8, zorder=0.5)
    place = offset_copy(panel.y_data, fig=panel.figure, x=-5, units="points")
    for value in values:
        panel.text(
            0,
            value,
            f"{value:g}",
            transform=place,
            ha="right",
            va="center",
            fontsize=font_size,
            color=TEXT_COLOUR,
        )


def session_axis(
    panel: Panel,
    ticks: Sequence[int],
    texts: Sequence[str],
    font_size: float,
    title: str = "",
) -> None:
    """Session labels (number, date below) under the panel, with short tick marks, and the
    axis title centred under them."""
    from matplotlib.lines import TICKDOWN
    from matplotlib.transforms import offset_copy

    panel.line(
        ticks,
        [0] * len(ticks),
        transform=panel.x_data,
        linestyle="none",
        marker=TICKDOWN,
        markersize=4,
        markeredgecolor=GREY,
        clip_on=False,
    )
    place = offset_copy(panel.x_data, fig=panel.figure, y=-6, units="points")
    for tick, text in zip(ticks, texts, strict=True):
        panel.text(
            tick,
            0,
            text,
            transform=place,
            ha="center",
            va="top",
            fontsize=font_size,
            color=TEXT_COLOUR,
            linespacing=1.25,
        )
    if title:
        below = offset_copy(panel.area, fig=panel.figure, y=-(6 + font_size * 2.7), units="points")
        panel.text(
            0.5,
            0,
            title,
            transform=below,
            ha="center",
            va="top",
            fontsize=font_size,
            color=GREY,
        )


def add_panel(
    figure: Figure, left: float, bottom: float, width: float, height: float, gid: str
) -> Panel:
    """A quiet panel placed in inches from the figure's lower left corner: a white background
    and a grey bottom line, the scores and sessions labelled by `score_axis` and `session_axis`.
    """
    from .panel import Panel

    return Panel(figure, left, bottom, width, height, gid, line_colour=GREY)


def wrap(text: str, width: float, font_size: float) -> str:
    """Break `text` into lines that fit `width` inches (an estimate from the font size)."""
    if not text:
        return ""
    chars_per_line = max(10, int(width * POINTS_PER_INCH / (0.55 * font_size)))
    lines: list[str] = []
    for paragraph in text.splitlines():
        words = paragraph.split()
        line = ""
        for word in words:
            candidate = f"{line} {word}".strip()
            if len(candidate) > chars_per_line and line:
                lines.append(line)
                line = word
            else:
                line = candidate
        lines.append(line)
    return "\n".join(lines)


def grouped_signals(data: ChartData) -> list[tuple[int, list[str]]]:
    """Signal labels per session, in the given order, so one marker stands for one session."""
    labels: dict[int, list[str]] = {}
    for signal in data.signals:
        texts = labels.setdefault(signal.session, [])
        if signal.label not in texts:
            texts.append(signal.label)
    return sorted(labels.items())


def intake_point(points: Iterable[ChartPoint]) -> ChartPoint | None:
    """The first session with a client ORS: the episode's intake."""
    return next((point for point in points if point.ors is not None), None)
