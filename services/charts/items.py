"""The outcome items as small multiples: which part of life moves, and which does not.

One small panel per item on the same 0–10 scale and the same sessions, so the panels compare at
a glance. A total-only (paper) rating has no items: its session is a gap in every panel, and a
note under the chart says which sessions those are, so a gap is never mistaken for a low score.
A change of form inside the episode breaks every item's line at a divider, as on the total.
A form may have any number of items: a long one makes the figure taller, never the panels
unreadably thin.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from .axes import (
    add_panel,
    line_height,
    max_session_ticks,
    number,
    score_axis,
    session_axis,
    session_axis_height,
    session_span,
    session_ticks,
)
from .data import ChartData, ChartPoint, ChartSize
from .output import chart_size, check_format, figure_bytes, new_figure
from .series import broken_line, draw_dividers, runs
from .style import GREY, ORS_COLOUR, TEXT_COLOUR

if TYPE_CHECKING:  # matplotlib is imported only where a chart is drawn
    from matplotlib.figure import Figure

WIDE_COLUMNS = 2
MIN_PANEL_HEIGHT = 0.65  # inches: a 0–10 axis with three ticks stays readable


def _item_count(points: list[ChartPoint]) -> int:
    return max((len(point.ors_items) for point in points if point.ors_items), default=0)


def _item_value(point: ChartPoint, index: int) -> float:
    if point.ors_items is None or index >= len(point.ors_items):
        return number(None)
    return number(point.ors_items[index])


def _message(chart: ChartSize, text: str) -> Figure:
    """A figure that only says why there is nothing to draw."""
    figure = new_figure(chart)
    figure.text(
        0.5,
        0.5,
        text,
        ha="center",
        va="center",
        fontsize=chart.font_size,
        color=GREY,
        gid="no-data",
    )
    return figure


def items_chart(data: ChartData, fmt: str = "svg", size: str | ChartSize = "tablet") -> bytes:
    """One panel per outcome item (four for the ORS, any number for another form), as SVG or
    PNG bytes."""
    check_format(fmt)
    return figure_bytes(items_figure(data, size), fmt)


def items_figure(data: ChartData, size: str | ChartSize = "tablet") -> Figure:
    """The items chart as a matplotlib figure, before it becomes bytes (see `items_chart`)."""
    chart = chart_size(size)
    points = sorted(data.points, key=lambda point: point.session)
    count = _item_count(points)
    if count == 0:
        rated = any(point.ors is not None for point in points)
        return _message(chart, data.labels.total_only if rated else data.labels.no_data)

    font, small = chart.font_size, chart.font_size * 0.85
    totals_only = [p.session for p in points if p.ors is not None and p.ors_items is None]
    note = f"{data.labels.total_only}: {', '.join(map(str, totals_only))}" if totals_only else ""
    columns = WIDE_COLUMNS if chart.width >= 6 else 1
    rows = -(-count // columns)
    left, right_margin, column_gap = 0.45 + small * 0.03, 0.25, 0.55
    title = line_height(font, 1.5)
    ticks_space = session_axis_height(small, titled=False)
    bottom = 0.1 + (line_height(small, 1.3) + 0.05 if note else 0) + ticks_space
    row_gap = title + 0.45
    panel_width = (chart.width - left - right_margin - column_gap * (columns - 1)) / columns
    panel_height = (chart.height - 0.1 - bottom - title - row_gap * (rows - 1)) / rows
    if panel_height < MIN_PANEL_HEIGHT:
        # A form with many items (seven, say) makes the figure taller, not the panels thinner.
        panel_height = MIN_PANEL_HEIGHT
        height = 0.1 + bottom + title + row_gap * (rows - 1) + panel_height * rows
        chart = replace(chart, height=height)
    first, last = session_span(data, with_expected=False)
    ticks, texts = session_ticks(
        points, first, last, max_session_ticks(panel_width, small), data.labels
    )

    found = runs(points)
    figure = new_figure(chart)
    for index in range(count):
        row, column = divmod(index, columns)
        x = left + column * (panel_width + column_gap)
        y = bottom + (rows - 1 - row) * (panel_height + row_gap)
        panel = add_panel(figure, x, y, panel_width, panel_height, f"item-panel-{index}")
        panel.set_xlim(first - 0.5, last + 0.5)
        panel.set_ylim(0, float(data.item_max))
        score_axis(panel, (0, float(data.item_max) / 2, float(data.item_max)), small)
        if row == rows - 1 or index + columns >= count:
            session_axis(panel, ticks, texts, small)
        draw_dividers(panel, found, gid=f"item-divider-{index}")
        panel.line(
            *broken_line(points, lambda point, index=index: _item_value(point, index)),
            color=ORS_COLOUR,
            linewidth=2.2,
            marker="o",
            markersize=6.5,
            markeredgecolor="white",
            markeredgewidth=0.8,
            gid=f"item-line-{index}",
            clip_on=False,
        )
        label = data.labels.items[index] if index < len(data.labels.items) else str(index + 1)
        figure.text(
            x / chart.width,
            (y + panel_height + 0.06) / chart.height,
            label,
            fontsize=font,
            fontweight="bold",
            color=TEXT_COLOUR,
            ha="left",
            va="bottom",
        )
    if note:
        figure.text(
            left / chart.width,
            0.1 / chart.height,
            note,
            fontsize=small,
            color=GREY,
            ha="left",
            va="bottom",
            gid="total-only-note",
        )
    return figure
