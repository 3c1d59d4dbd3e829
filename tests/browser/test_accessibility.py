"""Universal design, checked in a real browser: axe-core on every page, keyboard-only use,
and layouts at 320 px and at 200 % zoom.

axe-core comes bundled in the axe-playwright-python package, so nothing is fetched at run time.
Serious and critical violations fail the test; the list names the page and the rule.
"""

import datetime
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from django.utils import timezone

from services.accounts.models import Role
from services.goals.models import Goal
from services.groups.keeping import end_of_day
from services.groups.models import Attendance, Group, Meeting, Member
from services.offers.models import Offer
from services.ratings import links
from services.ratings.handovers import prepare_handover
from tests.factories import (
    EpisodeFactory,
    MembershipFactory,
    RatingFactory,
    SessionFactory,
    UserFactory,
)

from .conftest import logged_in_context

pytestmark = pytest.mark.browser
AXE = Axe()
DESKTOP = {"viewport": {"width": 1280, "height": 900}}


@pytest.fixture
def caseload(service, helper):
    """A helper's episode with eight rated sessions, and an adult and a child form link."""
    episode = EpisodeFactory(client__service=service, client__code="K1", client__display_name="Ola")
    episode.helpers.add(helper)
    start = timezone.localdate() - datetime.timedelta(days=70)
    for number in range(1, 9):
        session = SessionFactory(
            episode=episode, number=number, date=start + datetime.timedelta(7 * number)
        )
        RatingFactory(session=session, score=14 + number)
        RatingFactory(session=session, key="srs", score=33 + number % 4)
    child = EpisodeFactory(client__service=service, client__code="B1", client__age_group="child")
    child.helpers.add(helper)
    tokens = [
        links.token_for(
            prepare_handover(e, method="link", purpose="outcome", greeting="Hei!", user=helper)
        )
        for e in (episode, child)
    ]
    return episode, tokens


def serious_violations(page) -> list[str]:
    # Colours are measured once transitions have ended: a button's focus or hover colour
    # measured halfway (Bootstrap fades them over 0.15 s) is neither state a person sees.
    page.evaluate("() => Promise.all(document.getAnimations().map(motion => motion.finished))")
    results = AXE.run(page).response
    return [
        f"{page.url} – {v['id']} ({v['impact']}): {v['help']} – "
        + "; ".join(node["target"][0] for node in v["nodes"][:3])
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def check_pages(context, live_server, paths) -> list[str]:
    page = context.new_page()
    found = []
    for path in paths:
        response = page.goto(live_server.url + path)
        assert response.status < 400, (path, response.status)
        found += serious_violations(page)
    page.close()
    return found


def test_staff_pages_have_no_serious_violations(browser, live_server, helper, caseload, service):
    episode, _ = caseload
    leader = UserFactory(username="leder")
    MembershipFactory(user=leader, service=service, role=Role.LEADER)
    admin = UserFactory(username="admin")
    MembershipFactory(user=admin, service=service, role=Role.ADMINISTRATOR)
    detail = reverse("clients:detail", args=[episode.client_id])
    episode_args = [episode.client_id, episode.pk]
    # Issue #17: the goals page with a goal in it, and the offers to tick.
    Goal.objects.create(
        episode=episode, position=1, text="Sove bedre", created_on=episode.start_date
    )
    Offer.objects.create(service=service, title="Selvhjelpsgruppe", kind="self_help")
    pages = {
        helper: [
            reverse("home"),
            reverse("clients:caseload"),
            detail,
            detail + "?view=client",
            detail + "?view=items",
            reverse("clients:show_client", args=[episode.client_id, episode.pk]),
            reverse("clients:new"),
            reverse("ratings:paper", args=[episode.client_id, episode.pk]),
            # Correcting an answer (issue #15), with the move section open on the own sessions.
            reverse(
                "ratings:correct",
                args=[
                    episode.client_id,
                    episode.sessions.get(number=8).ratings.get(purpose="outcome").pk,
                ],
            )
            + "?til=K1",
            reverse("clients:episode_changes", args=[episode.client_id, episode.pk]),
            reverse("accounts:pin"),
            reverse("dashboards:own_results"),  # issue #16
            reverse("two_factor_setup"),
            reverse("goals:goals", args=episode_args),
            reverse("offers:talked_about", args=episode_args),
        ],
        leader: [
            reverse("dashboards:index"),
            reverse("dashboards:service", args=[service.code]),
            reverse("comments:leader", args=[service.code]),
        ],
        admin: [
            reverse("offers:staff_list", args=[service.code]),
            reverse("offers:new", args=[service.code]),
            reverse("audit_log"),
            reverse("access_report", args=[episode.client_id]),
            reverse("privacy") + "?code=K1",
            reverse("erase_client", args=[episode.client_id]),
        ],
    }
    found = []
    for user, paths in pages.items():
        context = logged_in_context(browser, live_server, user, **DESKTOP)
        found += check_pages(context, live_server, paths)
        context.close()
    anonymous = browser.new_context(**DESKTOP)
    found += check_pages(anonymous, live_server, [reverse("login")])
    anonymous.close()
    assert found == []


@pytest.fixture
def group_pages(helper, service, caseload):
    """The group leader's pages (issue #18 part 3), for a group with a client member, two
    participants and one who left, and two meetings."""
    episode, _ = caseload
    group = Group.objects.create(
        service=service, name="Mestringskurs", kind="course", leader=helper
    )
    members = [
        Member.objects.create(group=group, episode=episode),
        Member.objects.create(group=group, label="Kari"),
        Member.objects.create(group=group, label="Per med et ganske langt kallenavn"),
    ]
    Member.objects.create(group=group, label="Ola", left_on=timezone.localdate())
    today = timezone.localdate()
    earlier = today - datetime.timedelta(days=7)
    Meeting.objects.create(group=group, number=1, date=earlier, open_until=end_of_day(earlier))
    meeting = Meeting.objects.create(
        group=group, number=2, date=today, open_until=end_of_day(today)
    )
    Attendance.objects.create(meeting=meeting, member=members[1])
    return [
        reverse("groups:index"),
        reverse("groups:new"),
        reverse("groups:detail", args=[group.pk]),
        reverse("groups:codes", args=[group.pk]),
        reverse("groups:meeting", args=[group.pk, meeting.pk]),
        reverse("groups:qr", args=[group.pk, meeting.pk]),
    ]


def test_group_pages_have_no_serious_violations(browser, live_server, helper, group_pages):
    context = logged_in_context(browser, live_server, helper, **DESKTOP)
    found = check_pages(context, live_server, group_pages)
    context.close()
    assert found == []


@pytest.mark.parametrize("width", [320, 640])
def test_group_pages_fit_narrow_screens(browser, live_server, helper, group_pages, width):
    context = logged_in_context(
        browser, live_server, helper, viewport={"width": width, "height": 800}
    )
    page = context.new_page()
    too_wide = []
    for path in group_pages:
        page.goto(live_server.url + path)
        scroll = page.evaluate("document.documentElement.scrollWidth")
        if scroll > width + 1:
            too_wide.append((path, scroll))
    context.close()
    assert too_wide == []


def test_leaving_and_ending_the_group_are_asked_first(browser, live_server, helper, group_pages):
    """Without a script (the CSP has none inline): "Has left the group" opens its question by
    keyboard, and "End the group" without the tick comes back with its message; both states
    pass axe and fit 320 px."""
    context = logged_in_context(
        browser, live_server, helper, viewport={"width": 320, "height": 800}
    )
    page = context.new_page()
    page.goto(live_server.url + group_pages[2])
    page.locator("details.member-left summary").first.focus()
    page.keyboard.press("Enter")
    assert page.locator("details.member-left[open] button[name=confirmed]").first.is_visible()
    assert serious_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 321
    with page.expect_response(lambda r: r.request.method == "POST") as sent:
        page.locator("form[action$='/avslutt/'] button[type=submit]").click()
    assert sent.value.status == 400
    assert page.locator("#close-confirmed.is-invalid").is_visible()
    assert page.locator("#close-confirmed-error").is_visible()
    assert serious_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 321
    context.close()


def test_client_forms_have_no_serious_violations(phone, live_server, caseload):
    _, tokens = caseload
    paths = [reverse("ratings:remote", args=[token]) for token in tokens]
    assert check_pages(phone, live_server, paths) == []


def test_the_caseload_works_with_the_keyboard_alone(browser, live_server, helper, caseload):
    context = logged_in_context(browser, live_server, helper, **DESKTOP)
    page = context.new_page()
    page.goto(live_server.url + reverse("clients:caseload"))
    reached = None
    for _ in range(30):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => [document.activeElement.textContent.trim(),"
            " getComputedStyle(document.activeElement).outlineStyle]"
        )
        if focused[0] == "K1":
            reached = focused
            break
    assert reached is not None, "the client link cannot be reached with Tab"
    assert reached[1] != "none", "the focused link has no visible outline"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/klienter/\d+/"))
    assert page.locator("h1").first.inner_text().startswith("K1")
    context.close()


def test_the_rating_form_works_with_the_keyboard_alone(phone, live_server, caseload):
    _, tokens = caseload
    page = phone.new_page()
    page.goto(live_server.url + reverse("ratings:remote", args=[tokens[0]]))
    sliders = page.locator("[role=slider]")
    assert sliders.count() == 4
    for index in range(4):
        page.keyboard.press("Tab")
        while page.evaluate("document.activeElement.getAttribute('role')") != "slider":
            page.keyboard.press("Tab")
        for _ in range(index + 3):
            page.keyboard.press("ArrowRight")
        label = page.evaluate(
            "() => document.getElementById("
            "document.activeElement.getAttribute('aria-labelledby').split(' ')[0]).textContent"
        )
        assert label.strip()
        assert page.evaluate("document.activeElement.getAttribute('aria-valuenow')") is not None
    submit = page.locator("[data-submit]")
    submit.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/takk/|/ferdig/|thanks", re.IGNORECASE), timeout=10000)


@pytest.mark.parametrize("width", [320, 640])
def test_pages_fit_narrow_screens_and_200_percent_zoom(
    browser, live_server, helper, caseload, width
):
    """320 CSS px is WCAG's reflow width; 640 px is a 1280 px screen at 200 % zoom."""
    episode, tokens = caseload
    context = logged_in_context(
        browser, live_server, helper, viewport={"width": width, "height": 800}
    )
    page = context.new_page()
    paths = [
        reverse("clients:caseload"),
        reverse("clients:detail", args=[episode.client_id]),
        reverse("clients:new"),
        reverse("ratings:remote", args=[tokens[0]]),
        reverse("dashboards:own_results"),  # issue #16
        reverse("goals:goals", args=[episode.client_id, episode.pk]),  # issue #17
        reverse("offers:talked_about", args=[episode.client_id, episode.pk]),
    ]
    Goal.objects.create(
        episode=episode, position=1, text="Klare å handle alene", created_on=episode.start_date
    )
    too_wide = []
    for path in paths:
        page.goto(live_server.url + path)
        scroll = page.evaluate("document.documentElement.scrollWidth")
        if scroll > width + 1:
            too_wide.append((path, scroll))
    context.close()
    assert too_wide == []
