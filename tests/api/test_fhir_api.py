"""FHIR through the API (issue #19 parts 1 and 2): a client's Bundle, a period's Bundle, and an
import that is all-or-nothing, idempotent and scoped to the key's service."""

import json

import pytest
from django.urls import reverse

from services.audit.models import AuditEvent
from services.clients.models import Client
from services.ratings.models import Method, Rating

from .conftest import bearer

pytestmark = pytest.mark.django_db


def test_a_clients_bundle_names_no_one(client, read_key, rated_episode):
    Client.objects.filter(pk=rated_episode.client_id).update(display_name="Kari Nordmann")
    response = client.get(
        reverse("api:fhir-client", args=[rated_episode.client_id]), **bearer(read_key)
    )
    assert response.status_code == 200
    bundle = response.json()
    assert bundle["resourceType"] == "Bundle"
    kinds = [entry["resource"]["resourceType"] for entry in bundle["entry"]]
    assert kinds.count("QuestionnaireResponse") == 2 and "Patient" in kinds
    assert "Kari" not in response.content.decode()
    logged = AuditEvent.objects.filter(detail="api fhir export")
    assert list(logged.values_list("client_id", flat=True)) == [rated_episode.client_id]


def test_another_services_client_bundle_is_not_found(client, other_key, rated_episode):
    path = reverse("api:fhir-client", args=[rated_episode.client_id])
    assert client.get(path, **bearer(other_key)).status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"from": "2026-01-01"},
        {"from": "x", "to": "2026-01-01"},
        {"from": "2026-01-01", "to": "2027-06-01"},
        {"from": "2026-02-01", "to": "2026-01-01"},
    ],
)
def test_a_period_bundle_needs_a_period_of_at_most_a_year(client, read_key, query):
    response = client.get(reverse("api:fhir-bundle"), query, **bearer(read_key))
    assert response.status_code == 400


def test_export_then_import_round_trips_through_the_api(client, write_key, rated_episode):
    period = {"from": "2026-01-01", "to": "2026-12-31"}
    bundle = client.get(reverse("api:fhir-bundle"), period, **bearer(write_key)).json()
    stored = list(Rating.objects.values_list("submission_key", "total", "items"))
    Client.objects.all().delete()
    post = {"content_type": "application/fhir+json", **bearer(write_key)}
    first = client.post(reverse("api:fhir-import"), json.dumps(bundle), **post)
    assert first.status_code == 200, first.json()
    assert first.json()["created"]["ratings"] == 2
    again = client.post(reverse("api:fhir-import"), json.dumps(bundle), **post)
    assert again.json() == {"created": {}, "unchanged": 2}
    assert sorted(Rating.objects.values_list("submission_key", "total", "items")) == sorted(stored)
    assert set(Rating.objects.values_list("method", flat=True)) == {Method.IMPORT}


def test_a_bad_bundle_imports_nothing_and_says_where(client, write_key, rated_episode):
    period = {"from": "2026-01-01", "to": "2026-12-31"}
    bundle = client.get(reverse("api:fhir-bundle"), period, **bearer(write_key)).json()
    Client.objects.all().delete()
    responses = [
        e for e in bundle["entry"] if e["resource"]["resourceType"] == "QuestionnaireResponse"
    ]
    responses[-1]["resource"]["item"][0]["answer"][0]["valueDecimal"] = 11
    response = client.post(
        reverse("api:fhir-import"),
        json.dumps(bundle),
        content_type="application/json",
        **bearer(write_key),
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["where"].startswith("Bundle.entry[")
    assert not Rating.objects.exists()


@pytest.mark.parametrize("body", [b"", b"{", b"[]", b'{"resourceType": "Patient"}', b"\xff\xfe"])
def test_garbage_is_a_400_never_a_500(client, write_key, body):
    response = client.post(
        reverse("api:fhir-import"), body, content_type="application/fhir+json", **bearer(write_key)
    )
    assert response.status_code == 400
