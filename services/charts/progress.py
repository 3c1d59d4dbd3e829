"""The helper's progress chart for one episode: outcome above, alliance below.

The outcome panel shows what the helper and client talk about: where the client started (the
reliable-change band around the intake score: inside it, nothing has changed for sure yet), the
clinical cutoff as a conversation aid, and the expected trajectory of earlier clients with a
similar intake. The alliance panel shares the session axis so a drop in the collaboration can be
read against the outcome curve. Signals are marked above the outcome curve at their session.
"""

from dataclasses import dataclass

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from .axes import (
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
    style_panel,
    wrap,
)
from .data import ChartData, ChartLabels, ChartPoint, ChartSize, Score
from .legend import LegendEntry, draw_legend, legend_columns, legend_height
from .output import chart_size, check_format, figure_bytes, new_figure
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

SRS_FLOOR = 20
SIGNAL_ROW = 0.955


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


def _score_text(value: Score, decimal_mark: str) -> str:
    """A threshold as people write it: 25, not 25.0, and 4,3 in Norwegian."""
    return f"{float(value):g}".replace(".", decimal_mark)


def _legend(data: ChartData, points: list[ChartPoint], has_srs: bool) -> list[LegendEntry]:
    """Legend entries for the parts that will be drawn, built first to size the frame.

    The outcome and alliance lines need no entry: each panel carries its own title.
    """
    labels = data.labels
    entries: list[LegendEntry] = []
    if data.reliable_change is not None and intake_point(points) is not None:
        entries.append(
            LegendEntry(labels.reliable_change, "band", RELIABLE_CHANGE_COLOUR, alpha=0.3)
        )
    if data.expected:
        entries.append(
            LegendEntry(labels.expected, "line", EXPECTED_COLOUR, linestyle=EXPECTED_DASHES)
        )
        entries.append(LegendEntry(labels.expected_band, "band", EXPECTED_BAND_COLOUR, alpha=0.45))
    if data.cutoff is not None:
        cutoff = _score_text(data.cutoff, labels.decimal_mark)
        entries.append(
            LegendEntry(f"{labels.cutoff} ({cutoff})", "line", CUTOFF_COLOUR, CUTOFF_DASHES)
        )
    if data.signals:
        entries.append(LegendEntry(labels.signals, "marker", SIGNAL_COLOUR, marker="v"))
    if has_srs and data.alliance_threshold is not None:
        threshold = _score_text(data.alliance_threshold, labels.decimal_mark)
        entries.append(
            LegendEntry(
                f"{labels.alliance_threshold} ({threshold})", "line", SRS_COLOUR, THRESHOLD_DASHES
            )
        )
    return entries


def _frame(
    size: ChartSize,
    has_srs: bool,
    legend: list[LegendEntry],
    caption_lines: int,
    labels: ChartLabels,
) -> _Frame:
    """Panel positions from the bottom up: caption, legend, session ticks, alliance, outcome."""
    font, small = size.font_size, size.font_size * 0.85
    left = 0.45 + font * 0.025
    width = size.width - left - 0.25
    columns = legend_columns(legend, size.width - left, small)
    caption_bottom = 0.08
    caption = caption_lines * line_height(small * 0.95, 1.25)
    legend_space = legend_height(legend, columns, small)
    ticks = session_axis_height(small, titled=bool(labels.session))
    bottom = caption_bottom + caption + (0.1 if caption_lines else 0) + legend_space + ticks + 0.06
    title = line_height(font, 1.6)
    top = size.height - 0.08 - title
    gap = title + 0.12 if has_srs else 0
    srs_height = (top - bottom - gap) * 0.3 if has_srs else 0
    return _Frame(
        left=left,
        width=width,
        ors_bottom=bottom + srs_height + gap,
        ors_height=top - bottom - gap - srs_height,
        srs_bottom=bottom,
        srs_height=srs_height,
        legend_top=bottom - ticks,
        legend_columns=columns,
        caption_bottom=caption_bottom,
        font=font,
        small=small,
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
    axes: Axes, data: ChartData, points: list[ChartPoint], frame: _Frame, labelled: bool
) -> None:
    first, last = session_span(data)
    axes.set_xlim(first - 0.5, last + 0.5)
    if labelled:
        max_ticks = max_session_ticks(frame.width, frame.small)
        ticks, texts = session_ticks(points, first, last, max_ticks, data.labels)
        session_axis(axes, ticks, texts, frame.small, data.labels.session)


def _draw_outcome(axes: Axes, data: ChartData, points: list[ChartPoint], frame: _Frame) -> None:
    axes.set_ylim(0, float(data.max_total))
    score_axis(axes, range(0, int(data.max_total) + 1, 10), frame.small)
    _, right = axes.get_xlim()

    intake = intake_point(points)
    if intake is not None and data.reliable_change is not None:
        change = float(data.reliable_change)
        axes.add_patch(
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
        axes.fill_between(
            sessions,
            [float(point.low) for point in expected],
            [float(point.high) for point in expected],
            color=EXPECTED_BAND_COLOUR,
            alpha=0.3,
            linewidth=0,
            gid="expected-band",
        )
        axes.plot(
            sessions,
            [float(point.median) for point in expected],
            color=EXPECTED_COLOUR,
            linestyle=EXPECTED_DASHES,
            linewidth=1.6,
            gid="expected-trajectory",
        )

    if data.cutoff is not None:
        axes.axhline(
            float(data.cutoff),
            color=CUTOFF_COLOUR,
            linestyle=CUTOFF_DASHES,
            linewidth=1.2,
            gid="cutoff-line",
        )

    axes.plot(
        [point.session for point in points],
        [number(point.ors) for point in points],
        color=ORS_COLOUR,
        linewidth=2.6,
        marker="o",
        markersize=6.5,
        markeredgecolor="white",
        markeredgewidth=1,
        gid="ors-line",
        zorder=4,
        clip_on=False,
    )

    signals = grouped_signals(data)
    if signals:
        _draw_signals(axes, signals, frame)

    if intake is None:
        axes.text(
            0.5,
            0.5,
            data.labels.no_data,
            transform=axes.transAxes,
            ha="center",
            va="center",
            fontsize=frame.font,
            color=GREY,
            gid="no-data",
        )


def _draw_signals(axes: Axes, signals: list[tuple[int, list[str]]], frame: _Frame) -> None:
    """Markers along the top of the outcome panel, their labels stacked beside them.

    Labels go towards the middle of the chart so they never run off its edge.
    """
    left, right = axes.get_xlim()
    axes.plot(
        [session for session, _ in signals],
        [SIGNAL_ROW] * len(signals),
        transform=axes.get_xaxis_transform(),
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
        axes.text(
            session + (-0.3 if on_right else 0.3),
            SIGNAL_ROW,
            "\n".join(texts),
            transform=axes.get_xaxis_transform(),
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


def _draw_alliance(axes: Axes, data: ChartData, points: list[ChartPoint], frame: _Frame) -> None:
    scores = [float(point.srs) for point in points if point.srs is not None]
    floor = min([SRS_FLOOR, *(score - score % 10 for score in scores)])
    axes.set_ylim(floor, float(data.max_total))
    score_axis(axes, range(int(floor), int(data.max_total) + 1, 10), frame.small)
    if data.alliance_threshold is not None:
        axes.axhline(
            float(data.alliance_threshold),
            color=SRS_COLOUR,
            linestyle=THRESHOLD_DASHES,
            linewidth=1.2,
            gid="alliance-threshold",
        )
    axes.plot(
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
    chart = chart_size(size)
    points = sorted(data.points, key=lambda point: point.session)
    has_srs = any(point.srs is not None for point in points)
    legend = _legend(data, points, has_srs)
    caption = wrap(data.labels.caption, chart.width - 0.6, chart.font_size * 0.85 * 0.95)
    caption_lines = caption.count("\n") + 1 if caption else 0
    frame = _frame(chart, has_srs, legend, caption_lines, data.labels)

    figure = new_figure(chart)
    ors_axes = add_panel(figure, frame.left, frame.ors_bottom, frame.width, frame.ors_height)
    ors_axes.set_gid("ors-panel")
    style_panel(ors_axes)
    _sessions(ors_axes, data, points, frame, labelled=not has_srs)
    _draw_outcome(ors_axes, data, points, frame)
    _panel_title(figure, frame, frame.ors_bottom + frame.ors_height, data.labels.ors)

    if has_srs:
        srs_axes = add_panel(figure, frame.left, frame.srs_bottom, frame.width, frame.srs_height)
        srs_axes.set_gid("srs-panel")
        style_panel(srs_axes)
        _sessions(srs_axes, data, points, frame, labelled=True)
        _draw_alliance(srs_axes, data, points, frame)
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
    return figure_bytes(figure, fmt)
