"""Issue #17, part 2: the client rates the session on the tablet, writes what could be done
differently, gives the tablet back, and the helper reads it beside that session's score."""

import re

import pytest
from django.urls import reverse

from services.accounts.pin import set_pin
from services.comments.models import SessionComment

from .test_tablet import PIN, mark_every_line

pytestmark = pytest.mark.browser

WORDS = "Litt mer tid til å snakke om jobben"


def test_the_helper_reads_the_clients_comment_beside_the_score(
    tablet, live_server, episode, helper
):
    set_pin(helper, PIN)
    page = tablet.new_page()
    page.goto(live_server.url + reverse("clients:detail", args=[episode.client_id]))
    page.check("input[name=purpose][value=alliance]")
    page.click("button[name=method][value=tablet]")
    page.wait_for_url(re.compile(r"/nettbrett/$"))
    mark_every_line(page, ends=(0.8, 0.85, 0.9, 0.95))
    page.locator("[data-submit]").tap()
    page.wait_for_url(re.compile(r"/nettbrett/takk/$"))

    box = page.get_by_role("textbox", name=re.compile("annerledes|differently"))
    box.fill(WORDS)
    page.locator(".comment-form button").tap()
    page.wait_for_url(re.compile(r"/nettbrett/takk/$"))
    page.locator(".notice-ok").wait_for()
    assert SessionComment.objects.get().text == WORDS
    assert episode.client.code not in page.content()

    page.locator("a.button-primary").tap()
    page.wait_for_url(re.compile(r"/nettbrett/las-opp/$"))
    page.fill("input[name=pin]", PIN)
    page.locator("button.button-primary").tap()
    page.wait_for_url(re.compile(rf"/klienter/{episode.client_id}/"))
    sessions = page.locator("#sessions-heading ~ div table").inner_text()
    assert WORDS in sessions
