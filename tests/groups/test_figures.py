"""The group's alliance by meeting as its leader sees it (issue #18 part 3): a meeting's mean
only where five or more answered; how many came and answered always."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from services.groups.figures import alliance_by_meeting, answered_members
from services.groups.models import Attendance
from services.measures.templatetags.measures import score as score_text
from tests.factories import GroupFactory, GroupRatingFactory, MeetingFactory, MemberFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 3)


def meeting_with(group, number: int, scores, came: int | None = None):
    """A meeting where members answered `scores`, and `came` came (the answerers and more)."""
    meeting = MeetingFactory(
        group=group, number=number, date=DAY + datetime.timedelta(weeks=number)
    )
    members = [
        MemberFactory(group=group, label=f"M{number}-{i}") for i in range(came or len(scores))
    ]
    for member in members:
        Attendance.objects.create(meeting=meeting, member=member)
    for member, score in zip(members, scores, strict=False):
        GroupRatingFactory(meeting=meeting, member=member, score=Decimal(str(score)))
    return meeting


def test_a_meeting_with_fewer_than_five_answers_has_no_mean_but_its_counts():
    group = GroupFactory()
    meeting_with(group, 1, (30, 31, 32, 33, 34), came=6)
    meeting_with(group, 2, (13.7, 13.7, 13.7, 13.7), came=5)
    meeting_with(group, 3, ())
    first, second, third = alliance_by_meeting(group)
    assert (first.number, first.attended, first.answered) == (1, 6, 5)
    assert first.shown and first.mean.value == 32.0 and first.mean.n == 5
    assert (second.attended, second.answered) == (5, 4)
    assert not second.shown and second.mean.suppressed
    assert second.mean.value is None and second.mean.n is None
    assert (third.answered, third.shown, third.mean.suppressed) == (0, False, False)


def test_the_means_are_rounded_to_one_decimal_and_in_meeting_order():
    group = GroupFactory()
    meeting_with(group, 2, (35.1, 35.2, 35.2, 35.3, 35.3))
    meeting_with(group, 1, (20, 20, 20, 20, 21))
    rows = alliance_by_meeting(group)
    assert [row.number for row in rows] == [1, 2]
    # Decimals rounded half up, so the table and the chart print the same digit (see below).
    assert [row.mean.value for row in rows] == [Decimal("20.2"), Decimal("35.2")]


def test_one_query_whatever_the_number_of_meetings():
    group = GroupFactory()
    meeting_with(group, 1, (30,) * 5)
    with CaptureQueriesContext(connection) as few:
        alliance_by_meeting(group)
    for number in range(2, 12):
        meeting_with(group, number, (30,) * 6)
    with CaptureQueriesContext(connection) as many:
        rows = alliance_by_meeting(group)
    assert len(rows) == 11
    assert len(few.captured_queries) == len(many.captured_queries) == 1


def test_who_answered_is_known_without_scores():
    group = GroupFactory()
    meeting = meeting_with(group, 1, (30, 31), came=3)
    answered = answered_members([meeting.pk])
    assert answered == {meeting.pk: set(meeting.ratings.values_list("member_id", flat=True))}


def test_the_table_and_the_chart_say_the_same_mean():
    """Seen in the demo: the chart said 32,4 and the table 32,3 for one meeting (a float mean
    of 32.4 is 32.3999… as a Decimal, and the table's number format cuts, not rounds)."""
    group = GroupFactory()
    meeting_with(group, 1, (27.7, 33.1, 32.5, 32.7, 32.6, 34.7, 31.0, 34.8))
    (row,) = alliance_by_meeting(group)
    with translation.override("nb"):
        assert score_text(row.mean.value) == "32,4"
