"""The client's goals on the episode's charts: the goals read for the page, made chart data.

The charts draw each scored goal as a line of its own under the outcome curve (see
`services.charts.goals`). Here the goals the page has read (`reading.episode_goals`, one query)
become that data: a reworded goal and the wordings before it are one line in their place, as
`Goal.replaces` links them. The goals go into the chart data itself, so the chart cache, keyed by
the data, draws a new chart as soon as a goal or a score changes.

The client's words are client data: they are put only into the charts of the client's own
episode, which only the people allowed to see the client's page (or the client themself, on
the thank-you page) are shown.
"""

from dataclasses import replace

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from services.charts.data import ChartData, GoalLine, GoalWording
from services.charts.goals import GOAL_MAX, scored_lines

from .reading import GoalView

DATE_FORMAT = "%d.%m.%Y"


def _chains(goals: list[GoalView]) -> list[list[GoalView]]:
    """The goals as chains of wordings, oldest first, each starting from a goal that replaces
    none of these."""
    by_pk = {goal.pk: goal for goal in goals}
    successor = {goal.replaces_id: goal for goal in goals if goal.replaces_id in by_pk}
    starts = [goal for goal in goals if goal.replaces_id not in by_pk]
    chains = []
    for goal in sorted(starts, key=lambda g: (g.position, g.created_on, g.pk)):
        chain = [goal]
        while chain[-1].pk in successor and len(chain) <= len(goals):
            chain.append(successor[chain[-1].pk])
        chains.append(chain)
    return chains


def goal_lines(goals: list[GoalView]) -> tuple[GoalLine, ...]:
    """One line per goal and its rewordings, in its (latest) place; goals never scored are left
    out, as the chart has nothing to draw for them."""
    lines = []
    for chain in _chains(goals):
        if not any(goal.scores for goal in chain):
            continue
        wordings = tuple(
            GoalWording(
                text=goal.text,
                points=tuple((score.session, score.score) for score in goal.scores),
                status=goal.status,
                status_on=goal.status_on,
            )
            for goal in chain
        )
        lines.append(GoalLine(place=chain[-1].position, wordings=wordings))
    return tuple(lines)


def with_goals(data: ChartData, goals: list[GoalView]) -> ChartData:
    """The chart data with the episode's scored goals and their words in the language in use;
    without a scored goal it is returned as it is, so the chart stays as it was."""
    lines = goal_lines(goals)
    if not lines:
        return data
    labels = replace(
        data.labels,
        goals=_("The client's goals (0–10)"),
        client_goals=_("Your goals: how close you are (0–10)"),
        goal=_("Goal"),
        goal_reached=_("reached"),
        goal_dropped=_("dropped"),
        goal_reworded=_("reworded"),
        full_date_format=DATE_FORMAT,
    )
    return replace(data, goals=lines, labels=labels)


def _line_summary(line: GoalLine) -> str:
    points = sorted(point for wording in line.wordings for point in wording.points)
    text = ngettext(
        "Goal %(place)d, “%(text)s”: %(count)d score, latest %(latest)d of %(most)d.",
        "Goal %(place)d, “%(text)s”: %(count)d scores, latest %(latest)d of %(most)d.",
        len(points),
    ) % {
        "place": line.place,
        "text": line.wordings[-1].text,
        "count": len(points),
        "latest": points[-1][1],
        "most": GOAL_MAX,
    }
    parts = [text]
    earlier = [w for w in line.wordings[:-1] if w.status == "changed"]
    if earlier:
        parts.append(
            _("Reworded %(date)s, earlier “%(text)s”.")
            % {"date": _date(earlier[-1].status_on), "text": earlier[-1].text}
        )
    last = line.wordings[-1]
    if last.status == "reached":
        parts.append(_("Reached %(date)s.") % {"date": _date(last.status_on)})
    elif last.status == "dropped":
        parts.append(_("Dropped %(date)s.") % {"date": _date(last.status_on)})
    return " ".join(parts)


def _date(day) -> str:
    return day.strftime(DATE_FORMAT) if day else ""


def goals_summary(data: ChartData) -> str:
    """The goals' lines in words, for the chart's text alternative: each goal's place, the
    client's words in full, its latest score and what became of it. Empty without goals."""
    return " ".join(_line_summary(line) for line in scored_lines(data))
