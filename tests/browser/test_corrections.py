"""Corrections as a helper makes them on the tablet (issue #15, item 8): a wrong answer deleted
with a reason, and a forgotten session registered on its own date."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from services.ratings.models import Rating
from services.sessions.models import RatingCorrection
from tests.dashboards.test_facts import assert_facts_are_true
from tests.factories import RatingFactory, SessionFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def rated(episode):
    """Three weekly sessions, each with the client's ORS, the last three weeks ago."""
    start = timezone.localdate() - datetime.timedelta(days=35)
    episode.start_date = start
    episode.save()
    for number in (1, 2, 3):
        session = SessionFactory(
            episode=episode, number=number, date=start + datetime.timedelta(7 * (number - 1))
        )
        RatingFactory(session=session, score=12 + 4 * number)
    return episode


def client_page(tablet, live_server, episode):
    page = tablet.new_page()
    page.goto(live_server.url + reverse("clients:detail", args=[episode.client_id]))
    return page


def test_a_helper_deletes_a_wrong_answer_with_a_reason(tablet, live_server, rated):
    page = client_page(tablet, live_server, rated)
    page.get_by_role("link", name=re.compile("Rett opp svaret .* i samtale 3")).click()
    page.get_by_role("heading", name="Rett opp et svar").wait_for()
    page.get_by_text("Slett svaret", exact=True).first.click()
    page.get_by_label("Hvorfor rettes svaret?").last.fill("Svarte på vegne av en annen")
    page.get_by_role("button", name="Slett svaret").click()
    page.get_by_text("Svaret er slettet.").wait_for()
    history = page.locator("#corrections-heading + ul")
    assert "Svarte på vegne av en annen" in history.inner_text()
    assert "samtale 3 er slettet" in history.inner_text()
    assert page.get_by_role("link", name=re.compile("i samtale 3")).count() == 0
    assert not Rating.objects.filter(session__episode=rated, session__number=3).exists()
    assert RatingCorrection.objects.get().kind == "deleted"
    assert_facts_are_true()


def test_a_helper_registers_a_forgotten_session_on_its_date(tablet, live_server, rated):
    page = client_page(tablet, live_server, rated)
    page.get_by_role("link", name="Registrer en samtale på en tidligere dato").click()
    day = rated.start_date + datetime.timedelta(days=10)
    page.get_by_label("Dato for samtalen").fill(day.isoformat())
    page.get_by_role("button", name="Registrer samtalen").click()
    page.get_by_text(re.compile(r"Samtale 3 den .* er registrert\.")).wait_for()
    assert list(rated.sessions.order_by("number").values_list("number", "date"))[2] == (3, day)
    assert rated.sessions.count() == 4
