"""Issue #18 part 3, done means: a group meeting where three phones rate through the group's QR
code, each answer stored once, and a code used a second time refused."""

import datetime
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from services.groups.models import Group, GroupRating, Meeting, Member, Turn
from services.ratings.models import Rating
from services.sessions.models import SessionKind

from .conftest import PHONE, TABLET, logged_in_context
from .test_accessibility import serious_violations
from .test_tablet import mark_every_line

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/screens")
CODES = {"client": "ACDEF3", "kari": "GHJKM4", "ola": "PQRTU6"}


@pytest.fixture
def meeting(helper, episode):
    group = Group.objects.create(
        service=episode.service, name="Mestringskurs", kind="course", leader=helper
    )
    today = timezone.localdate()
    Member.objects.create(group=group, episode=episode, code=CODES["client"], joined_on=today)
    Member.objects.create(group=group, label="Kari", code=CODES["kari"], joined_on=today)
    Member.objects.create(group=group, label="Ola", code=CODES["ola"], joined_on=today)
    return Meeting.objects.create(
        group=group, number=1, date=today, open_until=timezone.now() + datetime.timedelta(hours=2)
    )


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"group_{name}.png"), full_page=True)


def send(page) -> None:
    page.locator("[data-submit]").click()


def answer_on_a_phone(browser, url: str, code: str, *, client_member: bool, name: str) -> None:
    context = browser.new_context(**PHONE)
    page = context.new_page()
    try:
        page.goto(url)
        assert serious_violations(page) == []
        page.get_by_label(re.compile("personal code|personlige kode", re.I)).fill(code.lower())
        page.get_by_role("button", name=re.compile("Start")).click()
        if client_member:
            page.wait_for_selector("input[name=instrument][value=ors]", state="attached")
            mark_every_line(page)
            send(page)
        page.wait_for_selector("input[name=instrument][value=gsrs]", state="attached")
        assert serious_violations(page) == []
        shoot(page, f"form_{name}")
        mark_every_line(page)
        send(page)
        page.wait_for_url(re.compile(r"/takk/$"))
        assert serious_violations(page) == []
        shoot(page, f"thanks_{name}")
    finally:
        context.close()


def test_three_phones_rate_through_the_group_qr_code(browser, tablet, live_server, meeting):
    leader = tablet.new_page()
    meeting_page = reverse("groups:meeting", args=[meeting.group_id, meeting.pk])
    leader.goto(live_server.url + meeting_page)
    shown = leader.get_by_text(re.compile(r"/gruppe/[0-9a-f-]{36}/")).first.inner_text()
    url = re.search(r"https?://\S+/gruppe/[0-9a-f-]{36}/", shown).group(0)
    assert url.endswith(reverse("groups:join", args=[meeting.token]))
    url = live_server.url + reverse("groups:join", args=[meeting.token])

    answer_on_a_phone(browser, url, CODES["client"], client_member=True, name="client")
    answer_on_a_phone(browser, url, CODES["kari"], client_member=False, name="kari")
    answer_on_a_phone(browser, url, CODES["ola"], client_member=False, name="ola")

    assert GroupRating.objects.filter(meeting=meeting).count() == 3
    assert Turn.objects.filter(meeting=meeting).count() == 3
    outcome = Rating.objects.get()
    assert (outcome.purpose, outcome.session.kind) == ("outcome", SessionKind.GROUP)

    again = browser.new_context(**PHONE)
    page = again.new_page()
    page.goto(url)
    page.get_by_label(re.compile("personal code|personlige kode", re.I)).fill(CODES["kari"])
    with page.expect_response(lambda r: r.request.method == "POST") as refused:
        page.get_by_role("button", name=re.compile("Start")).click()
    assert refused.value.status == 409
    assert page.get_by_role("alert").is_visible()
    shoot(page, "reused_code")
    again.close()
    assert GroupRating.objects.filter(meeting=meeting).count() == 3

    leader.reload()
    shoot(leader, "leader_meeting")


def answer_in_turn(page, *, client_member: bool) -> None:
    if client_member:
        page.wait_for_selector("input[name=instrument][value=ors]", state="attached")
        mark_every_line(page)
        send(page)
    page.wait_for_selector("input[name=instrument][value=gsrs]", state="attached")
    mark_every_line(page)
    send(page)
    page.wait_for_url(re.compile(r"/takk/$"))


def test_the_tablet_passed_round_takes_one_member_after_another(
    browser, live_server, helper, meeting
):
    """The leader starts the round on their tablet: logged out there first, then each member
    types their code, answers and passes it on; no staff page is within reach meanwhile."""
    context = logged_in_context(browser, live_server, helper, **TABLET)
    page = context.new_page()
    try:
        page.goto(live_server.url + reverse("groups:meeting", args=[meeting.group_id, meeting.pk]))
        page.get_by_role("button", name=re.compile("tablet round|nettbrettet rundt", re.I)).click()
        page.wait_for_url(re.compile(r"/gruppe/[0-9a-f-]{36}/$"))
        for code, client_member in ((CODES["client"], True), (CODES["kari"], False)):
            page.get_by_label(re.compile("personal code|personlige kode", re.I)).fill(code)
            page.get_by_role("button", name=re.compile("Start")).click()
            answer_in_turn(page, client_member=client_member)
            assert serious_violations(page) == []
            shoot(page, f"round_thanks_{code}")
            page.get_by_role("link", name=re.compile("Next person|Neste person")).click()
            page.wait_for_url(re.compile(r"/gruppe/[0-9a-f-]{36}/$"))
        assert set(GroupRating.objects.values_list("method", flat=True)) == {"tablet"}
        assert GroupRating.objects.count() == 2
        page.goto(live_server.url + reverse("groups:index"))
        assert "/logg-inn/" in page.url  # the leader's pages need the leader again
    finally:
        context.close()
