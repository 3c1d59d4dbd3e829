"""The caseload on a phone (issue #15, item 7): at 390 px its signal column was off-screen and a
hidden element made the page 584 px wide. Each client is a card there; tablets and desktops keep
the table."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import EpisodeFactory, RatingFactory, SessionFactory

from .conftest import PHONE, logged_in_context
from .test_accessibility import serious_violations

pytestmark = pytest.mark.browser


@pytest.fixture
def caseload(service, helper):
    """A client who is getting worse (signals with long explanations), one who is fine (no
    signals: only a hidden "no signals" text), and one without ratings yet."""
    start = timezone.localdate() - datetime.timedelta(days=40)
    for code, name, scores in [
        ("K1", "Kari Nordmann-Haugen", (24, 21, 17, 12)),
        ("K2", "Ola", (18, 21, 25, 28)),
        ("K3", "", ()),
    ]:
        episode = EpisodeFactory(
            client__service=service, client__code=code, client__display_name=name
        )
        episode.helpers.add(helper)
        for number, score in enumerate(scores, 1):
            session = SessionFactory(
                episode=episode, number=number, date=start + datetime.timedelta(7 * number)
            )
            RatingFactory(session=session, score=score)
            RatingFactory(session=session, key="srs", score=38 if code == "K2" else 30)


def open_caseload(browser, live_server, helper, **options):
    context = logged_in_context(browser, live_server, helper, **options)
    page = context.new_page()
    page.goto(live_server.url + reverse("clients:caseload"))
    return context, page


def test_on_a_phone_every_signal_is_on_screen_without_sideways_scrolling(
    browser, live_server, helper, caseload
):
    context, page = open_caseload(browser, live_server, helper, **PHONE)
    assert page.locator(".caseload .visually-hidden").count() >= 1  # a row without signals
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    badges = page.locator(".caseload .badge.signal")
    assert badges.count() >= 2
    for index in range(badges.count()):
        box = badges.nth(index).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, box
    # The figures stay, each with its heading beside it, since the table head is not shown.
    labels = page.evaluate(
        """() => [...document.querySelector('.caseload tbody tr').cells]
            .filter(cell => cell.offsetParent !== null && cell.dataset.label)
            .map(cell => getComputedStyle(cell, '::before').content)"""
    )
    assert '"Siste ORS"' in labels and '"Endring"' in labels and '"Siste SRS"' in labels
    assert page.locator(".caseload thead").is_hidden()
    assert serious_violations(page) == []
    context.close()


def test_a_tablet_keeps_the_table(browser, live_server, helper, caseload):
    tablet = {"viewport": {"width": 1024, "height": 768}}
    context, page = open_caseload(browser, live_server, helper, **tablet)
    assert page.locator(".caseload thead").is_visible()
    assert page.evaluate("getComputedStyle(document.querySelector('.caseload tr')).display") == (
        "table-row"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 1024
    context.close()
