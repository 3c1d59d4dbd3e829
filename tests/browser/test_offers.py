"""The public offers page in a real browser (issue #17): axe-core clean on a phone and a desktop,
its language switch works, and the printed sheet keeps the QR code and drops the buttons."""

import pytest
from django.urls import reverse

from services.offers import demo

from .conftest import PHONE
from .test_accessibility import DESKTOP, serious_violations

pytestmark = pytest.mark.browser


@pytest.fixture
def listed(service):
    demo.seed(service)
    return reverse("offers:public", args=[service.code])


@pytest.mark.parametrize("device", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_public_list_has_no_serious_violations(browser, live_server, listed, device):
    context = browser.new_context(**device)
    page = context.new_page()
    page.goto(live_server.url + listed)
    assert page.locator(".offer").count() == len(demo.DEMO_OFFERS)
    found = serious_violations(page)
    page.emulate_media(media="print")
    found += serious_violations(page)
    context.close()
    assert not found, "\n".join(found)


def test_the_language_switch_shows_the_english_texts(browser, live_server, listed):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(live_server.url + listed)
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="Talk to a peer worker").is_visible()
    context.close()


def test_the_printed_sheet_keeps_the_qr_code_and_drops_the_buttons(browser, live_server, listed):
    context = browser.new_context(**DESKTOP)
    page = context.new_page()
    page.goto(live_server.url + listed)
    page.emulate_media(media="print")
    assert page.locator(".take-along-qr").is_visible()
    assert not page.locator("[data-print]").is_visible()
    assert not page.locator(".languages").is_visible()
    assert page.get_by_text("https://www.selvhjelp.no/").first.is_visible()
    context.close()
