""" "Vis klienten" (issue #15 item 6): from the client page to the client's chart alone on the
screen, large, and back in one tap, with Escape, or with the browser's back button."""

import datetime
import re

import pytest
from django.urls import reverse

from tests.factories import RatingFactory, SessionFactory

pytestmark = pytest.mark.browser


def test_the_client_view_fills_the_screen_and_one_tap_escape_or_back_returns(
    tablet, live_server, episode
):
    for number, score in enumerate((12.5, 17.0, 21.4), start=1):
        session = SessionFactory(
            episode=episode, number=number, date=datetime.date(2026, 1, 5 + 7 * number)
        )
        RatingFactory(session=session, score=score)
    client_page = reverse("clients:detail", args=[episode.client_id])
    detail = re.compile(re.escape(client_page) + r"(\?.*)?$")
    shown = reverse("clients:show_client", args=[episode.client_id, episode.pk])
    page = tablet.new_page()
    page.goto(live_server.url + client_page)

    page.locator(f'a[href="{shown}"]').click()
    page.wait_for_url(f"**{shown}")
    assert page.locator("nav, table, header, form").count() == 0
    chart = page.locator("[role=img]:visible svg")
    assert chart.count() == 1
    box = chart.bounding_box()
    assert box["width"] >= 0.9 * 800 or box["height"] >= 0.8 * 1280, box
    back = page.locator("[data-back]")
    assert float(back.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) >= 20
    assert back.bounding_box()["height"] >= 44

    page.keyboard.press("Escape")
    page.wait_for_url(detail)
    page.go_forward()
    page.wait_for_url(f"**{shown}")
    back.click()
    page.wait_for_url(detail)
    page.go_forward()
    page.wait_for_url(f"**{shown}")
    page.go_back()
    page.wait_for_url(detail)

    page.goto(live_server.url + shown)  # opened directly: Escape still leads to the client page
    page.keyboard.press("Escape")
    page.wait_for_url(detail)
    page.close()
