"""The group's alliance over its meetings, as its leader sees it (issue #18 part 3).

Plain data in, PNG or SVG bytes out, drawn like the leaders' dashboard charts (`dashboard`):
the same fonts (12 pt at the size the page shows it), colours, quiet axes and legend under the
plot, and a "wide" drawing for tablets and desktops and a "narrow" one for phones.

One point per meeting: the mean of the members' group alliance totals (0–40), with the form's
alliance threshold as a dashed line. A meeting where fewer than five answered has no mean
(`services.groups.figures` drops it before it gets here, so it cannot leak through the drawing
or the cache): it is a grey cross on the axis, named "too few answers", and the line has a gap
there rather than a bridge, which would look like a value. A meeting still open for answers
(until midnight of its day) has no mean yet at any count: it is a hollow grey ring on the axis,
named "not closed yet", so today's meeting is on the chart without a value that the next answer
would change. Every text is horizontal.
"""

from __future__ import annotations

import datetime
import math
import textwrap
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .dashboard import (
    CHAR_WIDTH,
    FONT,
    TEXT,
    TICK_STEPS,
    _axes_width,
    _legend_below,
    _note,
    _style,
    _too_few_mark,
    figure_bytes,
    new_figure,
)
from .numbers import NumberFormat, format_number
from .style import BLACK, CUTOFF_DASHES, GREY, SRS_COLOUR

if TYPE_CHECKING:  # matplotlib is imported only where a chart is drawn
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

# Points wide, one point to one CSS pixel where the page shows it (as the dashboard's charts):
# about the narrowest column that shows the wide drawing, and a 360-pixel phone.
SIZES = ("wide", "narrow")
WIDTHS = {"wide": 600, "narrow": 340}
HEIGHTS = {"wide": 300, "narrow": 320}
# Pixels per point in a PNG: two, so the image stays sharp on a high-density screen when the page
# shows it at its width in points.
PNG_DPI = 144
VECTOR_DPI = 100
SCORE_TICKS = (0, 10, 20, 30, 40)
LABEL_GAP = 8  # points between a point and its number


@dataclass(frozen=True)
class MeetingMean:
    """One meeting: its number and date, and the mean total, or None where too few answered or
    the meeting is still open (`still_open`)."""

    number: int
    date: datetime.date
    mean: float | None = None
    still_open: bool = False


@dataclass(frozen=True)
class GroupAllianceText:
    """Every string the chart shows, translated by the caller, and the language's marks."""

    y_label: str = "Group alliance: mean of the members' answers (0–40)"
    x_label: str = "Meeting"
    mean: str = "Mean of the answers"
    threshold: str = "Alliance threshold"
    too_few: str = "Too few answers"
    none_shown: str = "Too few answers to show a mean yet"
    not_closed: str = "Not closed yet"
    none_closed: str = "The mean is shown when the meeting has closed"
    no_meetings: str = "No meetings yet"
    date_format: str = "%d.%m"
    decimal_mark: str = "."
    thousands: str = ","

    @property
    def numbers(self) -> NumberFormat:
        return NumberFormat(self.decimal_mark, self.thousands)


@dataclass(frozen=True)
class GroupAllianceChart:
    meetings: tuple[MeetingMean, ...] = ()
    threshold: float | None = None
    max_total: float = 40
    text: GroupAllianceText = field(default_factory=GroupAllianceText)


def _ticks(chart: GroupAllianceChart, width: float, font: float) -> tuple[list[int], list[str]]:
    """Every meeting, or every 2nd, 3rd, … from the first, as many as fit side by side: the
    meeting's number with its date under it."""
    meetings = chart.meetings
    room = 5 * CHAR_WIDTH * font + font  # "12.03" and a gap
    step = next(
        (s for s in TICK_STEPS if math.ceil(len(meetings) / s) * room <= width), TICK_STEPS[-1]
    )
    shown = meetings[::step]
    labels = [f"{m.number}\n{m.date.strftime(chart.text.date_format)}" for m in shown]
    return [m.number for m in shown], labels


def _room(axes: Axes, chart: GroupAllianceChart) -> float:
    """Points of width between two neighbouring meetings."""
    left, right = axes.get_xlim()
    return _axes_width(axes) / max(right - left, 1)


def _fits(text: str, room: float, font: float) -> bool:
    return max(len(line) for line in text.splitlines()) * CHAR_WIDTH * font <= room * 0.95


def _label_above(mean: float, chart: GroupAllianceChart, span: float) -> bool:
    """Whether a mean's number goes above its point: not where it would run into the top or
    be crossed by the threshold line (`span` is the label's height in score points); below
    where that is free of both, else above after all."""
    threshold = None if chart.threshold is None else float(chart.threshold)

    def crossed(low: float, high: float) -> bool:
        return threshold is not None and low <= threshold <= high

    above = (mean, mean + span)
    below = (mean - span, mean)
    if above[1] <= chart.max_total and not crossed(*above):
        return True
    return below[0] < 0 or crossed(*below)


def _value_labels(axes: Axes, chart: GroupAllianceChart, font: float) -> None:
    """Each mean written by its point, above or below it clear of the threshold line, where
    there is room between meetings; else the latest only, so numbers never run together."""
    from matplotlib.transforms import offset_copy

    shown = [m for m in chart.meetings if m.mean is not None]
    if not shown:
        return
    texts = {m.number: format_number(m.mean, 1, chart.text.numbers) for m in shown}
    widest = max(len(t) for t in texts.values())
    if widest * CHAR_WIDTH * font > _room(axes, chart) * 0.9:
        shown = shown[-1:]
    # The plot's height before layout; the layout takes a fifth or so off it for the labels.
    height = axes.get_position().height * axes.figure.get_figheight() * 72 * 0.8
    span = (LABEL_GAP + font * 1.2) * chart.max_total / max(height, 1)
    for meeting in shown:
        above = _label_above(float(meeting.mean), chart, span)
        gap = LABEL_GAP if above else -LABEL_GAP
        place = offset_copy(axes.transData, fig=axes.figure, y=gap, units="points")
        axes.text(
            meeting.number,
            meeting.mean,
            texts[meeting.number],
            transform=place,
            ha="center",
            va="bottom" if above else "top",
            fontsize=font,
            color=TEXT,
            gid=f"value-{meeting.number}",
        )


def _wrapped(words: str, room: float, font: float) -> str:
    """The words in as few lines as fit between two meetings, or "" where they do not (a word
    is never broken: "avslutte-t" reads worse than no words, which the legend gives)."""
    for width in (len(words), 8, 6):
        wrapped = textwrap.fill(words, width, break_long_words=False)
        if _fits(wrapped, room, font):
            return wrapped
    return ""


def _open_mark(axes: Axes, x: float, y: float, font: float, gid: str) -> None:
    """A hollow grey ring where a meeting is still open: a place kept, no value in it."""
    axes.plot(
        [x],
        [y],
        marker="o",
        markerfacecolor="white",
        markeredgecolor=GREY,
        markeredgewidth=1.5,
        markersize=font * 0.6,
        linestyle="none",
        gid=gid,
        clip_on=False,
        zorder=5,
    )


def _hidden_marks(axes: Axes, chart: GroupAllianceChart, font: float) -> tuple[bool, bool]:
    """A mark on the axis at each meeting without a mean (a grey cross where too few answered,
    a ring where the meeting is still open), and its words above it where they fit between
    the meetings; whether there was any of each."""
    hidden = [m for m in chart.meetings if m.mean is None]
    room = _room(axes, chart)
    words = {
        True: _wrapped(chart.text.not_closed, room, font),
        False: _wrapped(chart.text.too_few, room, font),
    }
    for meeting in hidden:
        kind = "not-closed" if meeting.still_open else "too-few"
        mark = _open_mark if meeting.still_open else _too_few_mark
        mark(axes, meeting.number, chart.max_total * 0.02, font, f"{kind}-{meeting.number}")
        if words[meeting.still_open]:
            axes.text(
                meeting.number,
                chart.max_total * 0.06,
                words[meeting.still_open],
                ha="center",
                va="bottom",
                fontsize=font,
                color=GREY,
                linespacing=1.1,
                gid=f"{kind}-text-{meeting.number}",
            )
    return any(not m.still_open for m in hidden), any(m.still_open for m in hidden)


def draw_group_alliance(axes: Axes, chart: GroupAllianceChart, font: float = FONT) -> None:
    """The means as a line with points, gaps where a meeting has none; the threshold; the
    meetings without a mean (too few answers, or still open) marked on the axis."""
    from matplotlib.lines import Line2D

    text = chart.text
    _style(axes, font)
    chars = int(axes.figure.get_figwidth() * 72 / (CHAR_WIDTH * font))
    axes.set_title(textwrap.fill(text.y_label, chars), loc="left", fontsize=font, color=TEXT)
    axes.set_ylim(0, chart.max_total)
    axes.set_yticks(list(SCORE_TICKS), [format_number(t, 0, text.numbers) for t in SCORE_TICKS])
    if not chart.meetings:
        axes.set_xticks([])
        _note(axes, text.no_meetings, font)
        return
    numbers = [m.number for m in chart.meetings]
    axes.set_xlim(min(numbers) - 0.5, max(numbers) + 0.5)
    ticks, labels = _ticks(chart, _axes_width(axes), font)
    axes.set_xticks(ticks, labels)
    axes.set_xlabel(text.x_label, fontsize=font, color=TEXT)
    handles = []
    shown = [m for m in chart.meetings if m.mean is not None]
    if shown:
        axes.plot(
            numbers,
            [math.nan if m.mean is None else float(m.mean) for m in chart.meetings],
            color=SRS_COLOUR,
            linewidth=2.5,
            marker="o",
            markersize=7,
            markeredgecolor="white",
            markeredgewidth=1.2,
            gid="alliance-line",
            zorder=4,
            clip_on=False,
        )
        handles.append(Line2D([], [], color=SRS_COLOUR, linewidth=2.5, marker="o", label=text.mean))
        _value_labels(axes, chart, font)
    else:
        # Wrapped to the plot's width: the narrow drawing has room for some 40 characters.
        note = text.none_closed if all(m.still_open for m in chart.meetings) else text.none_shown
        _note(axes, textwrap.fill(note, int(_axes_width(axes) * 0.9 / (CHAR_WIDTH * font))), font)
    if chart.threshold is not None:
        axes.axhline(
            float(chart.threshold),
            color=BLACK,
            linestyle=CUTOFF_DASHES,
            linewidth=1.2,
            gid="threshold-line",
            zorder=3,
        )
        handles.append(
            Line2D(
                [], [], color=BLACK, linestyle=CUTOFF_DASHES, linewidth=1.2, label=text.threshold
            )
        )
    too_few, not_closed = _hidden_marks(axes, chart, font)
    if too_few:
        handles.append(Line2D([], [], color=GREY, marker="x", linestyle="none", label=text.too_few))
    if not_closed:
        handles.append(
            Line2D(
                [],
                [],
                marker="o",
                markerfacecolor="white",
                markeredgecolor=GREY,
                markeredgewidth=1.5,
                linestyle="none",
                label=text.not_closed,
            )
        )
    # No labels left of the legend: it may take the figure's whole width.
    _legend_below(axes, handles, font, width=axes.figure.get_figwidth() * 72)


def group_alliance_figure(chart: GroupAllianceChart, size: str = "wide", dpi: int = VECTOR_DPI):
    """The chart laid out at one of the two sizes, margins fitted by constrained layout."""
    if size not in SIZES:
        raise ValueError(f"unknown chart size {size!r}; use one of {', '.join(SIZES)}")
    figure: Figure = new_figure(WIDTHS[size] / 72, HEIGHTS[size] / 72, dpi, layout="constrained")
    figure.get_layout_engine().set(w_pad=4 / 72, h_pad=4 / 72, wspace=0, hspace=0)
    draw_group_alliance(figure.add_subplot(), chart)
    return figure


def group_alliance_chart(chart: GroupAllianceChart, fmt: str = "png", size: str = "wide") -> bytes:
    """The chart as PNG (two pixels per point) or SVG bytes."""
    dpi = PNG_DPI if fmt == "png" else VECTOR_DPI
    return figure_bytes(group_alliance_figure(chart, size, dpi), fmt)
