"""The leaders' dashboard charts: plain data in, SVG, PNG or PDF bytes out.

Pure functions: no database, no request, no Django; every visible string comes translated in the
data, and numbers are written with the reader's marks (`numbers`), as the tables beside them.
Each chart is drawn by a `draw_*` function onto a matplotlib Axes, so the monthly PDF report
can place the same drawing on its pages, and wrapped by a `*_figure` function that lays it out
at one of two sizes and a `*_chart` function that returns bytes. Only
`matplotlib.figure.Figure` is used, never pyplot (global state in a server).

Made to be read where they are shown (issue #16): a chart is drawn at the width the page
shows it, one point to one CSS pixel (`WIDTHS`), so a 12-point label is a 12-pixel label;
the page gets a "wide" drawing for tablets and desktops and a "narrow" one for phones
(`responsive_svg`). Every text is horizontal; legends sit under the plot, never on the data.

A value of None is a figure that must not be shown (too few people, or no data): it is never
drawn as a bar or a point, and the chart says so in words. Colours are Okabe–Ito (safe for the
common colour-vision deficiencies) and every series also differs by marker, hatch or dash.
Output is byte-stable: a fixed SVG hash salt and no dates or software versions in the metadata.
"""

from __future__ import annotations

import io
import math
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .numbers import NumberFormat, decimals_for, format_number, format_percent
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

# Widths in points, one point to one CSS pixel where the page shows the chart: about the
# narrowest column that shows the "wide" drawing (a 992-pixel desktop: col-lg-7 for the
# outcome bars, col-lg-5 for the intake, col-lg-6 for the trends) and a 360-pixel phone for
# the "narrow" one. Wider columns scale a drawing up, by at most MAX_SCALE (`inline_svg`).
SIZES = ("wide", "narrow")
WIDTHS = {
    "categories": {"wide": 540, "narrow": 340},
    "histogram": {"wide": 390, "narrow": 340},
    "trend": {"wide": 460, "narrow": 340},
    "caterpillar": {"wide": 600, "narrow": 340},
}
FONT = 12.0  # every text on the page's charts: ≥ 11 px however the column rounds
MAX_SCALE = 1.2
CHAR_WIDTH = 0.62  # of the font size: a generous average for DejaVu Sans, the widest fallback
TICK_STEPS = (1, 2, 3, 6, 12)
GROUP_ROWS = 1.4  # a category's name and the space above it, in bar rows
AXIS_STEPS = (0.1, 0.2, 0.5, 1.0, 2.0, 5.0)


@dataclass(frozen=True)
class ChartText:
    """Strings shared by every dashboard chart, translated by the caller, and the language's
    decimal mark and thousands separator (the ones its tables use)."""

    too_few: str = "Too few to show"
    no_data: str = "No data"
    decimal_mark: str = "."
    percent: bool = True
    thousands: str = ","

    @property
    def numbers(self) -> NumberFormat:
        return NumberFormat(self.decimal_mark, self.thousands)


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
    """Lines over periods (months or quarters); a None value leaves a gap.

    `periods` are short names ("Jan", "Q3"); `years`, when given, the year of each, written
    under the first tick and wherever it changes.
    """

    periods: tuple[str, ...]
    series: tuple[Series, ...]
    title: str = ""
    y_label: str = ""
    y_min: float | None = None
    y_max: float | None = None
    text: ChartText = field(default_factory=ChartText)
    years: tuple[str, ...] = ()


@dataclass(frozen=True)
class Histogram:
    """Counts per band; None is a band not shown (too few, or hiding another one).

    With `edges` (one more than bands: "0", "5", …, "40") the axis is labelled at the band
    edges, short labels that fit a phone, instead of a range under every bar.
    """

    bands: tuple[str, ...]
    counts: tuple[int | None, ...]
    title: str = ""
    marker_at: float | None = None  # a band position (e.g. 5.0 = the start of the 6th band)
    marker_label: str = ""
    y_label: str = ""
    text: ChartText = field(default_factory=ChartText)
    edges: tuple[str, ...] = ()
    x_label: str = ""


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


def new_figure(width: float, height: float, dpi: int = 100, layout: str | None = None) -> Figure:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    configure_matplotlib()
    figure = Figure(figsize=(width, height), dpi=dpi, facecolor="white", layout=layout)
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
    """A figure as the tables write it: 41 % with a percent chart, else 0,63 or −0,1."""
    if text.percent:
        return format_percent(value, decimals, text.numbers)
    return format_number(value, max(decimals, 1), text.numbers)


def _text_width(text: str, font: float) -> float:
    """Estimated width in points of the longest line of `text`."""
    return max((len(line) for line in text.splitlines()), default=0) * CHAR_WIDTH * font


def _axes_width(axes: Axes) -> float:
    """The plot's width in points as placed so far (a constrained layout only widens it)."""
    return axes.get_position().width * axes.figure.get_figwidth() * 72


def _style(axes: Axes, font: float, grid: str = "y") -> None:
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        axes.spines[side].set_color(GREY)
    axes.tick_params(labelsize=font, color=GREY, labelcolor=TEXT, length=3)
    axes.grid(axis=grid, color=GRID, linewidth=0.8)
    axes.set_axisbelow(True)


def _title(axes: Axes, title: str, font: float) -> None:
    if title:
        axes.set_title(title, loc="left", fontsize=font * 1.1, fontweight="bold", color=TEXT)


def _percent_ticks(text: ChartText, top: float = 1.0) -> tuple[float, list[float], list[str]]:
    """0 % to `top` with round ticks (every 10 or 20 percentage points)."""
    step = 0.1 if top <= 0.5 else 0.2
    top = min(1.0, max(step, math.ceil(round(top / step, 6)) * step))
    ticks = [round(i * step, 2) for i in range(round(top / step) + 1)]
    return top, ticks, [number_text(t, text) for t in ticks]


def _percent_axis(axes: Axes, text: ChartText, top: float = 1.0) -> None:
    top, ticks, labels = _percent_ticks(text, top)
    axes.set_ylim(0, top)
    axes.set_yticks(ticks, labels)


def _legend_below(axes: Axes, handles: list, font: float, width: float | None = None) -> None:
    """The legend under the plot and everything written under it (tick labels, axis title),
    in as many columns as fit `width` points (the plot's width): it never covers data."""
    if not handles:
        return
    from matplotlib.transforms import offset_copy

    entry = max(_text_width(str(h.get_label()), font) for h in handles) + font * 4.4
    width = _axes_width(axes) if width is None else width
    columns = max(1, min(len(handles), int(width // entry)))
    figure = axes.figure
    renderer = figure.canvas.get_renderer()
    under = axes.xaxis.get_tightbbox(renderer)
    drop = 0.0 if under is None else axes.get_window_extent(renderer).y0 - under.y0
    below = offset_copy(
        axes.transAxes, fig=figure, y=-(drop * 72 / figure.dpi + font * 0.6), units="points"
    )
    axes.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(0, 0),
        bbox_transform=below,
        ncols=columns,
        frameon=False,
        fontsize=font,
        handlelength=1.8,
        handletextpad=0.5,
        columnspacing=2.0,
        borderaxespad=0,
        borderpad=0,
    )


def _too_few_handle(text: ChartText):
    from matplotlib.lines import Line2D

    return Line2D([], [], color=GREY, marker="x", linestyle="none", label=text.too_few)


def _too_few_mark(axes: Axes, x: float, y: float, font: float, gid: str) -> None:
    """A grey cross where a figure is not shown; the legend says why."""
    axes.plot([x], [y], marker="x", color=GREY, markersize=font * 0.6, markeredgewidth=1.5, gid=gid)


def draw_categories(axes: Axes, chart: CategoryChart, font: float = FONT) -> None:
    """Grouped horizontal bars: one group per outcome category, its name written above it
    (where a long name has the whole width), one bar per source with its share at its end."""
    from matplotlib.patches import Patch

    _style(axes, font, grid="x")
    _title(axes, chart.title, font)
    count = max(len(chart.bars), 1)
    group = count + GROUP_ROWS
    highest = max([0.3] + [v for bars in chart.bars for v in bars.values if v is not None])
    top, ticks, labels = _percent_ticks(chart.text, highest + 0.15)
    axes.set_xlim(0, top)
    axes.set_xticks(ticks, labels)
    axes.set_ylim(len(chart.categories) * group - GROUP_ROWS + 0.5, -0.6)  # first on top
    axes.set_yticks([])
    axes.spines["left"].set_visible(False)
    for c, name in enumerate(chart.categories):
        axes.text(
            0,
            c * group,
            name,
            transform=axes.get_yaxis_transform(),
            ha="left",
            va="center",
            fontsize=font,
            fontweight="bold",
            color=TEXT,
            gid=f"category-{c}",
        )
    suppressed = False
    for b, bars in enumerate(chart.bars):
        style = SERIES_STYLES[b % len(SERIES_STYLES)]
        for c, value in enumerate(bars.values):
            y = c * group + 1 + b
            if value is None:
                suppressed = True
                _too_few_mark(axes, top * 0.02, y, font, f"suppressed-{bars.key}-{c}")
                continue
            axes.barh(
                y,
                value,
                0.8,
                color=style["color"],
                hatch=style["hatch"],
                edgecolor="white" if not style["hatch"] else TEXT,
                linewidth=0.5,
                gid=f"bar-{bars.key}-{c}",
            )
            axes.text(
                value + top * 0.012,
                y,
                number_text(value, chart.text),
                ha="left",
                va="center",
                fontsize=font,
                color=TEXT,
            )
            if c == 0 and bars.inner is not None:
                axes.barh(
                    y,
                    bars.inner,
                    0.8,
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
    if suppressed:
        handles.append(_too_few_handle(chart.text))
    # No labels left of the plot: the legend may take the figure's whole width.
    _legend_below(axes, handles, font, width=axes.figure.get_figwidth() * 72 * 0.9)


def _period_ticks(chart: TrendChart, width: float, font: float) -> tuple[list[int], list[str]]:
    """Every period, or every 2nd, 3rd, 6th or 12th from the first, as many as fit side by
    side; the year under the first tick and under each tick where it changes."""
    count = len(chart.periods)
    longest = max([len(p) for p in chart.periods] + [len(y) for y in chart.years] + [1])
    room = longest * CHAR_WIDTH * font + font
    step = next((s for s in TICK_STEPS if math.ceil(count / s) * room <= width), TICK_STEPS[-1])
    ticks = list(range(0, count, step))
    labels, shown_year = [], None
    for i in ticks:
        year = chart.years[i] if i < len(chart.years) else None
        if year is not None and year != shown_year:
            labels.append(f"{chart.periods[i]}\n{year}")
            shown_year = year
        else:
            labels.append(chart.periods[i])
    return ticks, labels


def draw_trend(axes: Axes, chart: TrendChart, font: float = FONT) -> None:
    """Lines over months or quarters; gaps where a point is not shown."""
    from matplotlib.ticker import FuncFormatter

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
        axes.yaxis.set_major_formatter(
            FuncFormatter(lambda v, _pos: format_number(v, 1, chart.text.numbers))
        )
    if chart.y_label:
        axes.set_title(chart.y_label, loc="left", fontsize=font, color=TEXT)
    ticks, labels = _period_ticks(chart, _axes_width(axes), font)
    axes.set_xticks(ticks, labels)
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
        _legend_below(axes, axes.get_lines(), font)


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


def draw_histogram(axes: Axes, chart: Histogram, font: float = FONT) -> None:
    """Bars per score band; bands not shown are marked, not drawn. The cutoff line is named
    in the headroom above the bars, so its label never lies on one."""
    from matplotlib.ticker import MaxNLocator

    _style(axes, font)
    _title(axes, chart.title, font)
    positions = list(range(len(chart.bands)))
    shown = [c for c in chart.counts if c is not None]
    top = max(shown, default=1) * 1.3 or 1
    axes.set_ylim(0, top)
    axes.set_xlim(-0.6, len(positions) - 0.4)
    if chart.edges:
        axes.set_xticks([i - 0.5 for i in range(len(chart.edges))], list(chart.edges))
    else:
        axes.set_xticks(positions, chart.bands)
    if chart.x_label:
        axes.set_xlabel(chart.x_label, fontsize=font, color=TEXT)
    if chart.y_label and not chart.title:
        axes.set_title(chart.y_label, loc="left", fontsize=font, color=TEXT)
    counts = [
        t
        for t in MaxNLocator(nbins=5, integer=True, steps=[1, 2, 5, 10]).tick_values(0, top)
        if 0 <= t <= top
    ]
    axes.set_yticks(counts, [format_number(t, 0, chart.text.numbers) for t in counts])
    if not any(shown):
        axes.set_yticks([])
        _note(axes, chart.text.too_few, font)
    for i, count in enumerate(chart.counts):
        if count is None:
            _too_few_mark(axes, i, top * 0.04, font, f"suppressed-{i}")
            continue
        axes.bar(i, count, 0.85, color=BLUE, edgecolor="white", gid=f"bin-{i}")
    if chart.marker_at is not None:
        line = chart.marker_at - 0.5
        axes.axvline(line, color=BLACK, linestyle=(0, (6, 3)), linewidth=1.2, gid="cutoff-line")
        right_side = line < len(positions) / 2
        axes.text(
            line + (0.1 if right_side else -0.1),
            top * 0.97,
            chart.marker_label,
            ha="left" if right_side else "right",
            va="top",
            fontsize=font,
            color=TEXT,
        )
    if any(count is None for count in chart.counts) and any(shown):
        _legend_below(axes, [_too_few_handle(chart.text)], font)


def _axis_steps(low: float, high: float, most: int) -> tuple[list[float], int]:
    """Round ticks from `low` to `high`, at most `most` of them, and their decimals."""
    step = next((s for s in AXIS_STEPS if (high - low) / s <= most - 1), AXIS_STEPS[-1])
    first = math.ceil(round(low / step, 6)) * step
    ticks = []
    value = first
    while value <= high + 1e-9:
        ticks.append(round(value, 6))
        value += step
    return ticks, decimals_for(step)


def draw_caterpillar(axes: Axes, chart: Caterpillar, font: float = FONT) -> None:
    """Estimates with 95 % intervals, sorted; the service's own value as a line."""
    from matplotlib.lines import Line2D

    _style(axes, font, grid="x")
    axes.grid(axis="y", visible=False)
    _title(axes, chart.title, font)
    shown = sorted(
        (u for u in chart.units if u.value is not None),
        key=lambda u: (u.value, u.label),
    )
    left_out = len(chart.units) - len(shown)
    numbers = chart.text.numbers
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
    page = axes.figure.get_figwidth() * 72
    narrow = page < 400
    names = [
        textwrap.fill(u.label, 16 if narrow else 32)
        + ("\n" if narrow else " ")
        + f"(n = {format_number(u.n, 0, numbers)})"
        for u in shown
    ]
    axes.set_yticks(range(len(shown)), names)
    axes.tick_params(axis="y", length=0)
    # Half a row of headroom above the top unit holds the guide lines' names.
    axes.set_ylim(-0.6, max(len(shown) - 1, 0) + (1.0 if chart.bands else 0.6))
    edges = [u.low for u in shown if u.low is not None] + [
        u.high for u in shown if u.high is not None
    ]
    edges += [u.value for u in shown]
    if chart.reference is not None:
        edges.append(chart.reference)
    low, high = (min(edges), max(edges)) if edges else (-1.0, 1.0)
    pad = max((high - low) * 0.08, 0.1)
    axes.set_xlim(low - pad, high + pad)
    # The names take their width from the plot's when the figure is laid out.
    names_width = max((_text_width(name, font) for name in names), default=0) + font * 2
    width = min(_axes_width(axes), page - names_width)
    most = max(3, int(width // (CHAR_WIDTH * font * 4 + font)))
    ticks, decimals = _axis_steps(low - pad, high + pad, most)
    axes.set_xticks(ticks, [format_number(t, decimals, numbers) for t in ticks])
    handles = []
    visible = [(p, label) for p, label in chart.bands if shown and low - pad <= p <= high + pad]
    for index, (position, label) in enumerate(visible):
        axes.axvline(position, color=LIGHT_GREY, linestyle=(0, (2, 2)), linewidth=1)
        first = index == 0 and len(visible) > 1
        axes.text(
            position,
            len(shown) - 0.55,
            f"{label} " if first else f" {label}",
            ha="right" if first else "left",
            va="center",
            fontsize=font,
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
        chars = max(20, int(width / (CHAR_WIDTH * font)))
        label = "\n".join(textwrap.fill(part, chars) for part in (chart.x_label, note) if part)
        axes.set_xlabel(label, fontsize=font, color=TEXT)
        if note:
            axes.xaxis.label.set_gid("left-out")
    if not shown:
        axes.set_xticks([])
        _note(axes, chart.text.too_few, font)
    _legend_below(axes, handles, font)
    if left_out and not shown:
        axes.text(
            0.5,
            0.4,
            chart.left_out.format(count=left_out),
            transform=axes.transAxes,
            ha="center",
            va="top",
            fontsize=font,
            color=GREY,
            gid="left-out",
        )


def _laid_out(draw, chart, kind: str, size: str, height: float) -> Figure:
    """`draw` on a figure `WIDTHS[kind][size]` points wide and `height` points high, its
    margins fitted to the labels and the legend by matplotlib's constrained layout."""
    if size not in SIZES:
        raise ValueError(f"unknown chart size {size!r}; use one of {', '.join(SIZES)}")
    figure = new_figure(WIDTHS[kind][size] / 72, height / 72, layout="constrained")
    figure.get_layout_engine().set(w_pad=4 / 72, h_pad=4 / 72, wspace=0, hspace=0)
    draw(figure.add_subplot(), chart)
    return figure


def _legend_rows(labels: Sequence[str], width: float) -> int:
    entry = max((_text_width(label, FONT) for label in labels), default=0) + FONT * 4.4
    columns = max(1, min(len(labels), int(width // entry)))
    return -(-len(labels) // columns) if labels else 0


def categories_figure(chart: CategoryChart, size: str = "wide") -> Figure:
    width = WIDTHS["categories"].get(size, 0)
    rows = len(chart.categories) * (max(len(chart.bars), 1) + GROUP_ROWS)
    labels = [b.label for b in chart.bars] + [chart.inner_label, chart.text.too_few]
    legend = _legend_rows(labels, width * 0.9) * FONT * 1.5
    return _laid_out(draw_categories, chart, "categories", size, rows * 17 + legend + 40)


def trend_figure(chart: TrendChart, size: str = "wide") -> Figure:
    return _laid_out(draw_trend, chart, "trend", size, 270 if size == "wide" else 260)


def histogram_figure(chart: Histogram, size: str = "wide") -> Figure:
    return _laid_out(draw_histogram, chart, "histogram", size, 280 if size == "wide" else 260)


def caterpillar_figure(chart: Caterpillar, size: str = "wide") -> Figure:
    rows = max(len([u for u in chart.units if u.value is not None]), 2)
    row = 30 if size == "wide" else 36  # a narrow chart writes "(n = 12)" under the name
    below = 6 * FONT * 1.3 + 20  # ticks, axis title, the count left out, the legend
    return _laid_out(draw_caterpillar, chart, "caterpillar", size, rows * row + FONT * 2 + below)


def categories_chart(chart: CategoryChart, fmt: str = "svg", size: str = "wide") -> bytes:
    return figure_bytes(categories_figure(chart, size), fmt)


def trend_chart(chart: TrendChart, fmt: str = "svg", size: str = "wide") -> bytes:
    return figure_bytes(trend_figure(chart, size), fmt)


def histogram_chart(chart: Histogram, fmt: str = "svg", size: str = "wide") -> bytes:
    return figure_bytes(histogram_figure(chart, size), fmt)


def caterpillar_chart(chart: Caterpillar, fmt: str = "svg", size: str = "wide") -> bytes:
    return figure_bytes(caterpillar_figure(chart, size), fmt)


SVG_REFERENCES = re.compile(r'( id="|url\(#|href="#)')
SVG_WIDTH = re.compile(r'<svg[^>]*?\swidth="([\d.]+)pt"')


def inline_svg(svg: bytes, label: str, classes: str = "", id_prefix: str = "") -> str:
    """SVG bytes as markup to place in a page, with an accessible name.

    `classes` go on the root; `id_prefix` renames every id and reference to it, so two
    drawings of one chart on a page do not share ids. The drawing may grow with its column
    by at most MAX_SCALE, so its text stays near the size it was made for.
    """
    text = svg.decode("utf-8")
    text = text[text.find("<svg") :]
    if id_prefix:
        text = SVG_REFERENCES.sub(lambda m: m.group(1) + id_prefix, text)
    safe = label.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    extra = f' class="{classes}"' if classes else ""
    width = SVG_WIDTH.search(text)
    if width:
        extra += f' style="max-width: {float(width.group(1)) * MAX_SCALE:.0f}px"'
    return text.replace("<svg", f'<svg role="img" aria-label="{safe}"{extra}', 1)


def responsive_svg(wide: bytes, narrow: bytes, label: str) -> str:
    """The wide drawing from Bootstrap's small breakpoint (576 px) up, the narrow one below."""
    return inline_svg(wide, label, "chart-wide d-none d-sm-block") + inline_svg(
        narrow, label, "chart-narrow d-sm-none", id_prefix="n-"
    )


def sequence(values: Sequence[float | None]) -> tuple[float | None, ...]:
    return tuple(None if v is None else float(v) for v in values)
