"""Paper forms entered afterwards: four lines or the total only, dated on the session's day."""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from services.ratings.models import Rating
from services.sessions.models import Session
from tests.factories import EpisodeFactory, SessionFactory, instrument

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(episode):
    return Session.objects.create(episode=episode, number=1, date=datetime.date(2026, 3, 2))


def url_of(episode):
    return reverse("ratings:paper", args=[episode.client_id, episode.pk])


def post(staff, episode, session, **fields):
    data = {
        "session": session.pk,
        "instrument": instrument("ors").pk,
        "rater": "client",
        "submission_key": str(uuid.uuid4()),
    }
    return staff.post(url_of(episode), data | fields)


LINES = {"item1": "5,5", "item2": "6", "item3": "7.1", "item4": "4.0"}


def test_the_page_offers_the_sessions_and_the_forms_for_the_age_group(staff, episode, session):
    page = staff.get(url_of(episode)).content.decode()
    sessions = page[page.index('name="session"') :]
    forms = page[page.index('name="instrument"') :]
    forms = forms[: forms.index("</select>")]
    assert f'value="{session.pk}"' in sessions[: sessions.index("</select>")]
    assert f'value="{instrument("ors").pk}"' in forms
    assert f'value="{instrument("srs").pk}"' in forms
    assert f'value="{instrument("cors").pk}"' not in forms


def test_four_lines_are_stored_as_paper_on_the_sessions_day(staff, episode, session):
    response = post(staff, episode, session, **LINES)
    assert response.status_code == 302
    rating = Rating.objects.get()
    assert rating.method == "paper"
    assert rating.total == Decimal("22.6")
    assert rating.items["individually"] == "5.5"
    assert timezone.localtime(rating.rated_at).date() == session.date


def test_the_total_only_is_stored_without_inventing_lines(staff, episode, session):
    post(staff, episode, session, total="31,5")
    rating = Rating.objects.get()
    assert rating.items is None
    assert rating.total == Decimal("31.5")


def test_lines_with_the_matching_total_are_accepted(staff, episode, session):
    assert post(staff, episode, session, total="22.6", **LINES).status_code == 302


@pytest.mark.parametrize(
    "fields",
    [
        {},
        LINES | {"total": "25"},
        LINES | {"item4": ""},
        LINES | {"item2": "10.5"},
        LINES | {"item2": "-1"},
        LINES | {"item2": "seks"},
        LINES | {"item2": "6.25"},
        {"total": "40.1"},
        {"total": "abc"},
        {"total": "12.34"},
        LINES | {"rater": "other", "rater_name": ""},
        LINES | {"rater": "neighbour"},
        LINES | {"submission_key": "nope"},
    ],
)
def test_bad_paper_entries_are_refused(staff, episode, session, fields):
    response = post(staff, episode, session, **fields)
    assert response.status_code == 400
    assert "alert" in response.content.decode() or "invalid-feedback" in response.content.decode()
    assert not Rating.objects.exists()


def test_a_form_for_another_age_group_is_refused(staff, episode, session):
    response = post(staff, episode, session, instrument=instrument("cors").pk, **LINES)
    assert response.status_code == 400
    assert not Rating.objects.exists()


def test_a_session_of_another_client_is_refused(staff, episode, service):
    theirs = SessionFactory(episode=EpisodeFactory(client__service=service))
    response = post(staff, episode, theirs, **LINES)
    assert response.status_code == 400
    assert not Rating.objects.exists()


def test_the_same_paper_form_sent_twice_is_stored_once(staff, episode, session):
    key = str(uuid.uuid4())
    post(staff, episode, session, submission_key=key, **LINES)
    assert post(staff, episode, session, submission_key=key, **LINES).status_code == 302
    assert Rating.objects.count() == 1


def test_a_second_paper_form_of_the_same_kind_is_refused(staff, episode, session):
    post(staff, episode, session, **LINES)
    response = post(staff, episode, session, total="30")
    assert response.status_code == 400
    assert Rating.objects.count() == 1


def test_paper_entry_is_only_for_the_clients_helpers(client, episode, session, service):
    other = EpisodeFactory(client__service=service)
    client.force_login(episode.helpers.get())
    assert client.get(url_of(other)).status_code == 404


@pytest.mark.parametrize("value", ["-0", "-0,0", "\u0665", "\uff15", "+5", "5e0", "5."], ids=repr)
def test_odd_numbers_on_paper_are_refused(staff, episode, session, value):
    response = post(staff, episode, session, **LINES | {"item3": value})
    assert response.status_code == 400
    assert not Rating.objects.exists()
    response = post(staff, episode, session, total=value)
    assert response.status_code == 400
    assert not Rating.objects.exists()
