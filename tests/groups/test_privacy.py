"""A client member's group data is theirs (issue #18 part 3): in the client's export, gone with
an erasure. A participant who is not a client loses their name to retention."""

import datetime
import re
import uuid

import pytest
from django.core.management import call_command

from services.audit.models import AuditEvent
from services.clients.privacy import apply_retention, client_export, erase_client
from services.groups import turns
from services.groups.models import Attendance, GroupRating, Member, Turn
from tests.factories import (
    EpisodeFactory,
    GroupFactory,
    GroupRatingFactory,
    MeetingFactory,
    MemberFactory,
    ServiceFactory,
)

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


# Retention: participants who are not clients.

TODAY = datetime.date(2026, 11, 23)  # five years' retention: groups ended before 23.11.2021


@pytest.fixture
def old_groups(service):
    """A group that ended before the retention period, one that ended inside it, an open one,
    and another service's old group."""
    ended = {
        "old": GroupFactory(service=service, closed_on=datetime.date(2021, 11, 22)),
        "recent": GroupFactory(service=service, closed_on=datetime.date(2021, 11, 23)),
        "open": GroupFactory(service=service),
        "elsewhere": GroupFactory(
            service=ServiceFactory(code="annen"), closed_on=datetime.date(2015, 1, 1)
        ),
    }
    for key, group in ended.items():
        MemberFactory(group=group, label=f"Kari {key}")
    client = EpisodeFactory(client__service=service, start_date=datetime.date(2020, 1, 1))
    member = MemberFactory(group=ended["old"], episode=client)
    meeting = MeetingFactory(group=ended["old"], date=datetime.date(2021, 3, 2))
    GroupRatingFactory(meeting=meeting, member=ended["old"].members.get(label="Kari old"))
    GroupRatingFactory(meeting=meeting, member=member)
    return ended


def labels() -> set[str]:
    return set(Member.objects.values_list("label", flat=True))


@pytest.mark.parametrize("delete", [False, True])
def test_retention_forgets_the_names_of_participants_in_groups_ended_long_ago(
    service, old_groups, delete
):
    kari = old_groups["old"].members.get(label="Kari old")
    result = apply_retention(service, TODAY, delete=delete)
    assert result.forgotten_participants == 1
    assert labels() == {f"#{kari.pk}", "Kari recent", "Kari open", "Kari elsewhere", ""}
    assert GroupRating.objects.count() == 2  # the answers stay, naming no one now
    assert AuditEvent.objects.filter(
        service_id=service.pk,
        actor="retention",
        detail="retention: 1 group participant name(s) forgotten",
    ).exists()
    again = apply_retention(service, TODAY, delete=delete)
    assert again.forgotten_participants == 0
    assert labels() == {f"#{kari.pk}", "Kari recent", "Kari open", "Kari elsewhere", ""}


def test_the_retention_command_reports_the_forgotten_names(service, old_groups, capsys):
    call_command("apply_retention", "--service", service.code)  # today's date: one or both
    assert re.search(r" [12] group participant name\(s\) forgotten", capsys.readouterr().out)
    call_command("apply_retention", "--service", service.code)
    assert "nothing to do" in capsys.readouterr().out
