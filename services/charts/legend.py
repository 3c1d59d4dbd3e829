"""A plain legend: a short sample of each line or band, and its text, in a grid of columns.

matplotlib's own legend packs boxes inside boxes and measures them at draw time, which costs
more than the rest of a small chart; these entries are placed in inches from estimated text
widths, which is accurate enough for a few short labels.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .axes import POINTS_PER_INCH, line_height
from .style import TEXT_COLOUR

if TYPE_CHECKING:  # matplotlib is imported only where a chart is drawn
    from matplotlib.figure import Figure

HANDLE_WIDTH = 0.36
HANDLE_GAP = 0.08
COLUMN_GAP = 0.3
MAX_COLUMNS = 3
ROW_SPACING = 1.5


@dataclass(frozen=True)
class LegendEntry:
    """One entry: `kind` is "line", "band", "marker" or "series" (a line with its marker in the
    middle), drawn in `colour` with the given style; `marker_face` "white" draws a hollow
    marker.

    `labels` is the id of the drawn part the entry explains (e.g. "reliable-change-band"). The
    sample and the text get ids after it, "legend-reliable-change-band" and
    "legend-reliable-change-band-text", so a test or a reviewer can check each text against the
    part it stands for: a band once carried the words for its opposite (issue #15).
    """

    text: str
    kind: str
    colour: str
    linestyle: str | tuple = "-"
    linewidth: float = 1.5
    alpha: float = 1.0
    marker: str = "o"
    marker_face: str | None = None
    labels: str = ""

    def gid(self, index: int) -> str:
        return f"legend-{self.labels or f'entry-{index}'}"


def _text_width(text: str, font_size: float) -> float:
    return len(text) * 0.58 * font_size / POINTS_PER_INCH


def _column_width(entries: Sequence[LegendEntry], font_size: float) -> float:
    longest = max((_text_width(entry.text, font_size) for entry in entries), default=0)
    return HANDLE_WIDTH + HANDLE_GAP + longest + COLUMN_GAP


def legend_columns(entries: Sequence[LegendEntry], width: float, font_size: float) -> int:
    """As many columns as fit in `width` inches, at most three."""
    return max(1, min(MAX_COLUMNS, int(width / _column_width(entries, font_size))))


def legend_height(entries: Sequence[LegendEntry], columns: int, font_size: float) -> float:
    rows = -(-len(entries) // columns)
    return rows * line_height(font_size, ROW_SPACING)


def draw_legend(
    figure: Figure,
    entries: Sequence[LegendEntry],
    *,
    left: float,
    top: float,
    columns: int,
    font_size: float,
) -> None:
    """Entries row by row from (`left`, `top`) in inches from the figure's lower left corner."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Rectangle

    inches = figure.dpi_scale_trans
    column = _column_width(entries, font_size)
    row = line_height(font_size, ROW_SPACING)
    for index, entry in enumerate(entries):
        x = left + (index % columns) * column
        y = top - (index // columns + 0.5) * row
        if entry.kind == "band":
            figure.add_artist(
                Rectangle(
                    (x, y - row * 0.22),
                    HANDLE_WIDTH,
                    row * 0.44,
                    transform=inches,
                    facecolor=entry.colour,
                    alpha=entry.alpha,
                    edgecolor="none",
                    gid=entry.gid(index),
                )
            )
        elif entry.kind == "series":
            figure.add_artist(
                Line2D(
                    [x, x + HANDLE_WIDTH / 2, x + HANDLE_WIDTH],
                    [y, y, y],
                    transform=inches,
                    color=entry.colour,
                    linestyle=entry.linestyle,
                    linewidth=entry.linewidth,
                    marker=entry.marker,
                    markevery=[1],
                    markersize=font_size * 0.6,
                    markerfacecolor=entry.marker_face or entry.colour,
                    markeredgecolor=entry.colour,
                    markeredgewidth=1.2,
                    gid=entry.gid(index),
                )
            )
        elif entry.kind == "marker":
            figure.add_artist(
                Line2D(
                    [x + HANDLE_WIDTH / 2],
                    [y],
                    transform=inches,
                    color=entry.colour,
                    marker=entry.marker,
                    markersize=font_size * 0.8,
                    linestyle="none",
                    gid=entry.gid(index),
                )
            )
        else:
            figure.add_artist(
                Line2D(
                    [x, x + HANDLE_WIDTH],
                    [y, y],
                    transform=inches,
                    color=entry.colour,
                    linestyle=entry.linestyle,
                    linewidth=entry.linewidth,
                    gid=entry.gid(index),
                )
            )
        figure.text(
            x + HANDLE_WIDTH + HANDLE_GAP,
            y,
            entry.text,
            transform=inches,
            fontsize=font_size,
            color=TEXT_COLOUR,
            ha="left",
            va="center_baseline",
            gid=f"{entry.gid(index)}-text",
        )
