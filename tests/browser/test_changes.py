"""Issue #18, the "vi gjorde" end of the loop: a note in the suggestion box has a theme; the
leader starts an entry from that theme, writes what the service did and publishes it; on a
phone, anyone reads it at the public address, and the client sees it after the form. axe-core
finds nothing serious on the public page, the thank-you page or the leader's pages, and the
public page fits a 320 px screen."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from services.changes.models import ChangeMade, Source
from services.ratings import links
from services.ratings.handovers import prepare_handover
from services.ratings.models import Handover
from services.suggestions.models import Note, Theme

from .conftest import PHONE, logged_in_context
from .test_accessibility import DESKTOP, serious_violations

pytestmark = pytest.mark.browser

SAID = "Vanskelig å få time etter arbeid"
DID = "Åpent til kl. 19 på tirsdager"


@pytest.fixture
def theme(service):
    theme = Theme.objects.create(service=service, name="Åpningstider")
    Note.objects.create(
        service=service,
        text="Kan dere ha åpent om kvelden? Jeg jobber til fire.",
        received_on=timezone.localdate() - datetime.timedelta(days=14),
        theme=theme,
    )
    return theme


def test_a_leader_publishes_what_was_done_and_a_phone_reads_it(
    browser, live_server, leader, service, theme, episode, helper
):
    found = []
    staff = logged_in_context(browser, live_server, leader, **DESKTOP)
    page = staff.new_page()
    page.goto(live_server.url + reverse("changes:staff_list", args=[service.code]))
    found += serious_violations(page)
    page.get_by_label(re.compile("suggestion box|forslagskassen", re.I)).select_option(
        str(theme.pk)
    )
    page.locator("main form[method=get] button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/vi-gjorde/ny/\?tema={theme.pk}$"))
    assert page.locator("#id_theme").input_value() == str(theme.pk)
    assert page.locator("#id_source").input_value() == Source.SUGGESTIONS
    found += serious_violations(page)
    page.fill("#id_said", SAID)
    page.fill("#id_did", DID)
    page.fill("#id_changed_on", "2026-03-01")
    page.locator("main form[method=post] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/vi-gjorde/$"))
    entry = ChangeMade.objects.get()
    assert (entry.theme, entry.created_by, entry.published) == (theme, leader, False)

    page.locator(f"form[action$='/{entry.pk}/publiser/'] button").click()
    page.wait_for_url(re.compile(r"/vi-gjorde/$"))
    assert ChangeMade.objects.get().published
    found += serious_violations(page)
    page.goto(live_server.url + reverse("changes:edit", args=[service.code, entry.pk]))
    found += serious_violations(page)
    staff.close()

    phone = browser.new_context(**PHONE)
    page = phone.new_page()
    page.goto(live_server.url + reverse("changes:public", args=[service.code]))
    assert page.get_by_text(DID).is_visible()
    assert page.get_by_text(SAID).is_visible()
    assert page.get_by_role("heading", level=2).first.inner_text().startswith("Mars 2026")
    found += serious_violations(page)

    # The client's thank-you page on the phone: the newest entry and the way to all of them.
    handover = prepare_handover(episode, method="link", purpose="outcome", user=helper)
    Handover.objects.filter(pk=handover.pk).update(used_at=timezone.now())
    page.goto(live_server.url + reverse("ratings:remote_thanks", args=[links.token_for(handover)]))
    assert page.locator(".client-change").get_by_text(DID).is_visible()
    found += serious_violations(page)
    page.locator(".change-more a").click()
    page.wait_for_url(re.compile(r"/dere-sa-vi-gjorde/oslo/$"))
    phone.close()
    assert not found, "\n".join(found)


def test_the_public_page_switches_language_and_fits_a_narrow_screen(browser, live_server, service):
    ChangeMade.objects.create(
        service=service,
        said=SAID,
        did=DID,
        did_en="Open until 7 pm on Tuesdays",
        changed_on=datetime.date(2026, 3, 1),
        published=True,
        published_on=datetime.date(2026, 3, 1),
    )
    context = browser.new_context(viewport={"width": 320, "height": 800})
    page = context.new_page()
    page.goto(live_server.url + reverse("changes:public", args=[service.code]))
    assert page.evaluate("document.documentElement.scrollWidth") <= 321
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_text("Open until 7 pm on Tuesdays").is_visible()
    assert page.get_by_text("March 2026").is_visible()
    found = serious_violations(page)
    context.close()
    assert not found, "\n".join(found)
