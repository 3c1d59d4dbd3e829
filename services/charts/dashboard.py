"""The leaders' dashboard charts: plain data in, SVG, PNG or PDF bytes out.

Pure functions: no database, no request, no Django; every visible string comes translated in the
data. Each chart is drawn by a `draw_*` function onto a matplotlib Axes, so the monthly PDF report
can place the same drawing on its pages, and wrapped by a `*_chart` function that returns bytes.
Only `matplotlib.figure.Figure` is used, never pyplot (global state in a server).

A value of None is a figure that must not be shown (too few people, or no data): it is never
drawn as a bar or a point, and the chart says so in words. Colours are Okabe–Ito (safe for the
common colour-vision deficiencies) and every series also differs by marker, hatch or dash.
Output is byte-stable: a fixed SVG hash salt and no dates or software versions in the metadata.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .style import (
    BLACK,
    BLUE,
    GREEN,
    GREY,
    GRID,
    LIGHT_GREY,
    ORANGE,
    SKY,
    VERMILLION,
    configure_matplotlib,
)

if TYPE_CHECKING:  # matplotlib is imported only where a chart is drawn
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

TEXT = "#1A1A1A"
FORMATS = ("svg", "png", "pdf")
METADATA = {
    "svg": {"Date": None, "Creator": None},
    "png": {"Software": None},
    "pdf": {"CreationDate": None, "Creator": None, "Producer": None},
}
SERIES_STYLES = (
    {"color": BLUE, "hatch": "", "marker": "o", "dashes": (None, None)},
    {"color": SKY, "hatch": "//", "marker": "s", "dashes": (0, (4, 2))},
    {"color": GREY, "hatch": "", "marker": "^", "dashes": (0, (1, 1.5))},
    {"color": LIGHT_GREY, "hatch": "..", "marker": "D", "dashes": (0, (6, 2, 1, 2))},
)
TREND_COLOURS = (BLUE, VERMILLION, GREEN, ORANGE)


@dataclass(frozen=True)
class ChartText:
    """Strings shared by every dashboard chart, translated by the caller."""

    too_few: str = "Too few to show"
    no_data: str = "No data"
    decimal_mark: str = "."
    percent: bool = True


@dataclass(frozen=True)
class Bars:
    """One source of outcome shares: this period, the previous one, or a published figure.

    `values` line up with the chart's categories; `inner` optionally marks a part of the first
    category (the recovered share of "improved") drawn hatched inside its bar.
    """

    key: str
    label: str
    values: tuple[float | None, ...]
    inner: float | None = None


@dataclass(frozen=True)
class CategoryChart:
    categories: tuple[str, ...]
    bars: tuple[Bars, ...]
    inner_label: str = ""
    title: str = ""
    text: ChartText = field(default_factory=ChartText)


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    values: tuple[float | None, ...]


@dataclass(frozen=True)
class TrendChart:
    """Lines over periods (months or quarters); a None value leaves a gap."""

    periods: tuple[str, ...]
    series: tuple[Series, ...]
    title: str = ""
    y_label: str = ""
    y_min: float | None = None
    y_max: float | None = None
    text: ChartText = field(default_factory=ChartText)


@dataclass(frozen=True)
class Histogram:
    """Counts per band; None is a band not shown (too few, or hiding another one)."""

    bands: tuple[str, ...]
    counts: tuple[int | None, ...]
    title: str = ""
    marker_at: float | None = None  # a band position (e.g. 5.0 = the start of the 6th band)
    marker_label: str = ""
    y_label: str = ""
    text: ChartText = field(default_factory=ChartText)


@dataclass(frozen=True)
class Interval:
    label: str
    value: float | None
    low: float | None = None
    high: float | None = None
    n: int = 0


@dataclass(frozen=True)
class Caterpillar:
    """Units (teams or helpers) with an estimate and its 95 % interval, sorted by the chart.

    A unit whose value is None is left out of the plot and counted in the caption, so a small
    team is never placed on a ranking.
    """

    units: tuple[Interval, ...]
    reference: float | None = None
    reference_label: str = ""
    x_label: str = ""
    title: str = ""
    left_out: str = "{count} not shown: too few episodes"
    bands: tuple[tuple[float, str], ...] = ()  # (position, label) guide lines
    text: ChartText = field(default_factory=ChartText)


def new_figure(width: float, height: float, dpi: int = 100) -> Figure:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    configure_matplotlib()
    figure = Figure(figsize=(width, height), dpi=dpi, facecolor="white")
    FigureCanvasAgg(figure)
    return figure


def figure_bytes(figure: Figure, fmt: str) -> bytes:
    """SVG, PNG or PDF without run-dependent metadata."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown chart format {fmt!r}; use one of {', '.join(FORMATS)}")
    buffer = io.BytesIO()
    if fmt == "pdf":
        from matplotlib.backends.backend_pdf import FigureCanvasPdf

        FigureCanvasPdf(figure).print_pdf(buffer, metadata=METADATA["pdf"])
    else:
        figure.savefig(buffer, format=fmt, metadata=METADATA[fmt], dpi=figure.dpi)
    return buffer.getvalue()


def number_text(value: float, text: ChartText, decimals: int = 0) -> str:
    """A figure as people read it: 41 % with a percent chart, decimal comma in Norwegian."""
    if text.percent:
        return f"{value * 100:.{decimals}f} %".replace(".", text.decimal_mark)
    return f"{value:.{max(decimals, 1)}f}".replace(".", text.decimal_mark)


def _style(axes: Axes, font: float) -> None:
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        axes.spines[side].set_color(GREY)
    axes.tick_params(labelsize=font, color=GREY, labelcolor=TEXT, length=3)
    axes.grid(axis="y", color=GRID, linewidth=0.8)
    axes.set_axisbelow(True)


def _title(axes: Axes, title: str, font: float) -> None:
    if title:
        axes.set_title(title, loc="left", fontsize=font * 1.1, fontweight="bold", color=TEXT)


def _percent_axis(axes: Axes, text: ChartText, top: float = 1.0) -> None:
    """0 % to `top` with round ticks (every 10 or 20 percentage points)."""
    step = 0.1 if top <= 0.5 else 0.2
    top = min(1.0, max(step, math.ceil(round(top / step, 6)) * step))
    axes.set_ylim(0, top)
    ticks = [round(i * step, 2) for i in range(round(top / step) + 1)]
    axes.set_yticks(ticks, [number_text(t, text) for t in ticks])


def draw_categories(axes: Axes, chart: CategoryChart, font: float = 9) -> None:
    """Grouped bars: one group per outcome category, one bar per source."""
    from matplotlib.patches import Patch

    _style(axes, font)
    _title(axes, chart.title, font)
    count = max(len(chart.bars), 1)
    width = 0.8 / count
    highest = max([0.3] + [v for bars in chart.bars for v in bars.values if v is not None])
    _percent_axis(axes, chart.text, highest + 0.12)
    top = axes.get_ylim()[1]
    axes.set_xlim(-0.5, len(chart.categories) - 0.5)
    axes.set_xticks(range(len(chart.categories)), chart.categories)
    for b, bars in enumerate(chart.bars):
        style = SERIES_STYLES[b % len(SERIES_STYLES)]
        for c, value in enumerate(bars.values):
            x = c - 0.4 + width * (b + 0.5)
            if value is None:
                axes.text(
                    x,
                    0.01,
                    chart.text.too_few,
                    rotation=90,
                    ha="center",
                    va="bottom",
                    fontsize=font * 0.8,
                    color=GREY,
                    gid=f"suppressed-{bars.key}-{c}",
                )
                continue
            axes.bar(
                x,
                value,
                width * 0.92,
                color=style["color"],
                hatch=style["hatch"],
                edgecolor="white" if not style["hatch"] else TEXT,
                linewidth=0.5,
                gid=f"bar-{bars.key}-{c}",
            )
            axes.text(
                x,
                value + top * 0.01,
                number_text(value, chart.text),
                ha="center",
                va="bottom",
                fontsize=font * 0.8,
                color=TEXT,
            )
            if c == 0 and bars.inner is not None:
                axes.bar(
                    x,
                    bars.inner,
                    width * 0.92,
                    color="none",
                    hatch="xx",
                    edgecolor="white",
                    linewidth=0,
                    gid=f"inner-{bars.key}",
                )
    handles = [
        Patch(
            facecolor=SERIES_STYLES[b % 4]["color"],
            hatch=SERIES_STYLES[b % 4]["hatch"],
            edgecolor=TEXT if SERIES_STYLES[b % 4]["hatch"] else "none",
            label=bars.label,
        )
        for b, bars in enumerate(chart.bars)
    ]
    if chart.inner_label and any(bars.inner is not None for bars in chart.bars):
        handles.append(
            Patch(facecolor=BLUE, hatch="xx", edgecolor="white", label=chart.inner_label)
        )
    axes.legend(handles=handles, frameon=False, fontsize=font * 0.85, loc="upper right")


def draw_trend(axes: Axes, chart: TrendChart, font: float = 9) -> None:
    """Lines over months or quarters; gaps where a point is not shown."""
    _style(axes, font)
    _title(axes, chart.title, font)
    positions = list(range(len(chart.periods)))
    values = [v for s in chart.series for v in s.values if v is not None]
    if chart.text.percent:
        highest = max(values, default=0.0) + 0.05
        _percent_axis(axes, chart.text, min(1.0, max(chart.y_max or 1.0, highest)))
    else:
        low = chart.y_min if chart.y_min is not None else min(values, default=0)
        high = chart.y_max if chart.y_max is not None else max(values, default=1)
        axes.set_ylim(low, high if high > low else low + 1)
    if chart.y_label:
        axes.set_ylabel(chart.y_label, fontsize=font, color=TEXT)
    step = max(1, math.ceil(len(positions) / 8))
    axes.set_xticks(positions[::step], list(chart.periods)[::step])
    axes.set_xlim(-0.5, max(len(positions) - 0.5, 0.5))
    for s, series in enumerate(chart.series):
        style = SERIES_STYLES[s % len(SERIES_STYLES)]
        axes.plot(
            positions,
            [math.nan if v is None else v for v in series.values],
            color=TREND_COLOURS[s % len(TREND_COLOURS)],
            marker=style["marker"],
            linestyle=style["dashes"] if s else "-",
            linewidth=2,
            markersize=5,
            label=series.label,
            gid=f"trend-{series.key}",
        )
    if not values:
        _note(axes, chart.text.no_data, font)
    if len(chart.series) > 1:
        axes.legend(frameon=False, fontsize=font * 0.85, loc="best")


def _note(axes: Axes, text: str, font: float) -> None:
    """A centred message where there is nothing (or too little) to draw."""
    axes.text(
        0.5,
        0.5,
        text,
        transform=axes.transAxes,
        ha="center",
        va="center",
        color=GREY,
        fontsize=font,
        gid="no-data",
    )


def draw_histogram(axes: Axes, chart: Histogram, font: float = 9) -> None:
    """Bars per score band; bands not shown are marked, not drawn."""
    _style(axes, font)
    _title(axes, chart.title, font)
    positions = list(range(len(chart.bands)))
    shown = [c for c in chart.counts if c is not None]
    top = max(shown, default=1) * 1.15 or 1
    axes.set_ylim(0, top)
    axes.set_xlim(-0.6, len(positions) - 0.4)
    axes.set_xticks(positions, chart.bands)
    if chart.y_label:
        axes.set_ylabel(chart.y_label, fontsize=font, color=TEXT)
    axes.yaxis.get_major_locator().set_params(integer=True)
    if not any(shown):
        axes.set_yticks([])
        _note(axes, chart.text.too_few, font)
    for i, count in enumerate(chart.counts):
        if count is None:
            axes.text(
                i,
                top * 0.02,
                "×",
                ha="center",
                va="bottom",
                fontsize=font * 1.2,
                color=GREY,
                gid=f"suppressed-{i}",
            )
            continue
        axes.bar(i, count, 0.85, color=BLUE, edgecolor="white", gid=f"bin-{i}")
    if chart.marker_at is not None:
        axes.axvline(
            chart.marker_at - 0.5,
            color=BLACK,
            linestyle=(0, (6, 3)),
            linewidth=1.2,
            gid="cutoff-line",
        )
        axes.text(
            chart.marker_at - 0.45,
            top * 0.97,
            chart.marker_label,
            ha="left",
            va="top",
            fontsize=font * 0.85,
            color=TEXT,
        )
    if any(count is None for count in chart.counts) and any(shown):
        axes.text(
            0.0,
            0.98,
            f"× {chart.text.too_few}",
            transform=axes.transAxes,
            ha="left",
            va="top",
            fontsize=font * 0.8,
            color=GREY,
        )


def draw_caterpillar(axes: Axes, chart: Caterpillar, font: float = 9) -> None:
    """Estimates with 95 % intervals, sorted; the service's own value as a line."""
    from matplotlib.lines import Line2D

    _style(axes, font)
    axes.grid(axis="y", visible=False)
    axes.grid(axis="x", color=GRID, linewidth=0.8)
    _title(axes, chart.title, font)
    shown = sorted(
        (u for u in chart.units if u.value is not None),
        key=lambda u: (u.value, u.label),
    )
    left_out = len(chart.units) - len(shown)
    for i, unit in enumerate(shown):
        low = unit.low if unit.low is not None else unit.value
        high = unit.high if unit.high is not None else unit.value
        axes.plot([low, high], [i, i], color=BLUE, linewidth=2, gid=f"ci-{i}")
        axes.plot(
            [unit.value],
            [i],
            marker="o",
            color=BLUE,
            markersize=6,
            markeredgecolor="white",
            gid=f"point-{i}",
        )
    axes.set_yticks(range(len(shown)), [f"{u.label} (n={u.n})" for u in shown])
    axes.set_ylim(-0.7, max(len(shown) - 0.3, 0.7))
    edges = [u.low for u in shown if u.low is not None] + [
        u.high for u in shown if u.high is not None
    ]
    edges += [u.value for u in shown]
    if chart.reference is not None:
        edges.append(chart.reference)
    low, high = (min(edges), max(edges)) if edges else (-1.0, 1.0)
    pad = max((high - low) * 0.08, 0.1)
    axes.set_xlim(low - pad, high + pad)
    handles = []
    for position, label in chart.bands if shown else ():
        if low - pad <= position <= high + pad:
            axes.axvline(position, color=LIGHT_GREY, linestyle=(0, (2, 2)), linewidth=1)
            axes.text(
                position,
                0.98,
                f" {label}",
                transform=axes.get_xaxis_transform(),
                ha="left",
                va="top",
                rotation=90,
                fontsize=font * 0.75,
                color=GREY,
            )
    if chart.reference is not None and shown:
        axes.axvline(
            chart.reference,
            color=VERMILLION,
            linestyle=(0, (6, 3)),
            linewidth=1.5,
            gid="reference-line",
        )
        handles.append(
            Line2D([], [], color=VERMILLION, linestyle=(0, (6, 3)), label=chart.reference_label)
        )
    if shown:
        note = chart.left_out.format(count=left_out) if left_out else ""
        label = "\n".join(part for part in (chart.x_label, note) if part)
        axes.set_xlabel(label, fontsize=font, color=TEXT)
        if note:
            axes.xaxis.label.set_gid("left-out")
    if not shown:
        axes.set_xticks([])
        _note(axes, chart.text.too_few, font)
    if handles:
        axes.legend(handles=handles, frameon=False, fontsize=font * 0.85, loc="lower right")
    if left_out and not shown:
        axes.text(
            0.5,
            0.4,
            chart.left_out.format(count=left_out),
            transform=axes.transAxes,
            ha="center",
            va="top",
            fontsize=font * 0.8,
            color=GREY,
            gid="left-out",
        )


def _one(draw, chart, fmt: str, width: float, height: float, margins) -> bytes:
    figure = new_figure(width, height)
    left, bottom, right, top = margins
    axes = figure.add_axes((left, bottom, right - left, top - bottom))
    draw(axes, chart)
    return figure_bytes(figure, fmt)


def categories_chart(chart: CategoryChart, fmt: str = "svg") -> bytes:
    return _one(draw_categories, chart, fmt, 7.5, 3.6, (0.08, 0.1, 0.99, 0.97))


def trend_chart(chart: TrendChart, fmt: str = "svg") -> bytes:
    return _one(draw_trend, chart, fmt, 6.0, 3.0, (0.11, 0.12, 0.99, 0.95))


def histogram_chart(chart: Histogram, fmt: str = "svg") -> bytes:
    return _one(draw_histogram, chart, fmt, 6.0, 3.6, (0.12, 0.16, 0.99, 0.95))


def caterpillar_chart(chart: Caterpillar, fmt: str = "svg") -> bytes:
    rows = max(len([u for u in chart.units if u.value is not None]), 2)
    height = 1.5 + 0.32 * rows
    bottom = 0.95 / height
    top = 1 - 0.2 / height
    return _one(draw_caterpillar, chart, fmt, 6.5, height, (0.34, bottom, 0.97, top))


def inline_svg(svg: bytes, label: str) -> str:
    """SVG bytes as markup to place in a page, with an accessible name."""
    text = svg.decode("utf-8")
    start = text.find("<svg")
    text = text[start:]
    safe = label.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    return text.replace("<svg", f'<svg role="img" aria-label="{safe}"', 1)


def sequence(values: Sequence[float | None]) -> tuple[float | None, ...]:
    return tuple(None if v is None else float(v) for v in values)
