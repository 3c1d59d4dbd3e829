"""Random input to the main POST endpoints never gives a 500 and never half-saves anything."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.clients.models import Client, Episode
from tests.factories import EpisodeFactory

pytestmark = pytest.mark.django_db
FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
text = st.one_of(st.text(max_size=60), st.sampled_from(["", "0", "-1", "2026-02-30", "adult", "𝔘"]))
bodies = st.dictionaries(
    st.sampled_from(
        [
            "code",
            "display_name",
            "age_group",
            "service",
            "end_date",
            "end_reason",
            "consent",
            "junk",
        ]
    ),
    text,
    max_size=6,
)


@FUZZ
@given(body=bodies)
def test_registering_a_client(client, helper, body):
    client.force_login(helper)
    before = (Client.objects.count(), Episode.objects.count())
    response = client.post(reverse("clients:new"), body)
    assert response.status_code in (302, 400)
    after = (Client.objects.count(), Episode.objects.count())
    assert after == before or after == (before[0] + 1, before[1] + 1)


@FUZZ
@given(body=bodies)
def test_closing_an_episode_and_recording_consent(client, helper, service, body):
    episode = EpisodeFactory(client__service=service)
    episode.helpers.add(helper)
    client.force_login(helper)
    close = client.post(
        reverse("clients:close_episode", args=[episode.client_id, episode.pk]), body
    )
    assert close.status_code in (302, 400)
    episode.refresh_from_db()
    assert (episode.end_date is None) == (episode.end_reason == "")
    consent = client.post(reverse("clients:consent", args=[episode.client_id]), body)
    assert consent.status_code in (302, 400)
