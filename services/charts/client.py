"""The chart the client sees: their own curve, big and friendly, without clinical words.

It shows only how life has been, session by session, and the latest score. There is no cutoff
line, no expected trajectory and no signal: those are the helper's tools and read as verdicts
to a client. If the caller gives a label for it, a gentle band marks where many people's scores
lie (from the cutoff up), as something to talk about, not a line to pass.

Collateral raters are never drawn here. After a change of form (a child turning 13) the curve
is broken at a plain divider, and the band stops there: it belongs to the first form's norms.

The client's own goals, once scored, are a panel under the curve on the same sessions, in the
client's words (`goals.py`); the figure grows by it, so the curve keeps its size.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from .axes import (
    add_panel,
    intake_point,
    line_height,
    max_session_ticks,
    score_axis,
    session_axis,
    session_axis_height,
    session_span,
    session_ticks,
    wrap,
)
from .data import ChartData, ChartPoint, ChartSize
from .goal_key import GoalsLayout, draw_heading, goals_layout
from .goals import draw_goals
from .output import chart_size, check_format, figure_bytes, new_figure
from .series import broken_line, draw_dividers, reference_start, runs
from .style import CLIENT_REFERENCE_COLOUR, GREY, ORS_COLOUR, TEXT_COLOUR

if TYPE_CHECKING:  # matplotlib is imported only where a chart is drawn
    from matplotlib.figure import Figure

    from .panel import Panel

FONT_SCALE = 1.35
GOAL_WIDTH = 3
GOALS_PANEL = {"tablet": 1.6, "phone": 1.3}
REFERENCE_TEXT_COLOUR = "#00664A"


def _reference_band(panel: Panel, data: ChartData, points: list[ChartPoint], font: float) -> None:
    from matplotlib.patches import Rectangle

    if data.cutoff is None or not data.labels.client_reference:
        return
    left, right = panel.get_xlim()
    start = ((reference_start(points) or left) - left) / (right - left)
    share = 1 - start
    panel.add(
        Rectangle(
            (start, float(data.cutoff)),
            share,
            float(data.max_total) - float(data.cutoff),
            transform=panel.y_data,
            facecolor=CLIENT_REFERENCE_COLOUR,
            alpha=0.1,
            edgecolor="none",
            gid="reference-band",
        )
    )
    band_width = share * panel.width
    panel.text(
        start + 0.01,
        float(data.max_total) - 1,
        wrap(data.labels.client_reference, band_width - 0.15, font),
        transform=panel.y_data,
        ha="left",
        va="top",
        fontsize=font,
        color=REFERENCE_TEXT_COLOUR,
    )


def _latest_value(panel: Panel, points: list[ChartPoint], decimal_mark: str, font: float) -> None:
    """The latest score in words beside its point: above it after a rise, below after a fall,
    so the number never sits on the line leading to it."""
    from matplotlib.transforms import offset_copy

    rated = [point for point in points if point.ors is not None]
    if not rated:
        return
    latest = float(rated[-1].ors)
    falling = len(rated) > 1 and float(rated[-2].ors) > latest
    panel.text(
        rated[-1].session,
        latest,
        f"{latest:.1f}".replace(".", decimal_mark),
        transform=offset_copy(
            panel.data, fig=panel.figure, y=-14 if falling else 12, units="points"
        ),
        ha="center",
        va="top" if falling else "bottom",
        fontsize=font,
        fontweight="bold",
        color=ORS_COLOUR,
        gid="latest-value",
    )


def _goals_panel(
    figure: Figure, goals: GoalsLayout, left: float, bottom: float, width: float
) -> Panel:
    """The goals' title and key under the curve, and their (still empty) panel at the foot."""
    draw_heading(figure, goals, left=left, top=bottom + goals.height)
    return add_panel(figure, left, bottom, width, goals.panel, "goals-panel")


def client_chart(data: ChartData, fmt: str = "svg", size: str | ChartSize = "tablet") -> bytes:
    """The client's own ORS curve with large text, as SVG or PNG bytes."""
    check_format(fmt)
    return figure_bytes(client_figure(data, size), fmt)


def client_figure(data: ChartData, size: str | ChartSize = "tablet") -> Figure:
    """The client's chart as a matplotlib figure, before it becomes bytes (see `client_chart`)."""
    chart = chart_size(size)
    font = chart.font_size * FONT_SCALE
    small = font * 0.85
    points = sorted(data.points, key=lambda point: point.session)
    left = 0.45 + small * 0.03
    width = chart.width - left - 0.3
    panel_height = GOALS_PANEL["phone" if chart.width < 6 else "tablet"]
    goals = goals_layout(
        data, data.labels.client_goals, width, (font, small), panel_height, GOAL_WIDTH
    )
    if goals is not None:
        chart = replace(chart, height=chart.height + goals.height)
    bottom = 0.12 + session_axis_height(small, titled=bool(data.labels.session))
    title = wrap(data.labels.client_title, chart.width - left - 0.2, font * 1.2)
    top = chart.height - 0.15 - line_height(font * 1.2, 1.5) * (title.count("\n") + 1)
    first, last = session_span(data, with_expected=False)
    ticks, texts = session_ticks(points, first, last, max_session_ticks(width, small), data.labels)

    figure = new_figure(chart)
    curve_bottom = bottom + (goals.height if goals else 0)
    panel = add_panel(figure, left, curve_bottom, width, top - curve_bottom, "client-panel")
    panel.set_xlim(first - 0.5, last + 0.8)
    panel.set_ylim(0, float(data.max_total))
    score_axis(panel, range(0, int(data.max_total) + 1, 10), small)
    lowest = panel
    if goals is not None:
        lowest = _goals_panel(figure, goals, left, bottom, width)
        lowest.set_xlim(first - 0.5, last + 0.8)
        draw_goals(lowest, goals, small, GOAL_WIDTH, marker_scale=1.3)
    session_axis(lowest, ticks, texts, small, data.labels.session)
    _reference_band(panel, data, points, small)
    draw_dividers(panel, runs(points), linewidth=1.6)

    panel.line(
        *broken_line(points, lambda point: point.ors),
        color=ORS_COLOUR,
        linewidth=4,
        marker="o",
        markersize=font * 0.65,
        markeredgecolor="white",
        markeredgewidth=2,
        solid_capstyle="round",
        gid="ors-line",
        zorder=4,
        clip_on=False,
    )
    _latest_value(panel, points, data.labels.decimal_mark, font)
    if intake_point(points) is None:
        panel.text(
            0.5,
            0.5,
            data.labels.no_data,
            transform=panel.area,
            ha="center",
            va="center",
            fontsize=font,
            color=GREY,
            gid="no-data",
        )
    figure.text(
        left / chart.width,
        (chart.height - 0.12) / chart.height,
        title,
        fontsize=font * 1.2,
        fontweight="bold",
        color=TEXT_COLOUR,
        ha="left",
        va="top",
        gid="title",
    )
    return figure
