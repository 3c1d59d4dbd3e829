"""The notes of supervision and follow-up are the client's data (issue #16, items 7 and 8): in
the client's export, gone with an erasure, and without their text after retention."""

import datetime
import json

import pytest
from django.urls import reverse

from services.clients.privacy import apply_retention
from services.dashboards import facts
from services.supervision.models import Discussion, RaisedSignal, SignalFollowUp
from tests.factories import EpisodeFactory

from .conftest import OFF_TRACK, episode_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def noted(helper, supervisor, service):
    """A client's episode discussed in supervision, its signal followed up."""
    episode = episode_with(helper, service, OFF_TRACK, code="K77")
    Discussion.objects.create(
        episode=episode,
        service=service,
        helper=helper,
        supervisor=supervisor,
        discussed_on=datetime.date(2026, 2, 3),
        note="Snakk om søvnen",
    )
    SignalFollowUp.objects.create(
        episode=episode,
        service=service,
        signal="off_track",
        session=episode.sessions.get(number=3),
        note="Tok det opp",
        recorded_by=helper,
    )
    return episode


def test_the_export_lists_the_notes(client, administrator, noted):
    client.force_login(administrator)
    data = json.loads(client.get(reverse("export_client", args=[noted.client_id])).content)
    (discussion,) = data["discussed_in_supervision"]
    assert discussion["discussed_on"] == "2026-02-03"
    assert discussion["note"] == "Snakk om søvnen"
    assert discussion["episode"] == noted.code
    assert discussion["supervisor"] == "Vera Veileder"
    (follow_up,) = data["signals_followed_up"]
    assert (follow_up["signal"], follow_up["session"], follow_up["note"]) == (
        "off_track",
        3,
        "Tok det opp",
    )


def test_erasure_deletes_the_notes(client, administrator, noted):
    facts.refresh_outdated()  # builds the signal history with the facts
    assert RaisedSignal.objects.exists()
    client.force_login(administrator)
    url = reverse("erase_client", args=[noted.client_id])
    assert client.post(url, {"confirm": "K77"}).status_code == 302
    assert not Discussion.objects.exists()
    assert not SignalFollowUp.objects.exists()
    assert not RaisedSignal.objects.exists()


def test_retention_blanks_the_notes_of_the_episodes_it_anonymises(helper, service, noted):
    noted.end_date, noted.end_reason = datetime.date(2020, 1, 10), "planned"
    noted.start_date = datetime.date(2020, 1, 1)
    noted.save()
    kept = EpisodeFactory(client=noted.client, start_date=datetime.date(2026, 1, 5), code="NEW")
    Discussion.objects.create(
        episode=kept,
        service=service,
        discussed_on=datetime.date(2026, 2, 3),
        note="Still helped: kept",
    )
    apply_retention(service, datetime.date(2026, 6, 1))
    assert set(Discussion.objects.values_list("note", flat=True)) == {"", "Still helped: kept"}
    assert set(SignalFollowUp.objects.values_list("note", flat=True)) == {""}
    assert Discussion.objects.filter(note="").get().episode_id == noted.pk  # still counted
