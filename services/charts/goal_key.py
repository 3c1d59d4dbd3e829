"""The goals panel's title and key: each place's line sample, and the client's words, shortened.

The key is the only place the chart names a goal, so it must stay readable at any width: the
client's words are kept whole where they fit, otherwise wrapped onto a second line and then cut
at a word with an ellipsis. What happened to the goal follows in brackets ("reworded
04.02.2026, reached 18.03.2026"); on a narrow chart the dates go before the words do. The
sizes are worked out before the figure is made, so the figure can grow by the goals block.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .axes import POINTS_PER_INCH, line_height, wrap
from .data import ChartData, ChartLabels, GoalLine
from .goals import scored_lines, style_of
from .legend import COLUMN_GAP, HANDLE_GAP, HANDLE_WIDTH
from .style import TEXT_COLOUR

if TYPE_CHECKING:  # matplotlib is imported only where a chart is drawn
    from matplotlib.figure import Figure

ELLIPSIS = "…"
# The client's words in the key: at most this many letters, however wide the chart.
MAX_TEXT = 70
# With fewer of the client's letters than this the dates are left out, so the words keep room.
MIN_TEXT = 28
MAX_KEY_LINES = 2
KEY_GAP = 0.08  # between the key and the panel's top score label
TITLE_SPACING = 1.5
ROW_SPACING = 1.5
LINE_SPACING = 1.2
LETTER_WIDTH = 0.58  # of the font size: the legend's estimate


def shorten(text: str, letters: int) -> str:
    """The client's words on one line, cut at a word with an ellipsis when too long."""
    words = " ".join(text.split())
    if len(words) <= letters:
        return words
    cut = words[: max(letters - 1, 1)]
    if " " in cut and cut.rfind(" ") >= len(cut) // 2:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,.;:–-") + ELLIPSIS


def _events(line: GoalLine, labels: ChartLabels, dated: bool) -> list[str]:
    """What happened to the goal: reworded (the latest time), reached or dropped."""

    def event(word: str, date) -> str:
        return f"{word} {date.strftime(labels.full_date_format)}" if dated and date else word

    events = []
    reworded = [w.status_on for w in line.wordings[:-1] if w.status == "changed"]
    if reworded:
        events.append(event(labels.goal_reworded, reworded[-1]))
    last = line.wordings[-1] if line.wordings else None
    if last is not None and last.status in ("reached", "dropped"):
        word = labels.goal_reached if last.status == "reached" else labels.goal_dropped
        events.append(event(word, last.status_on))
    return events


def _wrapped(text: str, letters: int) -> list[str]:
    return textwrap.wrap(text, letters, break_on_hyphens=False) or [""]


def key_text(line: GoalLine, labels: ChartLabels, letters: int) -> str:
    """The key of one line, e.g. "Goal 1: the client's words (reworded 04.02.2026, reached
    18.03.2026)", in at most two lines of `letters`: the dates are dropped before the words
    get shorter than `MIN_TEXT`."""
    prefix = f"{labels.goal} {line.place}: "
    words = " ".join((line.wordings[-1].text if line.wordings else "").split())
    for dated in (True, False):
        events = _events(line, labels, dated)
        suffix = f" ({', '.join(events)})" if events else ""
        for room in range(min(MAX_TEXT, len(words)), 0, -1):
            lines = _wrapped(f"{prefix}{shorten(words, room)}{suffix}", letters)
            if len(lines) <= MAX_KEY_LINES:
                break
        if room >= min(MIN_TEXT, len(words)) or not dated:
            return "\n".join(lines)
    raise AssertionError("the undated key is always returned")


def _heading_gap(font: float) -> float:
    """Room between the panel above (its lowest score label) and the goals' title."""
    return 0.06 + font * 0.012


def _letters(width: float, font_size: float) -> int:
    """How many letters of key text fit on one line of a column `width` inches wide."""
    text_width = width - HANDLE_WIDTH - HANDLE_GAP
    return max(16, int(text_width * POINTS_PER_INCH / (LETTER_WIDTH * font_size)))


@dataclass(frozen=True)
class KeyEntry:
    text: str
    place: int
    gid: str

    @property
    def lines(self) -> int:
        return self.text.count("\n") + 1


@dataclass(frozen=True)
class GoalsLayout:
    """The goals block: the title and the key over the panel, sized before the figure is."""

    lines: tuple[GoalLine, ...]
    title: str
    entries: tuple[KeyEntry, ...]
    columns: int
    column_width: float
    font: float
    small: float
    line_width: float
    heading: float  # inches from the block's top to the panel's top: gap, title and key
    panel: float  # the panel's height

    @property
    def height(self) -> float:
        return self.heading + self.panel


def _rows(entries: Sequence[KeyEntry], columns: int) -> list[Sequence[KeyEntry]]:
    return [entries[i : i + columns] for i in range(0, len(entries), columns)]


def _row_height(row: Sequence[KeyEntry], small: float) -> float:
    """One line's height, and a line more for each line the row's longest entry wraps onto."""
    extra = max(entry.lines for entry in row) - 1
    return line_height(small, ROW_SPACING) + extra * line_height(small, LINE_SPACING)


def _columns(entries: Sequence[KeyEntry], width: float, small: float) -> tuple[int, float]:
    """Side by side when every entry fits on one line of a column, else one under the other."""
    if any(entry.lines > 1 for entry in entries):
        return 1, width
    longest = max(len(entry.text) for entry in entries) * LETTER_WIDTH * small / POINTS_PER_INCH
    column = HANDLE_WIDTH + HANDLE_GAP + longest + COLUMN_GAP
    columns = max(1, min(len(entries), int(width / column)))
    return columns, column if columns > 1 else width


def goals_layout(
    data: ChartData,
    title: str,
    width: float,
    fonts: tuple[float, float],
    panel_height: float,
    line_width: float,
) -> GoalsLayout | None:
    """The goals block for a panel `width` inches wide, with the title and key in `fonts`
    (the title's and the key's size); None when no goal has a score."""
    lines = scored_lines(data)
    if not lines:
        return None
    font, small = fonts
    letters = _letters(width, small)
    entries = tuple(
        KeyEntry(key_text(line, data.labels, letters), line.place, f"goal-line-{index}")
        for index, line in enumerate(lines)
    )
    columns, column_width = _columns(entries, width, small)
    title = wrap(title, width, font)
    title_height = line_height(font, TITLE_SPACING) * (title.count("\n") + 1)
    key_height = sum(_row_height(row, small) for row in _rows(entries, columns))
    heading = _heading_gap(font) + title_height + key_height + KEY_GAP
    return GoalsLayout(
        tuple(lines),
        title,
        entries,
        columns,
        column_width,
        font,
        small,
        line_width,
        heading,
        panel_height,
    )


def draw_heading(figure: Figure, layout: GoalsLayout, *, left: float, top: float) -> None:
    """The panel's title at `top` (inches from the figure's foot) and the key under it."""
    fig_width, fig_height = figure.get_size_inches()
    title_top = top - _heading_gap(layout.font)
    figure.text(
        left / fig_width,
        title_top / fig_height,
        layout.title,
        fontsize=layout.font,
        fontweight="bold",
        color=TEXT_COLOUR,
        ha="left",
        va="top",
        linespacing=1.25,
        gid="goals-title",
    )
    lines = layout.title.count("\n") + 1
    _draw_key(figure, layout, left, title_top - line_height(layout.font, TITLE_SPACING) * lines)


def _draw_key(figure: Figure, layout: GoalsLayout, left: float, top: float) -> None:
    """Each entry as the legend draws a line: a sample with its marker, then the words."""
    from matplotlib.lines import Line2D

    inches = figure.dpi_scale_trans
    first_line = line_height(layout.small, ROW_SPACING)
    # From the middle of a text's first line to its top, for a text of more than one line.
    half_line = 0.55 * layout.small / POINTS_PER_INCH
    row_top = top
    for row in _rows(layout.entries, layout.columns):
        for column, entry in enumerate(row):
            x = left + column * layout.column_width
            y = row_top - first_line / 2
            style = style_of(entry.place)
            figure.add_artist(
                Line2D(
                    [x, x + HANDLE_WIDTH / 2, x + HANDLE_WIDTH],
                    [y, y, y],
                    transform=inches,
                    color=style.colour,
                    linestyle=style.dashes,
                    linewidth=layout.line_width,
                    marker=style.marker,
                    markevery=[1],
                    markersize=layout.small * 0.6,
                    markerfacecolor=style.colour,
                    markeredgecolor=style.colour,
                    markeredgewidth=1.2,
                    gid=f"legend-{entry.gid}",
                )
            )
            figure.text(
                x + HANDLE_WIDTH + HANDLE_GAP,
                y if entry.lines == 1 else y + half_line,
                entry.text,
                transform=inches,
                fontsize=layout.small,
                color=TEXT_COLOUR,
                ha="left",
                va="center_baseline" if entry.lines == 1 else "top",
                linespacing=LINE_SPACING,
                gid=f"legend-{entry.gid}-text",
            )
        row_top -= _row_height(row, layout.small)
