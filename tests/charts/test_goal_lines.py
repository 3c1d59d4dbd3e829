"""Issue #17: the client's goals (0–10) as lines in a panel of their own under the outcome curve,
on the same sessions, on the helper's chart and the client's; without a scored goal the charts
are exactly as they were."""

import datetime
import re
import xml.etree.ElementTree as ET
from dataclasses import replace

import pytest

from services.charts.cache import chart_cache_key
from services.charts.client import client_chart
from services.charts.data import SIZES, GoalLine, GoalWording
from services.charts.goal_key import key_text, shorten
from services.charts.goals import STYLES
from services.charts.progress import progress_chart

from .samples import LABELS, SVG, element, episode, ids, path_xs, png_size

D = datetime.date
GOAL_LABELS = replace(
    LABELS,
    goals="Klientens mål (0–10)",
    client_goals="Dine mål: hvor nær du er (0–10)",
    goal="Mål",
    goal_reached="nådd",
    goal_dropped="lagt bort",
    goal_reworded="omformulert",
)
LONG = (
    "Gå på arbeidstrening tre dager i uka uten å melde meg syk, og klare å snakke med "
    "lederen min om hvordan det går"
)
SLEEP = GoalLine(
    1,
    (
        GoalWording(
            "Sove bedre om natta",
            ((1, 2), (2, 3), (3, 3), (5, 5), (6, 6), (8, 7), (10, 8)),
            "reached",
            D(2026, 3, 18),
        ),
    ),
)
WORK = GoalLine(
    2,
    (
        GoalWording(
            "Komme tilbake i jobb", ((1, 1), (2, 1), (3, 2), (5, 2)), "changed", D(2026, 2, 4)
        ),
        GoalWording(LONG, ((6, 3), (7, 4), (8, 4), (9, 5), (10, 6), (11, 6), (12, 7))),
    ),
)
MOTHER = GoalLine(3, (GoalWording("Ringe mamma oftere", ((2, 5), (3, 4), (5, 5), (12, 7))),))
THREE = (SLEEP, WORK, MOTHER)


def with_goals(*goals, **changes):
    return episode(labels=GOAL_LABELS, goals=goals, **changes)


def texts(svg: bytes, gid: str | None = None) -> str:
    root = element(svg, gid) if gid else ET.fromstring(svg)
    return " ".join(text.text or "" for text in root.iter(f"{SVG}text"))


def panel_top_and_bottom(svg: bytes, gid: str) -> tuple[float, float]:
    """The panel's top and foot in SVG units (downwards), from its white background."""
    path = next(element(svg, gid).iter(f"{SVG}path")).get("d")
    ys = [float(y) for y in re.findall(r"[ML] [\d.]+ ([\d.]+)", path)]
    return min(ys), max(ys)


@pytest.mark.parametrize("chart", [progress_chart, client_chart])
@pytest.mark.parametrize("fmt", ["svg", "png"])
@pytest.mark.parametrize("size", sorted(SIZES))
def test_without_a_scored_goal_the_chart_is_the_same_bytes(chart, fmt, size):
    unscored = GoalLine(1, (GoalWording("Sove bedre"),))
    plain = chart(episode(), fmt=fmt, size=size)
    assert chart(with_goals(unscored), fmt=fmt, size=size) == plain
    assert chart(episode(labels=GOAL_LABELS), fmt=fmt, size=size) == plain


@pytest.mark.parametrize("chart", [progress_chart, client_chart])
def test_each_goal_is_a_line_in_its_own_panel_not_on_the_outcome_scale(chart):
    svg = chart(with_goals(*THREE))
    panel = element(svg, "goals-panel")
    inside = {e.get("id") for e in panel.iter() if e.get("id")}
    assert {"goal-line-0", "goal-line-1", "goal-line-2"} <= inside
    outcome = "ors-panel" if chart is progress_chart else "client-panel"
    assert not any((e.get("id") or "").startswith("goal") for e in element(svg, outcome).iter())
    # Its own 0–10 scale: 0, 5 and 10, where the outcome panel counts in tens to 40.
    assert texts(svg, "goals-panel").split()[:3] == ["0", "5", "10"]


@pytest.mark.parametrize("chart", [progress_chart, client_chart])
def test_the_goals_share_the_outcome_curves_sessions(chart):
    svg = chart(with_goals(*THREE))
    ors = dict(zip([1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12], path_xs(svg, "ors-line"), strict=True))
    sleep = path_xs(svg, "goal-line-0")
    assert sleep == pytest.approx([ors[n] for n in (1, 2, 3, 5, 6, 8, 10)])


def test_the_goals_panel_is_between_the_outcome_and_the_alliance():
    svg = progress_chart(with_goals(*THREE))
    ors = panel_top_and_bottom(svg, "ors-panel")
    goals = panel_top_and_bottom(svg, "goals-panel")
    srs = panel_top_and_bottom(svg, "srs-panel")
    assert ors[1] < goals[0] and goals[1] < srs[0]


@pytest.mark.parametrize("chart", [progress_chart, client_chart])
def test_the_figure_grows_by_the_goals_so_the_outcome_keeps_its_size(chart):
    plain, goals = chart(episode()), chart(with_goals(*THREE))
    outcome = "ors-panel" if chart is progress_chart else "client-panel"
    top, foot = panel_top_and_bottom(plain, outcome)
    assert panel_top_and_bottom(goals, outcome) == pytest.approx((top, foot))
    width, height = png_size(chart(episode(), fmt="png"))
    taller = png_size(chart(with_goals(*THREE), fmt="png"))
    assert taller[0] == width and taller[1] > height


def test_the_session_labels_are_shown_once_under_the_lowest_panel():
    no_srs = with_goals(SLEEP, srs=(None,) * 12)
    svg = progress_chart(no_srs)
    assert "07.01" in texts(svg, "goals-panel")
    assert "07.01" not in texts(svg, "ors-panel")
    client = client_chart(no_srs)
    assert "07.01" in texts(client, "goals-panel")
    assert "07.01" not in texts(client, "client-panel")


@pytest.mark.parametrize("chart", [progress_chart, client_chart])
def test_the_key_names_each_place_in_the_clients_words_with_what_became_of_it(chart):
    svg = chart(with_goals(*THREE))
    key = texts(svg)
    assert "Mål 1: Sove bedre om natta (nådd 18.03.2026)" in key
    assert "Mål 3: Ringe mamma oftere" in key
    work = texts(svg, "legend-goal-line-1-text")
    assert work.startswith("Mål 2: Gå på arbeidstrening")
    assert "…" in work and "hvordan det går" not in work  # shortened, at a word
    assert "(omformulert 04.02.2026)" in work
    assert "Komme tilbake i jobb" not in key  # the current wording names the line


def test_a_reworded_goal_continues_its_places_line_with_a_mark():
    svg = progress_chart(with_goals(WORK))
    xs = path_xs(svg, "goal-line-0")
    assert len(xs) == 11  # both wordings' scores, one line
    mark = element(svg, "goal-reworded-0")
    use = next(mark.iter(f"{SVG}use"))
    ors = dict(zip([1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12], path_xs(svg, "ors-line"), strict=True))
    assert ors[5] < float(use.get("x")) < ors[6]  # between the last old and first new score


def test_reached_and_dropped_goals_end_in_a_mark_of_their_own():
    dropped = GoalLine(3, (GoalWording("Ringe mamma", ((2, 5), (4, 3)), "dropped", D(2026, 2, 1)),))
    svg = client_chart(with_goals(SLEEP, dropped))
    found = ids(svg)
    assert {"goal-reached-0", "goal-dropped-1"} <= found
    assert "goal-reached-1" not in found and "goal-dropped-0" not in found
    assert "(lagt bort 01.02.2026)" in texts(svg)
    assert "goal-reached-0" not in ids(client_chart(with_goals(MOTHER)))


def test_the_places_differ_by_marker_and_dash_not_by_colour_alone():
    assert len({style.marker for style in STYLES.values()}) == 3
    assert len({str(style.dashes) for style in STYLES.values()}) == 3
    assert len({style.colour for style in STYLES.values()}) == 3


def test_the_client_chart_shows_goals_without_clinical_words():
    svg = client_chart(with_goals(*THREE))
    text = texts(svg)
    assert "Dine mål: hvor nær du er (0–10)" in text
    for word in ("Klientens mål", "Klinisk grense", "Utenfor forventet", "SRS"):
        assert word not in text


def test_on_a_phone_the_words_wrap_and_the_dates_go_before_the_words_do():
    helper = progress_chart(with_goals(*THREE), size="phone")
    lines = list(element(helper, "legend-goal-line-1-text").iter(f"{SVG}text"))
    assert [line.text for line in lines] == [
        "Mål 2: Gå på arbeidstrening tre",
        "dager i… (omformulert 04.02.2026)",
    ]
    client = texts(client_chart(with_goals(*THREE), size="phone"), "legend-goal-line-1-text")
    assert client.startswith("Mål 2: Gå på")
    assert "04.02.2026" not in client and "(omformulert)" in client


def test_shorten_cuts_at_a_word_with_an_ellipsis():
    assert shorten("Sove  bedre\nom natta", 40) == "Sove bedre om natta"
    assert shorten(LONG, 30) == "Gå på arbeidstrening tre…"
    assert len(shorten(LONG, 30)) <= 30
    assert shorten("Ordsammensetningsproblematikk", 10) == "Ordsammen…"


def test_the_key_fits_two_lines_of_the_width_it_is_given():
    text = key_text(WORK, GOAL_LABELS, 40)
    assert len(text.split("\n")) <= 2
    assert all(len(line) <= 40 for line in text.split("\n"))


@pytest.mark.parametrize("chart", [progress_chart, client_chart])
@pytest.mark.parametrize("fmt", ["svg", "png"])
def test_goal_charts_are_stable_bytes(chart, fmt):
    assert chart(with_goals(*THREE), fmt=fmt) == chart(with_goals(*THREE), fmt=fmt)


@pytest.mark.parametrize(
    "change",
    [
        lambda line: replace(line, wordings=(replace(line.wordings[0], points=((1, 2), (2, 4))),)),
        lambda line: replace(line, wordings=(replace(line.wordings[0], text="Sove mer"),)),
        lambda line: replace(
            line, wordings=(replace(line.wordings[0], status="dropped", status_on=D(2026, 2, 1)),)
        ),
        lambda line: replace(line, place=2),
    ],
)
def test_a_new_score_wording_status_or_place_changes_the_cache_key(change):
    line = GoalLine(1, (GoalWording("Sove bedre", ((1, 2), (2, 3))),))

    def key(goals):
        return chart_cache_key(
            progress_chart, with_goals(*goals), model_version="m", language="nb", fmt="svg"
        )

    assert key([line]) != key([change(line)])
    assert key([line]) != key([])
