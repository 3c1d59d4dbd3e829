"""The suggestion box in a real browser (issue #18): a note written on a phone, tagged and
answered by the leader, shown with its reply on the public page; axe-core clean on the public
page (empty, with a warning, with replies) and on the readers' pages; the public page fits a
320 px screen."""

import pytest
from django.urls import reverse

from services.accounts.models import Role
from services.suggestions import demo
from services.suggestions.models import Note, Theme
from tests.factories import MembershipFactory, UserFactory

from .conftest import PHONE, logged_in_context
from .test_accessibility import DESKTOP, check_pages, serious_violations

pytestmark = pytest.mark.browser


@pytest.fixture
def leader(service):
    user = UserFactory(username="leder")
    MembershipFactory(user=user, service=service, role=Role.LEADER)
    return user


@pytest.fixture
def council(service):
    user = UserFactory(username="brukerrad")
    MembershipFactory(user=user, service=service, role=Role.COUNCIL)
    return user


def test_a_note_from_a_phone_is_answered_and_shown_publicly(browser, live_server, service, leader):
    theme = Theme.objects.create(service=service, name="Mat og kaffe", order=1)
    public = live_server.url + reverse("suggestions:public", args=[service.code])
    phone = browser.new_context(**PHONE)
    page = phone.new_page()
    page.goto(public)
    page.locator("#note-text").fill("Kaffen er kald om ettermiddagen.")
    page.locator("button[type=submit]").first.click()
    page.wait_for_url("**sendt=1")
    assert page.locator(".notice-ok").is_visible()
    assert {cookie["name"] for cookie in phone.cookies()} <= {"csrftoken"}
    written = Note.objects.get()
    assert written.text == "Kaffen er kald om ettermiddagen."

    desk = logged_in_context(browser, live_server, leader, **DESKTOP)
    staff = desk.new_page()
    staff.goto(live_server.url + reverse("suggestions:staff_list", args=[service.code]))
    card = staff.locator(f"#note-{written.pk}")
    card.locator("select[name=theme]").select_option(str(theme.pk))
    card.locator("form", has=staff.locator("select")).locator("button").click()
    staff.wait_for_load_state()
    card = staff.locator(f"#note-{written.pk}")
    card.locator("textarea").fill("Nå lager vi ny kaffe kl. 13.30 hver dag.")
    card.locator("input[type=checkbox]").check()
    card.locator("form", has=staff.locator("textarea")).locator("button").click()
    staff.wait_for_load_state()
    assert staff.locator(".alert-success").is_visible()
    desk.close()
    written.refresh_from_db()
    assert (written.theme, written.reply_public) == (theme, True)

    page.goto(public)
    replies = page.locator(".suggestion-reply")
    assert replies.count() == 1
    assert "Kaffen er kald om ettermiddagen." in replies.inner_text()
    assert "Nå lager vi ny kaffe kl. 13.30 hver dag." in replies.inner_text()
    phone.close()


def test_a_note_that_looks_personal_asks_before_it_is_sent(browser, live_server, service):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(live_server.url + reverse("suggestions:public", args=[service.code]))
    page.locator("#note-text").fill("Ring meg på 912 34 567")
    page.locator("button[type=submit]").first.click()
    page.wait_for_load_state()
    assert page.locator("#note-check").is_visible()
    found = serious_violations(page)
    page.locator("button[name=confirmed]").click()
    page.wait_for_url("**sendt=1")
    context.close()
    assert Note.objects.get().text == "Ring meg på 912 34 567"
    assert not found, "\n".join(found)


@pytest.mark.parametrize("device", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_public_pages_have_no_serious_violations(browser, live_server, service, device):
    demo.seed(service, seed=5)
    context = browser.new_context(**device)
    paths = [
        reverse("suggestions:public", args=[service.code]),
        reverse("suggestions:place", args=[service.code, "dagsenteret"]) + "?lang=nn",
    ]
    found = check_pages(context, live_server, paths)
    context.close()
    assert not found, "\n".join(found)


def test_the_readers_pages_have_no_serious_violations(
    browser, live_server, service, leader, council
):
    demo.seed(service, seed=5)
    note = Note.objects.filter(service=service).first()
    pages = {
        leader: [
            reverse("suggestions:staff_list", args=[service.code]),
            reverse("suggestions:staff_list", args=[service.code]) + "?spam=1",
            reverse("suggestions:themes", args=[service.code]),
            reverse("dashboards:service", args=[service.code]),
        ],
        council: [
            reverse("suggestions:staff_list", args=[service.code]),
            reverse("suggestions:note", args=[service.code, note.pk]),
        ],
    }
    found = []
    for user, paths in pages.items():
        context = logged_in_context(browser, live_server, user, **DESKTOP)
        found += check_pages(context, live_server, paths)
        context.close()
    assert not found, "\n".join(found)


@pytest.mark.parametrize("width", [320, 640])
def test_the_public_page_and_the_list_fit_narrow_screens(
    browser, live_server, service, leader, width
):
    demo.seed(service, seed=5)
    context = logged_in_context(
        browser, live_server, leader, viewport={"width": width, "height": 800}
    )
    page = context.new_page()
    too_wide = []
    for path in (
        reverse("suggestions:public", args=[service.code]),
        reverse("suggestions:staff_list", args=[service.code]),
    ):
        page.goto(live_server.url + path)
        scroll = page.evaluate("document.documentElement.scrollWidth")
        if scroll > width + 1:
            too_wide.append((path, scroll))
    context.close()
    assert too_wide == []
