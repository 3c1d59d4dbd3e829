"""When an episode's off-track signal came on (issue #16, item 8): replayed session by session
as the caseload judged it, and rebuilt with the dashboard facts whenever the data changes."""

import datetime
from decimal import Decimal

import pytest

from services.clients.progress import load_rules, signals_for
from services.dashboards import facts
from services.measures.signals import Signal
from services.ratings.models import Rating
from services.ratings.series import episode_series
from services.supervision.history import onsets
from services.supervision.models import RaisedSignal
from tests.factories import RatingFactory, SessionFactory

from .conftest import OFF_TRACK, episode_with

pytestmark = pytest.mark.django_db


def raised(episode) -> list[tuple[int, bool]]:
    facts.refresh_outdated()
    rows = RaisedSignal.objects.filter(episode=episode).order_by("number")
    return list(rows.values_list("number", "window_closed"))


def test_the_signal_comes_on_at_the_session_whose_rating_puts_the_client_below(helper, service):
    episode = episode_with(helper, service, OFF_TRACK)
    records = episode_series([episode.pk])[episode.pk]
    rules = load_rules([service.pk])
    assert Signal.OFF_TRACK in signals_for(records, service.pk, rules)  # as the caseload says
    assert [record.number for record in onsets(records, service.pk, rules)] == [3]
    assert raised(episode) == [(3, False)]


def test_a_signal_that_stays_on_is_one_signal_and_one_that_comes_back_is_another(helper, service):
    episode = episode_with(helper, service, [*OFF_TRACK, 16, 25, 16, None])
    assert raised(episode) == [(3, True), (6, False)]


def test_a_client_on_track_raises_nothing(helper, service):
    episode = episode_with(helper, service, [20, 22, 24, 26])
    assert raised(episode) == []


def test_the_window_closes_with_the_second_session_after_or_with_the_episode(helper, service):
    episode = episode_with(helper, service, [*OFF_TRACK, 16])
    assert raised(episode) == [(3, False)]
    SessionFactory(episode=episode, number=5, date=datetime.date(2026, 2, 2))
    assert raised(episode) == [(3, True)]
    other = episode_with(helper, service, OFF_TRACK)
    other.end_date, other.end_reason = datetime.date(2026, 2, 1), "planned"
    other.save()
    assert raised(other) == [(3, True)]


def test_a_corrected_rating_rebuilds_the_history(helper, service):
    episode = episode_with(helper, service, OFF_TRACK)
    assert raised(episode) == [(3, False)]
    rating = Rating.objects.get(session__episode=episode, session__number=3)
    rating.total = Decimal("24.0")
    rating.save()
    assert raised(episode) == []


def test_the_history_goes_with_the_client(helper, service):
    episode = episode_with(helper, service, OFF_TRACK)
    assert raised(episode) == [(3, False)]
    episode.client.delete()
    assert not RaisedSignal.objects.exists()


def test_the_session_day_and_team_are_kept_for_the_dashboard(helper, service, team):
    episode = episode_with(helper, service, OFF_TRACK, team=team)
    facts.refresh_outdated()
    row = RaisedSignal.objects.get()
    assert (row.day, row.team_id, row.service_id, row.client_id) == (
        datetime.date(2026, 1, 19),
        team.pk,
        service.pk,
        episode.client_id,
    )


def test_collateral_ratings_do_not_raise_the_signal(helper, service):
    episode = episode_with(helper, service, [20, 20, None])
    RatingFactory(session=episode.sessions.get(number=3), rater="parent", score=10)
    assert raised(episode) == []
