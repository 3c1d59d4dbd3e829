"""Which form a client is given is the service's choice, never a guess (issue #12, item 10)."""

import datetime

import pytest
from django.urls import reverse

from services.measures.models import Instrument, ServiceForm
from services.ratings.handovers import prepare_handover
from services.ratings.models import Handover
from services.ratings.recording import RatingError
from services.sessions.models import Session
from tests.seven_items import load_seven_item_form

pytestmark = pytest.mark.django_db


def test_loading_a_second_adult_outcome_form_does_not_change_the_tablet_form(episode, helper):
    # Issue #12 item 10: a 7-item form whose key sorts before "ors" replaced the ORS silently.
    load_seven_item_form("aaa_outcome")
    handover = prepare_handover(episode, method="tablet", purpose="outcome", user=helper)
    assert handover.instrument.key == "ors"


def test_the_form_follows_the_age_group_on_the_sessions_day(episode, helper):
    """Born 2013: a child's form through 2026, the adolescent's (the ORS) from 2027."""
    client = episode.client
    client.age_group, client.birth_year = "child", 2013
    client.save()
    in_2026 = Session.objects.create(episode=episode, number=1, date=datetime.date(2026, 12, 1))
    in_2027 = Session.objects.create(episode=episode, number=2, date=datetime.date(2027, 1, 4))
    first = prepare_handover(
        episode, method="tablet", purpose="outcome", session=in_2026, user=helper
    )
    second = prepare_handover(
        episode, method="tablet", purpose="outcome", session=in_2027, user=helper
    )
    assert (first.instrument.key, second.instrument.key) == ("cors", "ors")


def test_a_missing_choice_is_a_clear_refusal_not_an_error(staff, episode):
    ServiceForm.objects.filter(service=episode.service, purpose="outcome").delete()
    staff.cookies["django_language"] = "en"
    response = staff.post(
        reverse("ratings:handover", args=[episode.client_id, episode.pk]),
        {"purpose": "outcome", "rater": "client", "method": "tablet"},
    )
    assert response.status_code == 400
    assert (
        "No form is chosen for this age group. Ask your service administrator."
        in response.content.decode()
    )
    assert not Handover.objects.exists()
    assert not Session.objects.exists()


def test_a_form_no_longer_active_is_no_choice(episode, helper):
    Instrument.objects.filter(key="srs").update(active=False)
    with pytest.raises(RatingError, match="No form is chosen"):
        prepare_handover(episode, method="tablet", purpose="alliance", user=helper)
