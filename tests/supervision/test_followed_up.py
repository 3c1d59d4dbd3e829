"""The share of off-track signals followed up within two sessions (issue #16, item 8): its
definition, the small-number rule, and its one query."""

import datetime

import pytest

from services.dashboards import facts
from services.dashboards.suppression import MINIMUM
from services.supervision.followed_up import counts, followed_up
from services.supervision.models import SignalFollowUp
from tests.factories import EpisodeFactory, SessionFactory, TeamFactory, UserFactory

from .conftest import OFF_TRACK, episode_with

pytestmark = pytest.mark.django_db

YEAR = (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))


def follow_up(episode, number, signal="off_track"):
    return SignalFollowUp.objects.create(
        episode=episode,
        service_id=episode.service_id,
        signal=signal,
        session=episode.sessions.get(number=number),
    )


def closed_signal(helper, service, **kwargs):
    """An episode whose off-track signal came on at session 3, with sessions 4 and 5 after it."""
    return episode_with(helper, service, [*OFF_TRACK, 16, 16], **kwargs)


def count(service, **kwargs):
    facts.refresh_outdated()
    return counts(service.pk, *YEAR, **kwargs)


@pytest.mark.parametrize(
    ("noted_at", "in_time"),
    [(2, False), (3, True), (4, True), (5, False)],
)
def test_followed_up_at_its_session_or_the_next_counts(helper, service, noted_at, in_time):
    episode = closed_signal(helper, service)
    follow_up(episode, noted_at)
    assert count(service) == (int(in_time), 1)


def test_a_follow_up_of_another_signal_does_not_count(helper, service):
    episode = closed_signal(helper, service)
    follow_up(episode, 3, signal="alliance")
    assert count(service) == (0, 1)


def test_an_undecided_signal_waits_unless_followed_up_already(helper, service):
    waiting = episode_with(helper, service, [*OFF_TRACK, 16])
    assert count(service) == (0, 0)
    follow_up(waiting, 4)
    assert count(service) == (1, 1)


def test_a_signal_in_an_episode_that_ended_soon_after_is_decided(helper, service):
    episode = episode_with(helper, service, OFF_TRACK)
    episode.end_date, episode.end_reason = datetime.date(2026, 2, 1), "dropout"
    episode.save()
    assert count(service) == (0, 1)


def test_the_period_is_the_day_of_the_session_that_raised_the_signal(helper, service):
    closed_signal(helper, service)  # raised on 19 January 2026
    facts.refresh_outdated()
    assert counts(service.pk, datetime.date(2026, 1, 19), datetime.date(2026, 1, 19)) == (0, 1)
    assert counts(service.pk, datetime.date(2026, 1, 20), None) == (0, 0)


def test_team_and_helper_narrow_it(helper, service, team):
    closed_signal(helper, service, team=team)
    other_helper = UserFactory()
    closed_signal(other_helper, service, team=TeamFactory(service=service))
    assert count(service) == (0, 2)
    assert count(service, team_id=team.pk) == (0, 1)
    assert count(service, helper_id=other_helper.pk) == (0, 1)
    assert count(service, helper_id=UserFactory().pk) == (0, 0)


def test_other_services_are_not_counted(helper, service):
    closed_signal(helper, service)
    other = EpisodeFactory()
    SessionFactory(episode=other, number=1)
    assert counts(other.service_id, *YEAR) == (0, 0)


def test_fewer_than_the_minimum_is_withheld_with_its_counts(helper, service):
    episodes = [closed_signal(helper, service) for _ in range(MINIMUM)]
    follow_up(episodes[0], 3)
    facts.refresh_outdated()
    shown = followed_up(service.pk, *YEAR)
    assert (shown.share.value, shown.followed, shown.decided) == (1 / MINIMUM, 1, MINIMUM)
    episodes[-1].client.delete()
    withheld = followed_up(service.pk, *YEAR)
    assert withheld.share.suppressed
    assert (withheld.share.value, withheld.followed, withheld.decided) == (None, None, None)


def test_no_signal_is_no_data(service):
    shown = followed_up(service.pk, *YEAR)
    assert not shown.share.suppressed and not shown.share.shown
    assert shown.decided == 0


@pytest.mark.parametrize("many", [False, True])
def test_it_is_one_query_whatever_the_size(helper, service, team, many, django_assert_num_queries):
    for _ in range(12 if many else 1):
        follow_up(closed_signal(helper, service, team=team), 3)
    facts.refresh_outdated()
    with django_assert_num_queries(1):
        followed_up(service.pk, *YEAR, team_id=team.pk, helper_id=helper.pk)
