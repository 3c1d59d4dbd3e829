"""Issue #17, part 1: after the "how has life been" form the client marks, on the tablet and on
their own phone, how close they are to each of their goals, and each score arrives once."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from services.goals.models import Goal, GoalRating

from .test_accessibility import serious_violations
from .test_tablet import hand_over, mark_every_line

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots")
GOALS = ("Sove bedre om natta", "Klare å handle alene på butikken")


@pytest.fixture
def goals(episode):
    return [
        Goal.objects.create(
            episode=episode, position=place, text=text, created_on=episode.start_date
        )
        for place, text in enumerate(GOALS, start=1)
    ]


def choose(page, goal_text: str, number: int) -> None:
    group = page.get_by_role("group", name=goal_text)
    group.get_by_role("radio", name=re.compile(rf"^{number}\b")).tap()
    assert group.get_by_role("radio", name=re.compile(rf"^{number}\b")).is_checked()


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"h1_{name}.png"), full_page=True)


def test_the_client_scores_both_goals_on_the_tablet(tablet, live_server, episode, goals):
    page = tablet.new_page()
    page.set_viewport_size({"width": 1024, "height": 768})
    hand_over(page, live_server, episode)
    mark_every_line(page)
    page.locator("[data-submit]").tap()
    page.wait_for_url(re.compile(r"/nettbrett/takk/$"))

    question = page.locator(".goals-form")
    question.wait_for()
    assert episode.client.code not in page.content()
    assert serious_violations(page) == []
    shoot(page, "tablet_question")
    choose(page, GOALS[0], 3)
    choose(page, GOALS[1], 7)
    choose(page, GOALS[0], 4)  # changed the mind: one choice per goal
    shoot(page, "tablet_chosen")
    send = question.locator("button[type=submit]")
    send.tap()
    page.locator(".notice-ok").wait_for()
    assert page.locator(".goals-form").count() == 0
    assert serious_violations(page) == []
    shoot(page, "tablet_sent")

    scores = GoalRating.objects.order_by("goal__position")
    assert [(r.goal.text, r.score, r.method) for r in scores] == [
        (GOALS[0], 4, "tablet"),
        (GOALS[1], 7, "tablet"),
    ]
    assert {r.session_id for r in scores} == {episode.sessions.get().pk}


def test_a_double_tap_stores_each_goal_once(tablet, live_server, episode, goals):
    page = tablet.new_page()
    hand_over(page, live_server, episode)
    mark_every_line(page)
    page.locator("[data-submit]").tap()
    page.wait_for_url(re.compile(r"/nettbrett/takk/$"))
    choose(page, GOALS[0], 0)
    choose(page, GOALS[1], 10)
    page.locator(".goals-form button[type=submit]").dblclick()
    page.locator(".notice-ok").wait_for()
    assert page.locator(".notice-error").count() == 0
    assert GoalRating.objects.count() == 2


def test_a_goal_left_out_is_said_and_skipping_leaves_the_question(
    tablet, live_server, episode, goals
):
    page = tablet.new_page()
    hand_over(page, live_server, episode)
    mark_every_line(page)
    page.locator("[data-submit]").tap()
    page.wait_for_url(re.compile(r"/nettbrett/takk/$"))
    choose(page, GOALS[1], 6)
    page.locator(".goals-form button[type=submit]").tap()
    page.locator(".goal-error").wait_for()
    assert page.get_by_role("group", name=GOALS[1]).get_by_role("radio", name="6").is_checked()
    assert serious_violations(page) == []
    shoot(page, "tablet_error")
    page.locator(".goals-skip").tap()
    page.wait_for_url(re.compile(r"/nettbrett/takk/\?mal=hopp-over$"))
    assert page.locator(".goals-form").count() == 0
    assert page.locator("a.button-primary").is_visible()  # give the tablet back
    assert not GoalRating.objects.exists()


def test_the_client_scores_the_goals_on_their_phone(tablet, phone, live_server, episode, goals):
    staff_page = tablet.new_page()
    staff_page.goto(live_server.url + reverse("clients:detail", args=[episode.client_id]))
    staff_page.click("button[name=method][value=link]")
    staff_page.wait_for_url(re.compile(r"/lenke/\d+/$"))
    url = staff_page.locator("#link-url").input_value()

    page = phone.new_page()
    page.goto(url)
    mark_every_line(page)
    page.locator("[data-submit]").tap()
    page.wait_for_url(re.compile(r"/takk/$"))
    page.locator(".goals-form").wait_for()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # no sideways scrolling on the phone
    assert serious_violations(page) == []
    shoot(page, "phone_question")
    choose(page, GOALS[0], 2)
    choose(page, GOALS[1], 9)
    page.locator(".goals-form button[type=submit]").tap()
    page.locator(".notice-ok").wait_for()
    shoot(page, "phone_sent")
    assert sorted(GoalRating.objects.values_list("score", "method")) == [
        (2, "tablet"),
        (9, "tablet"),
    ]
