"""The group alliance chart (issue #18 part 3): the meetings' means as a line, the threshold from
the form, and a meeting with fewer than five answers marked on the axis with no value, as
bytes from plain data and as the leader's PNG."""

import datetime
import math
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from services.charts.cache import chart_cache_key
from services.charts.group_alliance import (
    GroupAllianceChart,
    GroupAllianceText,
    MeetingMean,
    group_alliance_chart,
    group_alliance_figure,
)
from services.groups.chart import alliance_chart
from services.groups.figures import alliance_by_meeting
from services.groups.models import Attendance, Meeting
from tests.factories import (
    GroupFactory,
    GroupRatingFactory,
    MeetingFactory,
    MemberFactory,
    MembershipFactory,
    UserFactory,
)

PNG = b"\x89PNG\r\n\x1a\n"
START = datetime.date(2026, 10, 13)
# Seven meetings: the third and sixth with fewer than five answers (their mean, 13.7, is a
# value no shown meeting has, so it can be looked for in the drawing).
ANSWERS = (
    (31, 31, 31, 32, 32),
    (32,) * 6,
    (13.7,) * 4,
    (33,) * 7,
    (34,) * 5,
    (13.7,) * 2,
    (35,) * 6,
)
TEXT = GroupAllianceText(too_few="For få svar", decimal_mark=",", thousands="\u00a0")


def sample(means=(31.2, 32.0, None, 33.4, 34.1, None, 35.8), threshold=36.0):
    return GroupAllianceChart(
        meetings=tuple(
            MeetingMean(i + 1, START + datetime.timedelta(weeks=i), mean)
            for i, mean in enumerate(means)
        ),
        threshold=threshold,
        text=TEXT,
    )


def line(figure, gid: str):
    axes = figure.axes[0]
    return next(artist for artist in axes.get_lines() if artist.get_gid() == gid)


def gids(svg: bytes) -> set[str]:
    return set(re.findall(r'id="([^"]+)"', svg.decode()))


def test_the_chart_is_a_png_and_an_svg_the_same_every_time():
    for size in ("wide", "narrow"):
        png = group_alliance_chart(sample(), "png", size)
        assert png.startswith(PNG)
        assert png == group_alliance_chart(sample(), "png", size)
    svg = group_alliance_chart(sample(), "svg")
    assert svg == group_alliance_chart(sample(), "svg")
    assert {"alliance-line", "threshold-line", "too-few-3", "too-few-6"} <= gids(svg)
    assert "31,2" in svg.decode() and "35,8" in svg.decode()
    with pytest.raises(ValueError, match="unknown chart size"):
        group_alliance_chart(sample(), "png", "huge")


def test_meetings_without_a_mean_are_gaps_and_crosses_on_the_axis_never_values():
    figure = group_alliance_figure(sample())
    alliance = line(figure, "alliance-line")
    ys = list(alliance.get_ydata())
    assert [math.isnan(y) for y in ys] == [False, False, True, False, False, True, False]
    crosses = [line(figure, f"too-few-{n}") for n in (3, 6)]
    assert all(list(cross.get_ydata()) == [pytest.approx(0.8)] for cross in crosses)
    texts = [t.get_text().replace("\n", " ") for t in figure.axes[0].texts]
    assert texts.count("For få svar") == 2  # written above the crosses in the wide drawing
    threshold = line(figure, "threshold-line")
    assert list(threshold.get_ydata()) == [36.0, 36.0]


def test_a_group_without_shown_means_says_so_and_one_without_meetings_too():
    none_shown = group_alliance_chart(sample(means=(None, None, None)), "svg").decode()
    assert 'id="alliance-line"' not in none_shown
    assert "Too few answers to show a mean yet" in none_shown
    empty = group_alliance_chart(GroupAllianceChart(text=TEXT), "svg").decode()
    assert "No meetings yet" in empty and 'id="threshold-line"' not in empty


def test_an_open_meeting_is_a_ring_on_the_axis_named_not_closed_yet():
    chart = sample()
    today = MeetingMean(8, START + datetime.timedelta(weeks=7), None, still_open=True)
    chart = GroupAllianceChart(
        meetings=(*chart.meetings, today),
        threshold=chart.threshold,
        text=GroupAllianceText(too_few="For få svar", not_closed="Ikke stengt ennå"),
    )
    figure = group_alliance_figure(chart)
    ys = list(line(figure, "alliance-line").get_ydata())
    assert len(ys) == 8 and math.isnan(ys[7])
    ring = line(figure, "not-closed-8")
    assert (ring.get_marker(), ring.get_markerfacecolor()) == ("o", "white")
    texts = [t.get_text().replace("\n", " ") for t in figure.axes[0].texts]
    assert texts.count("Ikke stengt ennå") == 1 and texts.count("For få svar") == 2
    legend = [t.get_text() for t in figure.axes[0].get_legend().get_texts()]
    assert legend[-2:] == ["For få svar", "Ikke stengt ennå"]


def test_a_group_whose_only_meeting_is_open_says_when_its_mean_comes():
    only = GroupAllianceChart(meetings=(MeetingMean(1, START, None, still_open=True),), text=TEXT)
    svg = group_alliance_chart(only, "svg").decode()
    assert "The mean is shown when the meeting has closed" in svg
    assert "Too few answers to show a mean yet" not in svg and "For få svar" not in svg


# -- from the database, and the leader's PNG ----------------------------------------------------


@pytest.fixture
def group(service, helper):
    group = GroupFactory(service=service, leader=helper, name="Mestringskurs")
    add_meetings(group, ANSWERS)
    return group


def add_meetings(group, answers, first_number: int = 1) -> None:
    for index, scores in enumerate(answers):
        number = first_number + index
        meeting = MeetingFactory(
            group=group, number=number, date=START + datetime.timedelta(weeks=number - 1)
        )
        for i, score in enumerate(scores):
            member = MemberFactory(group=group, label=f"M{number}-{i}")
            Attendance.objects.create(meeting=meeting, member=member)
            GroupRatingFactory(meeting=meeting, member=member, score=Decimal(str(score)))


@pytest.mark.django_db
def test_a_suppressed_meetings_mean_never_reaches_the_chart_or_its_cache_key(group):
    chart = alliance_chart(alliance_by_meeting(group), Decimal("36"))
    assert [m.mean for m in chart.meetings] == [31.4, 32.0, None, 33.0, 34.0, None, 35.0]
    assert chart.threshold == 36.0
    key_data = chart_cache_key(
        group_alliance_chart, chart, model_version="", language="nb", fmt="png"
    )
    assert key_data  # the key is a digest; its input is the chart data:
    assert "13.7" not in repr(chart) and "13,7" not in repr(chart)
    svg = group_alliance_chart(chart, "svg").decode()
    assert "13,7" not in svg and "13.7" not in svg
    ys = list(line(group_alliance_figure(chart), "alliance-line").get_ydata())
    assert math.isnan(ys[2]) and math.isnan(ys[5])


def url(group) -> str:
    return reverse("groups:alliance_png", args=[group.pk])


@pytest.mark.django_db
def test_the_leader_gets_the_png_in_both_sizes(client, group, helper):
    client.force_login(helper)
    for size in ("wide", "narrow"):
        response = client.get(url(group), {"size": size})
        assert response.status_code == 200
        assert response["Content-Type"] == "image/png"
        assert response.content.startswith(PNG)
    assert client.get(url(group)).content == client.get(url(group), {"size": "wide"}).content
    bad = client.get(url(group), {"size": "huge"})
    assert bad.status_code == 400 and "wide" in bad.content.decode()


@pytest.mark.django_db
def test_nobody_else_gets_it(client, group, service, leader):
    colleague = UserFactory(username="kollega")
    MembershipFactory(user=colleague, service=service, role="helper")
    for user in (colleague, leader):  # the service's leader sees groups on the dashboard only
        client.force_login(user)
        assert client.get(url(group)).status_code == 404
    client.logout()
    assert client.get(url(group)).status_code == 302  # to the login page


def open_meeting(group, number: int, answers: int):
    """Today's meeting, still open for answers, where `answers` members have answered 13.7."""
    today = timezone.localdate()
    meeting = MeetingFactory(
        group=group, number=number, date=today, open_until=timezone.now() + timedelta(hours=1)
    )
    for i in range(answers):
        member = MemberFactory(group=group, label=f"Idag-{i}")
        GroupRatingFactory(meeting=meeting, member=member, score=Decimal("13.7"))
    return meeting


@pytest.mark.django_db
def test_answers_at_an_open_meeting_do_not_change_the_chart_its_closing_does(client, group, helper):
    """While a meeting is open its answers change nothing in the drawing (a mean drawn at five
    answers and again at six would give the sixth away); when it has closed its mean is drawn."""
    meeting = open_meeting(group, len(ANSWERS) + 1, answers=5)
    client.force_login(helper)
    before = client.get(url(group)).content
    GroupRatingFactory(meeting=meeting, score=Decimal("13.7"))
    assert client.get(url(group)).content == before
    chart = alliance_chart(alliance_by_meeting(group), None)
    assert chart.meetings[-1] == MeetingMean(meeting.number, meeting.date, None, still_open=True)
    Meeting.objects.filter(pk=meeting.pk).update(open_until=timezone.now())  # midnight came
    assert client.get(url(group)).content != before  # six answers, closed: the mean is drawn
    assert alliance_chart(alliance_by_meeting(group), None).meetings[-1].mean == 13.7


@pytest.mark.django_db
def test_the_png_costs_the_same_queries_whatever_the_number_of_meetings(
    client, group, helper, django_assert_num_queries
):
    client.force_login(helper)
    client.get(url(group))  # the login's first request settles the session, and freezes
    with django_assert_num_queries(5) as few:  # session, user, group, means, form
        client.get(url(group))
    steady = len(few.captured_queries)
    for added in (1, 10):
        # The first look after one or ten meetings have closed freezes them: three more.
        add_meetings(group, ((30,) * 6,) * added, group.meetings.count() + 1)
        group.meetings.update(open_until=timezone.now())  # their dates run past today
        with django_assert_num_queries(steady + 3):
            assert client.get(url(group)).status_code == 200
        with django_assert_num_queries(steady):
            assert client.get(url(group)).status_code == 200
