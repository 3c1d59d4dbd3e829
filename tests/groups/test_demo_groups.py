"""The demo's two groups (issue #18 part 3): a course with the demo helper's own clients and
participants over seven weekly meetings, one with only four answers, the clients' outcome forms
in group sessions of their own episodes; and a walking group too small to show any mean."""

import datetime
import itertools
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from services.groups.demo import COURSE, WALK
from services.groups.figures import alliance_by_meeting
from services.groups.models import Attendance, Group, GroupRating, Member, Turn
from services.ratings.models import Rating
from services.sessions.models import Session

pytestmark = pytest.mark.django_db


def demo_groups() -> tuple[Group, Group]:
    return Group.objects.get(name=COURSE), Group.objects.get(name=WALK)


def shape(group: Group) -> list[tuple]:
    """A group's meetings as the leader's chart reads them, and its members by name or code."""
    rows = [(r.number, r.date, r.attended, r.answered, r.mean) for r in alliance_by_meeting(group)]
    members = [
        (m.label or m.episode.client.code, m.joined_on, m.left_on) for m in group.members.all()
    ]
    return rows + members


def test_the_course_has_clients_participants_weekly_meetings_and_a_rising_alliance(capsys):
    call_command("seed_demo", clients=150)
    assert "2 groups with 10 meetings" in capsys.readouterr().out
    course, walk = demo_groups()
    assert (course.kind, walk.kind) == ("course", "activity")
    assert course.leader.username == walk.leader.username == "hjelper"
    members = list(course.members.select_related("episode"))
    clients = [m for m in members if m.is_client]
    assert len(members) == 8 and len(clients) == 5
    for member in clients:
        assert member.episode.is_open and course.leader in member.episode.helpers.all()
    assert all(m.label for m in members if not m.is_client)
    assert len({m.code for m in Member.objects.all()}) == Member.objects.count()
    rows = alliance_by_meeting(course)
    assert len(rows) == 7
    assert {(b.date - a.date).days for a, b in itertools.pairwise(rows)} == {7}
    assert rows[-1].date < timezone.localdate()
    assert [row.answered for row in rows if not row.shown] == [4]
    shown = [row.mean.value for row in rows if row.shown]
    assert shown[0] < shown[-1] < 40
    for answer in GroupRating.objects.filter(meeting__group=course):
        scores = [Decimal(value) for value in answer.items.values()]
        assert all(score == score.quantize(Decimal("0.1")) for score in scores)
        assert answer.total == sum(scores)
        assert Attendance.objects.filter(meeting=answer.meeting, member=answer.member).exists()
        assert Turn.objects.filter(meeting=answer.meeting, member=answer.member).exists()


def test_the_walking_group_never_has_five_answers():
    call_command("seed_demo", clients=30)
    _, walk = demo_groups()
    rows = alliance_by_meeting(walk)
    assert walk.members.count() == 4 and len(rows) == 3
    assert not any(row.shown for row in rows)
    assert all(row.mean.suppressed for row in rows)


def test_client_members_outcome_forms_are_group_sessions_numbered_by_date():
    call_command("seed_demo", clients=150)
    course, _ = demo_groups()
    episodes = [m.episode_id for m in course.members.filter(episode__isnull=False)]
    meeting_days = set(course.meetings.values_list("date", flat=True))
    group_outcomes = Rating.objects.filter(
        session__episode__in=episodes,
        session__kind="group",
        session__date__in=meeting_days,
        purpose="outcome",
        rater="client",
    )
    assert group_outcomes.count() >= len(episodes)
    for episode in episodes:
        sessions = list(Session.objects.filter(episode=episode).order_by("number"))
        assert [s.number for s in sessions] == list(range(1, len(sessions) + 1))
        assert [s.date for s in sessions] == sorted(s.date for s in sessions)


def test_the_same_seed_gives_the_same_groups_and_replace_rebuilds_them_whole(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: datetime.date(2026, 6, 1))
    call_command("seed_demo", clients=80, seed=4)
    first = [shape(group) for group in demo_groups()]
    call_command("seed_demo", clients=80, seed=4, replace=True)
    assert Group.objects.count() == 2
    assert [shape(group) for group in demo_groups()] == first
    assert (
        not Member.objects.filter(group__name=COURSE, episode__isnull=False)
        .exclude(episode__client__service__code="demo")
        .exists()
    )
