"""A client member's group data is theirs (issue #18 part 3): in the client's export, gone with
an erasure."""

import uuid

import pytest

from services.clients.privacy import client_export, erase_client
from services.groups import turns
from services.groups.models import Attendance, GroupRating, Member, Turn

from .test_turns import GROUP_ITEMS, make_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered():
    meeting = make_meeting()
    turn = turns.open_turn(meeting, "ACDEF3", "phone")
    turns.record_group_answer(
        turn, submission_key=uuid.uuid4(), items=GROUP_ITEMS, instrument_key="gsrs"
    )
    return turn


def test_the_export_lists_the_groups_meetings_and_answers(answered):
    client = answered.member.episode.client
    (group,) = client_export(client)["groups"]
    assert (group["group"], group["kind"], group["meetings_attended"]) == (
        "Mestringskurs",
        "course",
        [answered.meeting.date.isoformat()],
    )
    (answer,) = group["group_form_answers"]
    assert (answer["total"], answer["form"], answer["items"]) == ("34.5", "gsrs v1", GROUP_ITEMS)


def test_erasing_the_client_takes_their_membership_and_answers(answered):
    erase_client(answered.member.episode.client)
    assert list(Member.objects.values_list("label", flat=True)) == ["Kari"]
    assert not GroupRating.objects.exists()
    assert not Attendance.objects.exists()
    assert not Turn.objects.exists()
