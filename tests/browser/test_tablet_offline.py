"""The tablet's pages work offline after the first visit (issue #15, item 2).

A reload while the network was gone showed the browser's error page: the client could neither
finish the form nor hand the tablet back. The tablet's service worker now keeps its pages; the
outbox still keeps and sends the answer, stored once.
"""

import re

import pytest
from django.urls import reverse

from services.ratings.models import Rating

from .test_tablet import go_offline, hand_over, mark_every_line, wait_for_saved_on_device

pytestmark = pytest.mark.browser

KEPT = "() => caches.open('tablet-pages').then(c => c.match('/nettbrett/las-opp/')).then(Boolean)"


def test_the_form_reloads_offline_and_the_answer_is_sent_once_when_back(
    tablet, live_server, episode
):
    page = tablet.new_page()
    hand_over(page, live_server, episode, greeting="Hei!")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.wait_for_function(KEPT)

    go_offline(tablet, page)
    assert page.reload().from_service_worker
    assert "Hei!" in page.content()
    assert page.locator("[role=slider]").count() == 4
    assert episode.client.code not in page.content()
    mark_every_line(page)
    page.locator("[data-submit]").tap()
    wait_for_saved_on_device(page)
    assert not Rating.objects.exists()

    # The way to hand the tablet back opens offline too, and says why the PIN must wait.
    page.get_by_role("link", name="For hjelperen").tap()
    page.wait_for_url(re.compile(r"/nettbrett/las-opp/$"))
    assert page.locator("h1").inner_text() == "For hjelperen"
    page.locator("button.button-primary").tap()
    offline = page.locator("[data-offline-text]").get_attribute("data-offline-text")
    page.locator(".notice-error").wait_for()
    assert page.locator(".notice-error").inner_text() == offline

    tablet.set_offline(False)  # the unlock page's outbox sends the answer
    page.wait_for_function("() => localStorage['feedback.outbox.v1'] === '{}'")
    assert Rating.objects.count() == 1
    page.goto(live_server.url + reverse("ratings:kiosk"))
    page.wait_for_url(re.compile(r"/nettbrett/takk/$"))
