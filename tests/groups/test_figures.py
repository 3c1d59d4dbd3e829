"""The group's alliance by meeting as its leader sees it (issue #18 part 3): a meeting's mean
only where five or more answered; how many came and answered always."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from services.clients.privacy import erase_client
from services.groups.chart import alliance_chart
from services.groups.figures import alliance_by_meeting, answered_members, freeze_closed
from services.groups.models import Attendance, Meeting
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


def queries(call) -> int:
    with CaptureQueriesContext(connection) as context:
        call()
    return len(context.captured_queries)


def test_one_query_whatever_the_number_of_meetings_and_four_when_some_just_closed():
    """The first look after a meeting has closed freezes it (find, store, read again); every
    later look is the one query."""
    group = GroupFactory()
    meeting_with(group, 1, (30,) * 5)
    assert queries(lambda: alliance_by_meeting(group)) == 4
    assert queries(lambda: alliance_by_meeting(group)) == 1
    for number in range(2, 12):
        meeting_with(group, number, (30,) * 6)
    assert queries(lambda: alliance_by_meeting(group)) == 4
    assert queries(lambda: alliance_by_meeting(group)) == 1
    assert len(alliance_by_meeting(group)) == 11


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


# -- a meeting's mean is published once, when it has closed ------------------------------------


def detail_page(client, group) -> str:
    return client.get(reverse("groups:detail", args=[group.pk])).content.decode()


def test_the_reviewers_attack_finds_no_mean_while_the_meeting_is_open(
    client, helper, group, meeting, client_member
):
    """Seen in review: the leader read the mean at five answers, again after the sixth (the
    meeting page names who answered), and 6·m6 − 5·m5 was the sixth person's total. While the
    meeting is open (until midnight of its day) no mean is shown at all, at any count."""
    others = [MemberFactory(group=group, label=f"Deltaker {n}") for n in range(5)]
    for member in others:
        GroupRatingFactory(meeting=meeting, member=member, score=Decimal("23.4"))
    client.force_login(helper)
    at_five = detail_page(client, group)
    (five,) = alliance_by_meeting(group)
    GroupRatingFactory(meeting=meeting, member=client_member, score=Decimal("11.1"))
    at_six = detail_page(client, group)  # a mean of 21.35: 21,4 (and never 23,4 before it)
    (six,) = alliance_by_meeting(group)
    for page in (at_five, at_six):
        assert "23,4" not in page and "21,4" not in page and "21,3" not in page
    for row, answered in ((five, 5), (six, 6)):
        assert not row.shown and row.mean.value is None and row.mean.n is None
        assert row.still_open and row.answered == answered
    chart = alliance_chart([five], None), alliance_chart([six], None)
    assert chart[0] == chart[1]  # the drawing, and its cache key, cannot tell them apart


def test_after_the_meeting_has_closed_its_mean_stays_what_it_was_published_as(
    client, helper, group, meeting, client_member, own_episode
):
    """Erasing a client takes their answers, but not what was published from five or more
    (no longer that person's data): the mean from n − 1 answers would give theirs away."""
    for n in range(5):
        member = MemberFactory(group=group, label=f"Deltaker {n}")
        GroupRatingFactory(meeting=meeting, member=member, score=Decimal("23.4"))
    GroupRatingFactory(meeting=meeting, member=client_member, score=Decimal("11.1"))
    Meeting.objects.filter(pk=meeting.pk).update(open_until=timezone.now())  # midnight came
    client.force_login(helper)
    assert "21,4" in detail_page(client, group)
    erase_client(own_episode.client)
    assert meeting.ratings.count() == 5
    page = detail_page(client, group)
    assert "21,4" in page and "23,4" not in page
    (row,) = alliance_by_meeting(group)
    assert not row.still_open and row.shown
    assert (row.mean.value, row.mean.n, row.answered) == (Decimal("21.4"), 6, 6)


def test_freezing_stores_the_closed_meetings_once_and_never_again():
    group = GroupFactory()
    closed = meeting_with(group, 1, (30, 31, 32, 33, 34.5))  # 32.1
    empty = meeting_with(group, 2, ())
    few = meeting_with(group, 4, (13.7,) * 4)
    today = MeetingFactory(
        group=group, number=3, date=DAY, open_until=timezone.now() + datetime.timedelta(hours=1)
    )
    GroupRatingFactory(meeting=today, score=Decimal("20"))
    assert freeze_closed(group.meetings.all()) == 3
    for meeting in (closed, empty, few, today):
        meeting.refresh_from_db()
    assert (closed.answered, closed.mean_total) == (5, Decimal("32.1"))
    assert (empty.answered, empty.mean_total) == (0, None)
    # No mean of fewer than five is kept: it would outlive an erasure of those answers.
    assert (few.answered, few.mean_total) == (4, None)
    assert empty.figures_frozen_at is not None
    assert (today.answered, today.mean_total, today.figures_frozen_at) == (None, None, None)
    frozen_at = closed.figures_frozen_at
    closed.ratings.filter(total=Decimal("34.5")).delete()  # as an erasure does
    assert freeze_closed(group.meetings.all()) == 0
    closed.refresh_from_db()
    assert (closed.answered, closed.mean_total) == (5, Decimal("32.1"))
    assert closed.figures_frozen_at == frozen_at


def test_freezing_costs_the_same_queries_whatever_the_number_of_meetings():
    group = GroupFactory()
    meeting_with(group, 1, (30,) * 5)
    assert queries(lambda: freeze_closed(group.meetings.all())) == 2  # find, store
    assert queries(lambda: freeze_closed(group.meetings.all())) == 1  # nothing to store
    for number in range(2, 40):
        meeting_with(group, number, (30, 31, 32))
    assert queries(lambda: freeze_closed(group.meetings.all())) == 2
    assert not group.meetings.filter(figures_frozen_at__isnull=True).exists()
