"""The helper's progress chart for one episode: outcome above, alliance below.

The outcome panel shows what the helper and client talk about: where the client started (the
reliable-change band around the intake score: inside it, nothing has changed for sure yet), the
clinical cutoff as a conversation aid, and the expected trajectory of earlier clients with a
similar intake. The alliance panel shares the session axis so a drop in the collaboration can be
read against the outcome curve. Signals are marked above the outcome curve at their session.

A form change inside the episode (see `series.py`) breaks the outcome curve at a labelled divider;
the norms, the change band and the expected trajectory stop there, since they belong to the
intake form. Collateral raters (parents, teachers) are dashed lines of their own, named in the
legend and never part of the change band. The client's scored goals (0–10) get a panel of their
own between the two (`goals.py`); the figure grows by it, so the outcome panel keeps its size.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from .axes import (
    POINTS_PER_INCH,
    add_panel,
    grouped_signals,
    intake_point,
    line_height,
    max_session_ticks,
    number,
    score_axis,
    session_axis,
    session_axis_height,
    session_span,
    session_ticks,
    wrap,
)
from .data import ChartData, ChartLabels, ChartPoint, ChartSize, ExpectedPoint, Score
from .goal_key import GoalsLayout, draw_heading, goals_layout
from .goals import draw_goals
from .legend import LegendEntry, draw_legend, legend_columns, legend_height
from .output import chart_size, check_format, figure_bytes, new_figure
from .series import (
    Run,
    collateral_line,
    collateral_styles,
    draw_dividers,
    reference_intake,
    reference_start,
    runs,
    split_by_run,
)
from .style import (
    CUTOFF_COLOUR,
    CUTOFF_DASHES,
    EXPECTED_BAND_COLOUR,
    EXPECTED_COLOUR,
    EXPECTED_DASHES,
    GREY,
    ORS_COLOUR,
    RELIABLE_CHANGE_COLOUR,
    SIGNAL_COLOUR,
    SRS_COLOUR,
    TEXT_COLOUR,
    THRESHOLD_DASHES,
)

if TYPE_CHECKING:  # matplotlib is imported only where a chart is drawn
    from matplotlib.figure import Figure

    from .panel import Panel

SRS_FLOOR = 20
# The 10th percentile of the expected change: below it is the red zone.
LOWEST_COLOUR = SIGNAL_COLOUR
LOWEST_DASHES = (0, (1.5, 1.5))
SIGNAL_ROW = 0.955
ORS_WIDTH = 2.6
COLLATERAL_WIDTH = 1.9
GOAL_WIDTH = 2.2
GOALS_PANEL = {"tablet": 1.3, "phone": 1.15}


@dataclass(frozen=True)
class _Frame:
    """Where the panels go, in inches, and the font sizes for this chart size."""

    left: float
    width: float
    ors_bottom: float
    ors_height: float
    srs_bottom: float
    srs_height: float
    legend_top: float
    legend_columns: int
    caption_bottom: float
    font: float
    small: float
    goals_bottom: float = 0
    goals: GoalsLayout | None = None


def _score_text(value: Score, decimal_mark: str) -> str:
    """A threshold as people write it: 25, not 25.0, and 4,3 in Norwegian."""
    return f"{float(value):g}".replace(".", decimal_mark)


def _series_label(data: ChartData, run: Run) -> str:
    return data.series_labels[run.series] if 0 <= run.series < len(data.series_labels) else ""


def _marker_face(index: int) -> str:
    """Filled circles for the intake form, hollow for the next, and so on: the forms differ in
    shape, not only by the divider between them."""
    return ORS_COLOUR if index % 2 == 0 else "white"


def _lines_legend(data: ChartData, points: list[ChartPoint]) -> list[LegendEntry]:
    """Entries naming the outcome lines: each form when there are two or more, the client
    beside collateral raters, and each collateral rater (once, however many entries it has)."""
    entries: list[LegendEntry] = []
    found = runs(points)
    named = [(index, _series_label(data, run)) for index, run in enumerate(found)]
    named = [(index, label) for index, label in named if label]
    if len(found) > 1 and named:
        shown: set[str] = set()
        for index, label in named:
            if label not in shown:
                shown.add(label)
                entries.append(
                    LegendEntry(
                        label,
                        "series",
                        ORS_COLOUR,
                        linewidth=2.2,
                        marker_face=_marker_face(index),
                        labels="ors-line" if index == 0 else f"ors-line-{index}",
                    )
                )
    elif data.collateral:
        entries.append(
            LegendEntry(
                data.labels.client_rater, "series", ORS_COLOUR, linewidth=2.2, labels="ors-line"
            )
        )
    first_line = {}
    for index, series in enumerate(data.collateral):
        first_line.setdefault(series.label, f"collateral-{index}")
    for label, style in collateral_styles(data.collateral).items():
        entries.append(
            LegendEntry(
                label,
                "series",
                style.colour,
                style.dashes,
                COLLATERAL_WIDTH,
                marker=style.marker,
                labels=first_line[label],
            )
        )
    return entries


def _legend(data: ChartData, points: list[ChartPoint], has_srs: bool) -> list[LegendEntry]:
    """Legend entries for the parts that will be drawn, built first to size the frame.

    A lone client curve needs no entry (each panel carries its own title); with two forms or
    with collateral raters the lines are named.
    """
    labels = data.labels
    entries = _lines_legend(data, points)
    if data.reliable_change is not None and intake_point(points) is not None:
        entries.append(
            LegendEntry(
                labels.reliable_change,
                "band",
                RELIABLE_CHANGE_COLOUR,
                alpha=0.3,
                labels="reliable-change-band",
            )
        )
    if data.expected:
        entries.append(
            LegendEntry(
                labels.expected,
                "line",
                EXPECTED_COLOUR,
                linestyle=EXPECTED_DASHES,
                labels="expected-trajectory",
            )
        )
        entries.append(
            LegendEntry(
                labels.expected_band,
                "band",
                EXPECTED_BAND_COLOUR,
                alpha=0.45,
                labels="expected-band",
            )
        )
        if all(point.lowest is not None for point in data.expected):
            entries.append(
                LegendEntry(
                    labels.expected_lowest,
                    "line",
                    LOWEST_COLOUR,
                    LOWEST_DASHES,
                    1.3,
                    labels="expected-lowest",
                )
            )
    if data.cutoff is not None:
        cutoff = _score_text(data.cutoff, labels.decimal_mark)
        entries.append(
            LegendEntry(
                f"{labels.cutoff} ({cutoff})",
                "line",
                CUTOFF_COLOUR,
                CUTOFF_DASHES,
                labels="cutoff-line",
            )
        )
    if data.signals:
        entries.append(
            LegendEntry(
                labels.signals, "marker", SIGNAL_COLOUR, marker="v", labels="signal-markers"
            )
        )
    if has_srs and data.alliance_threshold is not None:
        threshold = _score_text(data.alliance_threshold, labels.decimal_mark)
        entries.append(
            LegendEntry(
                f"{labels.alliance_threshold} ({threshold})",
                "line",
                SRS_COLOUR,
                THRESHOLD_DASHES,
                labels="alliance-threshold",
            )
        )
    return entries


def _left_and_width(size: ChartSize) -> tuple[float, float]:
    """Where the panels start and how wide they are, in inches."""
    left = 0.45 + size.font_size * 0.025
    return left, size.width - left - 0.25


def _goals(data: ChartData, size: ChartSize) -> GoalsLayout | None:
    """The goals block for this chart size, None when no goal has a score."""
    _left, width = _left_and_width(size)
    panel = GOALS_PANEL["phone" if size.width < 6 else "tablet"]
    fonts = size.font_size, size.font_size * 0.85
    return goals_layout(data, data.labels.goals, width, fonts, panel, GOAL_WIDTH)


def _frame(
    size: ChartSize,
    has_srs: bool,
    legend: list[LegendEntry],
    caption_lines: int,
    labels: ChartLabels,
    goals: GoalsLayout | None = None,
) -> _Frame:
    """Panel positions from the bottom up: caption, legend, session ticks, alliance, goals,
    outcome. `size` includes the goals block's height, which the outcome and alliance panels
    do not share."""
    font, small = size.font_size, size.font_size * 0.85
    left, width = _left_and_width(size)
    columns = legend_columns(legend, size.width - left, small)
    caption_bottom = 0.08
    caption = caption_lines * line_height(small * 0.95, 1.25)
    legend_space = legend_height(legend, columns, small)
    ticks = session_axis_height(small, titled=bool(labels.session))
    bottom = caption_bottom + caption + (0.1 if caption_lines else 0) + legend_space + ticks + 0.06
    title = line_height(font, 1.6)
    top = size.height - 0.08 - title
    gap = title + 0.12 if has_srs else 0
    block = goals.height if goals else 0
    srs_height = (top - bottom - gap - block) * 0.3 if has_srs else 0
    return _Frame(
        left=left,
        width=width,
        ors_bottom=bottom + srs_height + gap + block,
        ors_height=top - bottom - gap - srs_height - block,
        srs_bottom=bottom,
        srs_height=srs_height,
        legend_top=bottom - ticks,
        legend_columns=columns,
        caption_bottom=caption_bottom,
        font=font,
        small=small,
        goals_bottom=bottom + srs_height + gap,
        goals=goals,
    )


def _panel_title(figure: Figure, frame: _Frame, axes_top: float, text: str) -> None:
    fig_width, fig_height = figure.get_size_inches()
    figure.text(
        frame.left / fig_width,
        (axes_top + 0.06) / fig_height,
        text,
        fontsize=frame.font,
        fontweight="bold",
        color=TEXT_COLOUR,
        ha="left",
        va="bottom",
    )


def _sessions(
    panel: Panel, data: ChartData, points: list[ChartPoint], frame: _Frame, labelled: bool
) -> None:
    first, last = session_span(data, with_collateral=True)
    panel.set_xlim(first - 0.5, last + 0.5)
    if labelled:
        max_ticks = max_session_ticks(frame.width, frame.small)
        ticks, texts = session_ticks(points, first, last, max_ticks, data.labels)
        session_axis(panel, ticks, texts, frame.small, data.labels.session)


def _goals_panel(
    figure: Figure,
    data: ChartData,
    points: list[ChartPoint],
    frame: _Frame,
    goals: GoalsLayout,
    labelled: bool,
) -> None:
    """The goals' title and key under the outcome panel, and their panel on the same sessions."""
    draw_heading(figure, goals, left=frame.left, top=frame.goals_bottom + goals.height)
    panel = add_panel(
        figure, frame.left, frame.goals_bottom, frame.width, goals.panel, "goals-panel"
    )
    _sessions(panel, data, points, frame, labelled=labelled)
    draw_goals(panel, goals, frame.small, GOAL_WIDTH)


def _draw_outcome(panel: Panel, data: ChartData, points: list[ChartPoint], frame: _Frame) -> None:
    from matplotlib.patches import Rectangle

    panel.set_ylim(0, float(data.max_total))
    score_axis(panel, range(0, int(data.max_total) + 1, 10), frame.small)
    left, right = panel.get_xlim()
    found = runs(points)
    norms_start = reference_start(points) or left

    intake = reference_intake(points)
    if intake is not None and data.reliable_change is not None:
        change = float(data.reliable_change)
        panel.add(
            Rectangle(
                (intake.session, number(intake.ors) - change),
                right - intake.session,
                2 * change,
                facecolor=RELIABLE_CHANGE_COLOUR,
                alpha=0.16,
                edgecolor="none",
                gid="reliable-change-band",
            )
        )

    expected = sorted(data.expected, key=lambda point: point.session)
    if expected:
        sessions = [point.session for point in expected]
        panel.band(
            sessions,
            [float(point.low) for point in expected],
            [float(point.high) for point in expected],
            color=EXPECTED_BAND_COLOUR,
            alpha=0.3,
            linewidth=0,
            gid="expected-band",
        )
        if all(point.lowest is not None for point in expected):
            _draw_lowest(panel, sessions, expected)
        panel.line(
            sessions,
            [float(point.median) for point in expected],
            color=EXPECTED_COLOUR,
            linestyle=EXPECTED_DASHES,
            linewidth=1.6,
            gid="expected-trajectory",
        )

    if data.cutoff is not None:
        panel.line(
            [norms_start, right],
            [float(data.cutoff)] * 2,
            color=CUTOFF_COLOUR,
            linestyle=CUTOFF_DASHES,
            linewidth=1.2,
            gid="cutoff-line",
        )

    _draw_collateral(panel, data, found)
    for index, part in enumerate(split_by_run(points, found)):
        face = _marker_face(index)
        panel.line(
            [point.session for point in part],
            [number(point.ors) for point in part],
            color=ORS_COLOUR,
            linewidth=ORS_WIDTH,
            marker="o",
            markersize=6.5,
            markerfacecolor=face,
            markeredgecolor="white" if face == ORS_COLOUR else ORS_COLOUR,
            markeredgewidth=1 if face == ORS_COLOUR else 1.8,
            gid="ors-line" if index == 0 else f"ors-line-{index}",
            zorder=4,
            clip_on=False,
        )
    draw_dividers(panel, found)
    _label_dividers(panel, data, found, frame)

    signals = grouped_signals(data)
    if signals:
        _draw_signals(panel, signals, frame)

    if intake is None:
        panel.text(
            0.5,
            0.5,
            data.labels.no_data,
            transform=panel.area,
            ha="center",
            va="center",
            fontsize=frame.font,
            color=GREY,
            gid="no-data",
        )


def _draw_collateral(panel: Panel, data: ChartData, found: list[Run]) -> None:
    """Each collateral rater's line, dashed and in its own colour, under the client's curve."""
    styles = collateral_styles(data.collateral)
    for index, series in enumerate(data.collateral):
        style = styles[series.label]
        xs, ys = collateral_line(series, found)
        panel.line(
            xs,
            ys,
            color=style.colour,
            linestyle=style.dashes,
            linewidth=COLLATERAL_WIDTH,
            marker=style.marker,
            markersize=style.marker_size,
            markeredgecolor="white",
            markeredgewidth=0.8,
            gid=f"collateral-{index}",
            zorder=3.5,
            clip_on=False,
        )


def _label_dividers(panel: Panel, data: ChartData, found: list[Run], frame: _Frame) -> None:
    """The new form's name at the foot of its divider, wrapped to fit; the foot of the panel is
    where the curve rarely goes.

    The name goes inside its own run when it fits there. A run too narrow for it (a form change
    at the latest session) gets the name before the divider, with an arrow pointing into it.
    """
    left, right = panel.get_xlim()
    inches_per_session = panel.width / (right - left)
    edges = [left, *(run.divider for run in found[1:]), right]
    for index, run in enumerate(found[1:], 1):
        label = _series_label(data, run)
        if not label:
            continue
        after = (edges[index + 1] - run.divider) * inches_per_session - 0.15
        before = (run.divider - edges[index - 1]) * inches_per_session - 0.15
        needed = min(len(label) * 0.55 * frame.small / POINTS_PER_INCH, 0.9)
        on_right = after >= needed or after >= before
        text = (
            wrap(label, after, frame.small) if on_right else wrap(f"{label} →", before, frame.small)
        )
        panel.text(
            run.divider + (0.12 if on_right else -0.12),
            0.025 if on_right or index == 1 else 0.2,
            text,
            transform=panel.x_data,
            ha="left" if on_right else "right",
            va="bottom",
            fontsize=frame.small,
            color=TEXT_COLOUR,
            linespacing=1.2,
            bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 1.5},
            zorder=3.2,
            gid=f"series-label-{index}",
        )


def _draw_lowest(panel: Panel, sessions: list[int], expected: list[ExpectedPoint]) -> None:
    """The 10th percentile of the expected change: below the band is the orange zone, below
    this dotted line the red zone. Dotted, so it reads without colour too."""
    panel.line(
        sessions,
        [float(point.lowest) for point in expected],
        color=LOWEST_COLOUR,
        linestyle=LOWEST_DASHES,
        linewidth=1.3,
        gid="expected-lowest",
    )


def _draw_signals(panel: Panel, signals: list[tuple[int, list[str]]], frame: _Frame) -> None:
    """Markers along the top of the outcome panel, their labels stacked beside them.

    Labels go towards the middle of the chart so they never run off its edge.
    """
    left, right = panel.get_xlim()
    panel.line(
        [session for session, _ in signals],
        [SIGNAL_ROW] * len(signals),
        transform=panel.x_data,
        linestyle="none",
        marker="v",
        markersize=9,
        color=SIGNAL_COLOUR,
        clip_on=False,
        gid="signal-markers",
        zorder=5,
    )
    for session, texts in signals:
        on_right = session > (left + right) / 2
        panel.text(
            session + (-0.3 if on_right else 0.3),
            SIGNAL_ROW,
            "\n".join(texts),
            transform=panel.x_data,
            ha="right" if on_right else "left",
            va="top",
            fontsize=frame.small,
            color=SIGNAL_COLOUR,
            fontweight="bold",
            linespacing=1.3,
            bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 1.5},
            zorder=5,
            gid=f"signal-label-{session}",
        )


def _draw_alliance(panel: Panel, data: ChartData, points: list[ChartPoint], frame: _Frame) -> None:
    scores = [float(point.srs) for point in points if point.srs is not None]
    floor = min([SRS_FLOOR, *(score - score % 10 for score in scores)])
    panel.set_ylim(floor, float(data.max_total))
    score_axis(panel, range(int(floor), int(data.max_total) + 1, 10), frame.small)
    if data.alliance_threshold is not None:
        panel.hline(
            float(data.alliance_threshold),
            color=SRS_COLOUR,
            linestyle=THRESHOLD_DASHES,
            linewidth=1.2,
            gid="alliance-threshold",
        )
    panel.line(
        [point.session for point in points],
        [number(point.srs) for point in points],
        color=SRS_COLOUR,
        linewidth=2.2,
        marker="s",
        markersize=5.5,
        markeredgecolor="white",
        markeredgewidth=1,
        gid="srs-line",
        zorder=4,
        clip_on=False,
    )


def progress_chart(data: ChartData, fmt: str = "svg", size: str | ChartSize = "tablet") -> bytes:
    """The helper's chart for one episode, as SVG or PNG bytes.

    Copes with no sessions (an empty frame saying so), one session, many sessions (ticks are
    thinned), sessions without one of the ratings (gaps, not zeros) and total-only ratings.
    The alliance panel is left out when the episode has no alliance ratings at all.
    """
    check_format(fmt)
    return figure_bytes(progress_figure(data, size), fmt)


def progress_figure(data: ChartData, size: str | ChartSize = "tablet") -> Figure:
    """The helper's chart as a matplotlib figure, before it becomes bytes (see `progress_chart`)."""
    chart = chart_size(size)
    goals = _goals(data, chart)
    if goals is not None:
        chart = replace(chart, height=chart.height + goals.height)
    points = sorted(data.points, key=lambda point: point.session)
    norms_start = reference_start(points)
    if norms_start is not None:
        # The expected trajectory is the current form's: it starts where that form's run does.
        data = replace(data, expected=tuple(p for p in data.expected if p.session > norms_start))
    has_srs = any(point.srs is not None for point in points)
    legend = _legend(data, points, has_srs)
    caption = wrap(data.labels.caption, chart.width - 0.6, chart.font_size * 0.85 * 0.95)
    caption_lines = caption.count("\n") + 1 if caption else 0
    frame = _frame(chart, has_srs, legend, caption_lines, data.labels, goals)

    figure = new_figure(chart)
    ors = add_panel(
        figure, frame.left, frame.ors_bottom, frame.width, frame.ors_height, "ors-panel"
    )
    _sessions(ors, data, points, frame, labelled=not has_srs and goals is None)
    _draw_outcome(ors, data, points, frame)
    _panel_title(figure, frame, frame.ors_bottom + frame.ors_height, data.labels.ors)

    if goals is not None:
        _goals_panel(figure, data, points, frame, goals, labelled=not has_srs)

    if has_srs:
        srs = add_panel(
            figure, frame.left, frame.srs_bottom, frame.width, frame.srs_height, "srs-panel"
        )
        _sessions(srs, data, points, frame, labelled=True)
        _draw_alliance(srs, data, points, frame)
        _panel_title(figure, frame, frame.srs_bottom + frame.srs_height, data.labels.srs)

    fig_width, fig_height = figure.get_size_inches()
    draw_legend(
        figure,
        legend,
        left=frame.left,
        top=frame.legend_top,
        columns=frame.legend_columns,
        font_size=frame.small,
    )
    if caption:
        figure.text(
            frame.left / fig_width,
            frame.caption_bottom / fig_height,
            caption,
            fontsize=frame.small * 0.95,
            color=GREY,
            ha="left",
            va="bottom",
            gid="caption",
        )
    return figure
