"""The helper hands a form over: on the tablet or as a link, the right form, to the right rater."""

import datetime

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from services.audit.models import AuditEvent
from services.clients.models import Consent
from services.ratings import kiosk
from services.ratings.models import Handover
from services.sessions.models import Session
from tests.factories import EpisodeFactory, MembershipFactory, RatingFactory, UserFactory

pytestmark = pytest.mark.django_db


def handover_url(episode):
    return reverse("ratings:handover", args=[episode.client_id, episode.pk])


def post(staff, episode, **fields):
    data = {"purpose": "outcome", "rater": "client", "method": "tablet"} | fields
    return staff.post(handover_url(episode), data)


def test_handing_the_tablet_over_opens_todays_session_and_locks_to_the_form(staff, episode):
    response = post(staff, episode, greeting="Hei, Kari!", show_curve="on")
    assert response.status_code == 302
    assert response["Location"] == reverse("ratings:kiosk")
    handover = Handover.objects.get()
    assert handover.session.date == timezone.localdate()
    assert handover.session.number == 1
    assert handover.instrument.key == "ors"
    assert (handover.method, handover.greeting, handover.show_curve) == (
        "tablet",
        "Hei, Kari!",
        True,
    )
    assert staff.session[kiosk.SESSION_KEY]["handover"] == handover.pk
    assert AuditEvent.objects.filter(object_type="handover", action="create").exists()


def test_todays_session_is_reused_for_the_second_form(staff, episode, helper):
    session = Session.objects.create(episode=episode, number=1, date=timezone.localdate())
    RatingFactory(session=session)
    post(staff, episode, purpose="alliance")
    handover = Handover.objects.get()
    assert handover.session == session
    assert handover.instrument.key == "srs"
    assert Session.objects.count() == 1


@pytest.mark.parametrize(
    ("age_group", "purpose", "key"),
    [
        ("adult", "outcome", "ors"),
        ("adolescent", "alliance", "srs"),
        ("child", "outcome", "cors"),
        ("young_child", "alliance", "csrs"),
    ],
)
def test_the_form_for_the_clients_age_group_is_picked(staff, episode, age_group, purpose, key):
    episode.client.age_group = age_group
    episode.client.save()
    post(staff, episode, purpose=purpose)
    assert Handover.objects.get().instrument.key == key


def test_a_collateral_rater_can_answer_instead_of_the_client(staff, episode):
    post(staff, episode, rater="parent", rater_name=" Mor ")
    handover = Handover.objects.get()
    assert (handover.rater, handover.rater_name) == ("parent", "Mor")


def test_another_rater_needs_a_name(staff, episode):
    response = post(staff, episode, rater="other")
    assert response.status_code == 400
    assert not Handover.objects.exists()
    assert kiosk.SESSION_KEY not in staff.session


def test_a_client_who_declined_is_never_handed_a_form(staff, episode):
    episode.client.consent = Consent.DECLINED
    episode.client.save()
    response = post(staff, episode)
    assert response.status_code == 400
    assert not Handover.objects.exists()
    page = staff.get(reverse("clients:detail", args=[episode.client_id])).content.decode()
    assert handover_url(episode) not in page


def test_a_form_already_answered_today_is_not_handed_over_again(staff, episode):
    session = Session.objects.create(episode=episode, number=1, date=timezone.localdate())
    RatingFactory(session=session)
    response = post(staff, episode)
    assert response.status_code == 400
    assert not Handover.objects.exists()


def test_a_closed_episode_gets_no_forms(staff, episode):
    episode.end_date, episode.end_reason = timezone.localdate(), "planned"
    episode.save()
    assert post(staff, episode).status_code == 400
    assert not Handover.objects.exists()


def test_only_the_clients_helpers_can_hand_over(client, episode, service):
    stranger = UserFactory(username="fremmed")
    MembershipFactory(user=stranger, service=service)
    client.force_login(stranger)
    assert post(client, episode).status_code == 404
    other = EpisodeFactory(client__service=service)
    assert client.post(handover_url(other), {"purpose": "outcome"}).status_code == 404
    assert not Handover.objects.exists()


def test_the_client_page_offers_the_actions(staff, episode):
    page = staff.get(reverse("clients:detail", args=[episode.client_id])).content.decode()
    assert handover_url(episode) in page
    assert 'name="method" value="tablet"' in page
    assert 'name="method" value="link"' in page
    assert reverse("ratings:paper", args=[episode.client_id, episode.pk]) in page
    assert "data-outbox-status" in page


def test_a_remote_link_is_made_and_shown_as_qr_code_and_address(staff, episode):
    response = post(staff, episode, method="link", greeting="Hei!")
    handover = Handover.objects.get()
    assert response["Location"] == reverse("ratings:link", args=[episode.client_id, handover.pk])
    assert kiosk.SESSION_KEY not in staff.session
    expected = timezone.now() + datetime.timedelta(hours=72)
    assert abs(handover.expires_at - expected) < datetime.timedelta(minutes=1)
    page = staff.get(response["Location"]).content.decode()
    assert "<svg" in page
    assert "http://testserver/s/" in page


@override_settings(REMOTE_LINK_HOURS=2)
def test_the_link_lifetime_is_configurable(staff, episode):
    post(staff, episode, method="link")
    handover = Handover.objects.get()
    expected = timezone.now() + datetime.timedelta(hours=2)
    assert abs(handover.expires_at - expected) < datetime.timedelta(minutes=1)


def test_a_link_page_of_another_clients_handover_is_not_found(staff, episode, remote, service):
    other = EpisodeFactory(client__service=service)
    other.helpers.add(remote.created_by)
    assert staff.get(reverse("ratings:link", args=[other.client_id, remote.pk])).status_code == 404
    url = reverse("ratings:link", args=[episode.client_id, remote.pk])
    assert staff.get(url).status_code == 200
