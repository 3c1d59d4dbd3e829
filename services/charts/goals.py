"""The client's own goals as a panel of their own under the outcome curve, on the same sessions.

A goal is scored 0–10 ("how close am I?"), the outcome 0–40: on one axis the goals would look
flat and read as a part of the outcome, so they get their own panel and scale, sharing only the
session axis. Each place (1–3) has its own colour, dash and marker, so the lines differ in
greyscale too, and its key names the place and the client's words, shortened to fit. A reworded
goal keeps its place and continues its line; a bar across the line marks where the wording
changed. A reached goal ends in a star, a dropped one in a cross, and the key says which
(`goal_key.py` writes the title and the key over the panel).

A goal without any score draws nothing: the panel shows scores over time, and the goals list
on the client's page shows every goal. Without a scored goal there is no panel at all, so an
episode without goals gets the chart it had before goals existed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .axes import score_axis
from .data import ChartData, GoalLine

if TYPE_CHECKING:  # matplotlib is imported only where a chart is drawn
    from .goal_key import GoalsLayout
    from .panel import Panel

GOAL_MAX = 10
GOAL_TICKS = (0, 5, 10)


@dataclass(frozen=True)
class GoalStyle:
    """Colour, dash and marker of one place. The colours are dark (wine 8.6:1, brown 6.9:1,
    indigo 12:1 on white) and none is the outcome's blue or the alliance's green."""

    colour: str
    dashes: str | tuple
    marker: str
    marker_size: float


STYLES = {
    1: GoalStyle("#882255", "-", "o", 7.0),
    2: GoalStyle("#7A5200", (0, (5, 2)), "s", 6.5),
    3: GoalStyle("#332288", (0, (1.2, 1.4)), "^", 8.0),
}
REACHED_MARKER = "*"
DROPPED_MARKER = "X"


def style_of(place: int) -> GoalStyle:
    return STYLES.get(place, STYLES[1 + (place - 1) % len(STYLES)])


def scored_lines(data: ChartData) -> list[GoalLine]:
    """The goals with at least one score, by place, in the order they were set."""
    lines = [line for line in data.goals if any(w.points for w in line.wordings)]
    return sorted(lines, key=lambda line: line.place)


def line_points(line: GoalLine) -> tuple[list[float], list[float]]:
    """x and y of the whole line, all wordings, joined across sessions without a score: a goal
    is rarely scored every session, and lone dots would hide the trend."""
    pairs = sorted(
        (session, float(score)) for wording in line.wordings for session, score in wording.points
    )
    return [float(session) for session, _ in pairs], [score for _, score in pairs]


def reword_marks(line: GoalLine) -> list[tuple[float, float]]:
    """Where the wording changed: halfway between the last score of one wording and the first
    of the next, on the line; after the last score when the new wording has none yet."""
    marks = []
    for index, wording in enumerate(line.wordings[:-1]):
        if not wording.points:
            continue
        before = max(wording.points)
        later = [p for w in line.wordings[index + 1 :] for p in w.points]
        if later:
            after = min(later)
            x = (before[0] + after[0]) / 2
            y = (float(before[1]) + float(after[1])) / 2
        else:
            x, y = before[0] + 0.35, float(before[1])
        marks.append((x, y))
    return marks


def draw_goals(
    panel: Panel, layout: GoalsLayout, font: float, line_width: float, marker_scale: float = 1
) -> None:
    """Each goal's line with its marks, on a 0–10 scale of its own."""
    panel.set_ylim(0, GOAL_MAX)
    score_axis(panel, GOAL_TICKS, font)
    for index, line in enumerate(layout.lines):
        _draw_line(panel, line, index, line_width, marker_scale)


def _draw_line(
    panel: Panel, line: GoalLine, index: int, line_width: float, marker_scale: float
) -> None:
    style = style_of(line.place)
    xs, ys = line_points(line)
    panel.line(
        xs,
        ys,
        color=style.colour,
        linestyle=style.dashes,
        linewidth=line_width,
        marker=style.marker,
        markersize=style.marker_size * marker_scale,
        markeredgecolor="white",
        markeredgewidth=0.9,
        gid=f"goal-line-{index}",
        zorder=4,
        clip_on=False,
    )
    marks = reword_marks(line)
    if marks:
        _draw_marks(panel, marks, style.colour, f"goal-reworded-{index}", marker_scale)
    end = line.wordings[-1].status if line.wordings else "open"
    if end in ("reached", "dropped"):
        panel.line(
            xs[-1:],
            ys[-1:],
            linestyle="none",
            marker=REACHED_MARKER if end == "reached" else DROPPED_MARKER,
            markersize=(17 if end == "reached" else 12) * marker_scale,
            markerfacecolor=style.colour,
            markeredgecolor="white",
            markeredgewidth=1.2,
            gid=f"goal-{end}-{index}",
            zorder=5,
            clip_on=False,
        )


def _draw_marks(
    panel: Panel, marks: Sequence[tuple[float, float]], colour: str, gid: str, scale: float
) -> None:
    """A bar across the line where the goal was reworded, on a white halo so it stands out
    from the line it crosses."""
    xs = [x for x, _ in marks]
    ys = [y for _, y in marks]
    for width, edge, suffix in ((6.5, "white", "-halo"), (3, colour, "")):
        panel.line(
            xs,
            ys,
            linestyle="none",
            marker="|",
            markersize=19 * scale,
            markeredgewidth=width * scale,
            markeredgecolor=edge,
            gid=f"{gid}{suffix}",
            zorder=4.5,
            clip_on=False,
        )
