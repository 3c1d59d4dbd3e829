"""A client's rights and the data lifecycle: export, erasure, retention, consent."""

import datetime
import json
import uuid

import pytest
from django.core.management import call_command
from django.urls import reverse

from services.audit.models import AuditEvent
from services.clients.models import Client, Episode
from services.clients.privacy import apply_retention, retention_cutoff
from services.ratings.models import Rating
from services.ratings.recording import RatingError, record_rating
from services.sessions.models import Session
from tests.factories import EpisodeFactory, RatingFactory, SessionFactory, instrument

pytestmark = pytest.mark.django_db


@pytest.fixture
def rated_episode(service, helper):
    episode = EpisodeFactory(client__service=service, client__code="K77")
    episode.helpers.add(helper)
    for number in (1, 2):
        session = SessionFactory(episode=episode, number=number)
        RatingFactory(session=session, score=15 + number)
        RatingFactory(session=session, key="srs", score=37)
    return episode


def test_an_administrator_downloads_everything_about_a_client(client, administrator, rated_episode):
    client.force_login(administrator)
    response = client.get(reverse("export_client", args=[rated_episode.client_id]))
    assert response["Content-Disposition"] == 'attachment; filename="klient-K77.json"'
    data = json.loads(response.content)
    assert data["client"]["code"] == "K77"
    sessions = data["episodes"][0]["sessions"]
    assert [s["number"] for s in sessions] == [1, 2]
    assert {r["purpose"] for r in sessions[0]["ratings"]} == {"outcome", "alliance"}
    assert sessions[1]["ratings"][0]["total"] in {"17.0", "37.0"}
    event = AuditEvent.objects.get(action="export")
    assert event.client_id == rated_episode.client_id


def test_helpers_and_other_services_administrators_cannot_export(client, helper, rated_episode):
    client.force_login(helper)
    assert client.get(reverse("export_client", args=[rated_episode.client_id])).status_code == 404
    assert client.get(reverse("privacy")).status_code == 404


def test_erasure_needs_the_code_typed_and_keeps_only_the_fact(client, administrator, rated_episode):
    client.force_login(administrator)
    url = reverse("erase_client", args=[rated_episode.client_id])
    assert client.post(url, {"confirm": "K78"}).status_code == 400
    assert Client.objects.filter(code="K77").exists()
    assert client.post(url, {"confirm": "K77"}).status_code == 302
    assert not Client.objects.exists()
    assert not Session.objects.exists()
    assert not Rating.objects.exists()
    event = AuditEvent.objects.get(action="delete")
    assert event.client_id == rated_episode.client_id
    assert event.detail == "erased: 1 episodes, 2 sessions, 4 ratings"


def test_the_privacy_page_finds_clients_of_my_services_only(client, administrator, rated_episode):
    EpisodeFactory(client__code="K99")  # another service
    client.force_login(administrator)
    assert "K77" in client.get(reverse("privacy"), {"code": "K77"}).content.decode()
    page = client.get(reverse("privacy"), {"code": "K99"}).content.decode()
    assert "Ingen klient med denne koden" in page


def test_retention_anonymises_old_episodes_and_is_safe_to_repeat(service):
    today = datetime.date(2026, 11, 23)
    old = EpisodeFactory(
        client__service=service,
        client__code="OLD",
        client__display_name="Ola",
        start_date=datetime.date(2020, 1, 1),
        end_date=datetime.date(2021, 11, 22),
        end_reason="planned",
    )
    RatingFactory(session=SessionFactory(episode=old, number=1))
    mixed = EpisodeFactory(
        client__service=service,
        client__code="MIX",
        start_date=datetime.date(2020, 1, 1),
        end_date=datetime.date(2021, 1, 1),
        end_reason="planned",
    )
    EpisodeFactory(client=mixed.client, start_date=datetime.date(2026, 1, 1))
    recent = EpisodeFactory(
        client__service=service,
        client__code="NEW",
        start_date=datetime.date(2021, 1, 1),
        end_date=datetime.date(2021, 11, 23),
        end_reason="planned",
    )
    result = apply_retention(service, today)
    assert (result.anonymised, result.moved_episodes) == (1, 1)
    old.client.refresh_from_db()
    assert old.client.code.startswith("anonym-")
    assert old.client.display_name == ""
    assert Rating.objects.filter(session__episode=old).count() == 1  # figures survive
    mixed.refresh_from_db()
    assert mixed.client.code.startswith("anonym-")
    assert Client.objects.get(code="MIX").episodes.count() == 1
    assert Client.objects.filter(code="NEW").exists() and recent.client.code == "NEW"
    again = apply_retention(service, today)
    assert again.clients == []


def test_retention_can_delete_and_the_command_reports(service, capsys):
    EpisodeFactory(
        client__service=service,
        start_date=datetime.date(2010, 1, 1),
        end_date=datetime.date(2011, 1, 1),
        end_reason="moved",
    )
    call_command("apply_retention", "--delete")
    assert "1 episode(s) deleted" in capsys.readouterr().out
    assert not Episode.objects.exists()
    call_command("apply_retention")
    assert "nothing to do" in capsys.readouterr().out


def test_retention_cutoff_handles_leap_days():
    assert retention_cutoff(datetime.date(2028, 2, 29), 5) == datetime.date(2023, 2, 28)


def test_consent_is_recorded_and_a_decline_stops_every_rating(client, helper, rated_episode):
    client.force_login(helper)
    url = reverse("clients:consent", args=[rated_episode.client_id])
    assert client.post(url, {"consent": "maybe"}).status_code == 400
    client.post(url, {"consent": "declined"})
    patient = Client.objects.get(pk=rated_episode.client_id)
    assert (patient.consent, patient.consent_by) == ("declined", helper)
    session = Session.objects.get(pk=SessionFactory(episode=rated_episode, number=3).pk)
    with pytest.raises(RatingError, match="declined"):
        record_rating(
            session=session,
            instrument=instrument("ors"),
            submission_key=uuid.uuid4(),
            method="tablet",
            items={k: "5" for k in instrument("ors").spec.item_keys},
        )
    page = client.get(reverse("clients:detail", args=[patient.pk])).content.decode()
    assert "Klienten har sagt nei" in page
