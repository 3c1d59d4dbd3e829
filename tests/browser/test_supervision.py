"""Supervision and signal follow-up in the browser (issue #16, items 7 and 8).

A supervisor picks a helper, sees the helper's client below the expected range with the chart,
and notes the client as discussed; the helper sees the note on the client's page and marks the
signal as talked about with the client; the leader's dashboard counts it. Screenshots of each
step, desktop and phone, go to /tmp/shots/ (SHOTS) to be looked at.
"""

import datetime
import os
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from services.accounts.models import Role
from services.supervision.models import Discussion, SignalFollowUp, SupervisorGrant
from tests.factories import (
    EpisodeFactory,
    MembershipFactory,
    RatingFactory,
    SessionFactory,
    UserFactory,
)

from .conftest import PHONE, logged_in_context
from .test_accessibility import serious_violations

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("SHOTS", "/tmp/shots"))
DESKTOP = {"viewport": {"width": 1366, "height": 900}}


def weekly(helper, service, team, code, scores, weeks_ago):
    """An open episode with one weekly session per score, the first `weeks_ago` weeks back."""
    start = timezone.localdate() - datetime.timedelta(weeks=weeks_ago)
    episode = EpisodeFactory(
        client__service=service,
        client__code=code,
        client__display_name="Kari Nordmann",
        team=team,
        start_date=start,
    )
    episode.helpers.add(helper)
    for number, score in enumerate(scores, start=1):
        session = SessionFactory(
            episode=episode,
            number=number,
            date=start + datetime.timedelta(weeks=number - 1),
            helper=helper,
        )
        RatingFactory(session=session, score=score)
        RatingFactory(session=session, key="srs", score=38)
    return episode


@pytest.fixture
def supervised(service, team, helper):
    """The helper's client who came below the expected range at the latest session, and five
    other clients (of a colleague) whose signals are decided, three of them followed up."""
    low = weekly(helper, service, team, "K-LAV", [20, 20, 16], weeks_ago=3)
    colleague = UserFactory(username="hjelper2", first_name="Ali", last_name="Hassan")
    MembershipFactory(user=colleague, service=service, role=Role.HELPER, team=team)
    for number in range(5):
        episode = weekly(colleague, service, team, f"K-{number}", [20, 20, 16, 16, 16], 6)
        if number < 3:
            SignalFollowUp.objects.create(
                episode=episode,
                service=service,
                signal="off_track",
                session=episode.sessions.get(number=3),
            )
    supervisor = UserFactory(username="veileder", first_name="Vera", last_name="Veileder")
    MembershipFactory(user=supervisor, service=service, role=Role.HELPER)
    SupervisorGrant.objects.create(service=service, user=supervisor)
    leader = UserFactory(username="leder", first_name="Lene", last_name="Leder")
    MembershipFactory(user=leader, service=service, role=Role.LEADER)
    return low, supervisor, leader


def charts_loaded(page) -> None:
    page.wait_for_function(
        "() => [...document.querySelectorAll('.supervision-chart img')]"
        ".every(img => img.complete && img.naturalWidth > 0)",
        timeout=60_000,
    )


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"supervision_{name}.png"), full_page=True)


def test_supervision_follow_up_and_the_dashboard_figure(
    browser, live_server, service, helper, supervised
):
    low, supervisor, leader = supervised
    # The supervisor picks the helper and sees the client by code, with the chart.
    context = logged_in_context(browser, live_server, supervisor, **DESKTOP)
    page = context.new_page()
    page.goto(live_server.url + "/")
    page.locator(f"a[href='{reverse('supervision:index')}']").click()
    page.locator(
        f"a[href='{reverse('supervision:helper', args=[service.code, helper.pk])}']"
    ).click()
    section = page.locator(f"#client-{low.pk}")
    section.wait_for()
    assert "K-LAV" in section.inner_text()
    assert "Kari Nordmann" not in page.content().replace(str(helper), "")
    assert section.locator(".badge.signal-off_track").count() == 1
    charts_loaded(page)
    assert serious_violations(page) == []
    shoot(page, "helper_page_desktop")
    # ... and notes it as discussed, with a note.
    section.locator("textarea[name=note]").fill("Snakk om hva som har skjedd siden sist")
    section.locator("button[type=submit]").click()
    page.locator(".alert").first.wait_for()
    assert (
        "Snakk om hva som har skjedd siden sist" in page.locator(f"#client-{low.pk}").inner_text()
    )
    assert Discussion.objects.get().supervisor == supervisor
    context.close()

    phone = logged_in_context(browser, live_server, supervisor, **PHONE)
    page = phone.new_page()
    page.goto(live_server.url + reverse("supervision:helper", args=[service.code, helper.pk]))
    charts_loaded(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shoot(page, "helper_page_phone")
    phone.close()

    # The helper sees the discussion on the client page and marks the signal talked about.
    client_page = live_server.url + reverse("clients:detail", args=[low.client_id])
    context = logged_in_context(browser, live_server, helper, **DESKTOP)
    page = context.new_page()
    page.goto(client_page)
    notes = page.locator(".supervision-note-list")
    assert "Snakk om hva som har skjedd siden sist" in notes.inner_text()
    assert timezone.localdate().strftime("%d.%m.%Y") in notes.inner_text()
    form = page.locator("form.follow-up-form[data-signal=off_track]")
    form.locator("input[name=note]").fill("Vi snakket om det")
    form.locator("button").click()
    page.locator(".follow-up-done[data-signal=off_track]").wait_for()
    assert "Vi snakket om det" in page.locator(".supervision-note-list").inner_text()
    assert serious_violations(page) == []
    shoot(page, "client_page_desktop")
    context.close()
    phone = logged_in_context(browser, live_server, helper, **PHONE)
    page = phone.new_page()
    page.goto(client_page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shoot(page, "client_page_phone")
    phone.close()
    assert SignalFollowUp.objects.filter(episode=low, session__number=3).exists()

    # The leader's dashboard: 4 of the 6 decided signals were followed up in time.
    for name, options in (("desktop", DESKTOP), ("phone", PHONE)):
        context = logged_in_context(browser, live_server, leader, **options)
        page = context.new_page()
        page.goto(live_server.url + reverse("dashboards:service", args=[service.code]))
        figure = page.locator("#followed-up .followed-up-figure")
        text = figure.inner_text()
        assert re.findall(r"\d+", text)[:2] == ["6", "4"], text
        assert re.search(r"66[,.]7\s*%", text), text
        page.locator("#followed-up").scroll_into_view_if_needed()
        shoot(page, f"dashboard_{name}")
        page.locator("#followed-up").screenshot(path=str(SHOTS / f"supervision_figure_{name}.png"))
        context.close()
