"""Sessions on an earlier date (issue #15, item 8): in the episode's time, numbered in date
order, audited, and the dashboard facts and caseload summaries follow."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from services.audit.models import AuditEvent
from services.sessions.models import Session
from services.sessions.recording import SessionError, number_for, register_session
from tests.dashboards.test_facts import assert_facts_are_true
from tests.factories import EpisodeFactory, RatingFactory, SessionFactory

D = datetime.date
pytestmark = pytest.mark.django_db


def test_a_new_session_is_numbered_before_the_first_one_dated_later():
    sessions = [(1, D(2026, 1, 5)), (2, D(2026, 1, 19)), (3, D(2026, 2, 2))]
    assert number_for(sessions, D(2026, 1, 12)) == 2
    assert number_for(sessions, D(2026, 1, 19)) == 3  # after the one on the same day
    assert number_for(sessions, D(2026, 1, 1)) == 1
    assert number_for(sessions, D(2026, 3, 1)) == 4
    assert number_for([], D(2026, 3, 1)) == 1


@pytest.fixture
def episode(helper, service):
    episode = EpisodeFactory(client__service=service, start_date=D(2026, 1, 5))
    episode.helpers.add(helper)
    for number, day, ors in [
        (1, D(2026, 1, 5), 14),
        (2, D(2026, 1, 19), 18),
        (3, D(2026, 2, 2), 22),
    ]:
        session = SessionFactory(episode=episode, number=number, date=day, helper=helper)
        RatingFactory(session=session, score=ors)
    return episode


def numbers_and_dates(episode):
    return list(episode.sessions.order_by("number").values_list("number", "date"))


def test_a_forgotten_session_goes_between_and_the_later_ones_move_up(episode, helper):
    assert_facts_are_true()
    session = register_session(episode, date=D(2026, 1, 12), helper=helper)
    assert session.number == 2
    assert numbers_and_dates(episode) == [
        (1, D(2026, 1, 5)),
        (2, D(2026, 1, 12)),
        (3, D(2026, 1, 19)),
        (4, D(2026, 2, 2)),
    ]
    # The ratings stay with their sessions, whatever their numbers now.
    assert list(
        Session.objects.filter(episode=episode, ratings__isnull=False)
        .order_by("number")
        .values_list("number", "ratings__total")
    ) == [(1, 14), (3, 18), (4, 22)]
    event = AuditEvent.objects.get(object_type="session", object_id=str(session.pk))
    assert event.detail == "registered afterwards; later sessions renumbered: 2"
    assert_facts_are_true()


def test_a_session_after_the_last_one_takes_the_next_number(episode, helper):
    session = register_session(episode, date=D(2026, 2, 9), helper=helper)
    assert session.number == 4
    assert AuditEvent.objects.get(object_type="session").detail == "registered afterwards"


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (timezone.localdate() + datetime.timedelta(days=1), "in the future"),
        (D(2026, 1, 4), "cannot be earlier"),
        (D(2026, 1, 19), "Session 2 is already registered on this date"),
    ],
)
def test_a_session_outside_the_episode_or_twice_is_refused(episode, helper, day, message):
    with pytest.raises(SessionError, match=message):
        register_session(episode, date=day, helper=helper)
    assert episode.sessions.count() == 3
    assert not AuditEvent.objects.exists()


def test_a_group_session_on_the_same_day_is_another_session(episode, helper):
    session = register_session(episode, date=D(2026, 1, 19), helper=helper, kind="group")
    assert session.number == 3


def test_a_closed_episode_takes_no_session_after_its_end(episode, helper):
    episode.end_date, episode.end_reason = D(2026, 2, 3), "planned"
    episode.save()
    with pytest.raises(SessionError, match="cannot be later"):
        register_session(episode, date=D(2026, 2, 4), helper=helper)


def test_the_helper_registers_an_earlier_session_on_the_client_page(client, episode, helper):
    url = reverse("clients:past_session", args=[episode.client_id, episode.pk])
    client.force_login(helper)
    response = client.post(url, {"past-date": "2026-01-26", "past-kind": "individual"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Samtale 3 den 26.01.2026 er registrert." in page
    assert numbers_and_dates(episode)[2] == (3, D(2026, 1, 26))
    response = client.post(url, {"past-date": "2025-12-01", "past-kind": "individual"})
    assert response.status_code == 400
    assert "kan ikke være tidligere" in response.content.decode()
    response = client.post(url, {"past-date": "", "past-kind": "individual"})
    assert response.status_code == 400
    assert episode.sessions.count() == 4
    assert client.get(url).status_code == 405


def test_registering_today_when_today_is_registered_says_so(client, helper, service):
    """Issue #15: "Registrer samtale i dag" did nothing visible the second time."""
    episode = EpisodeFactory(client__service=service)
    episode.helpers.add(helper)
    url = reverse("clients:new_session", args=[episode.client_id, episode.pk])
    client.force_login(helper)
    client.post(url)
    page = client.post(url, follow=True).content.decode()
    assert "Samtale 1 er allerede registrert i dag." in page
    assert episode.sessions.count() == 1
