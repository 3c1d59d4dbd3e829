"""The export: valid R4B, the client only by code, a total Observation in our own code system,
and the same few queries for any number of ratings."""

import datetime
import json

import pytest
from fhir.resources.R4B.bundle import Bundle

from services.fhir import codes
from services.fhir.export import client_bundle, export_service, service_bundle
from services.ratings.models import Rating
from tests.factories import ClientFactory, EpisodeFactory, RatingFactory, SessionFactory

pytestmark = pytest.mark.django_db


def resources(bundle: dict, kind: str) -> list[dict]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def test_the_service_bundle_is_valid_fhir_and_names_nobody(seeded):
    bundle = service_bundle(seeded)
    Bundle.model_validate(json.loads(json.dumps(bundle)))
    assert bundle["type"] == "collection"
    text = json.dumps(bundle, ensure_ascii=False)
    assert "Ola" not in text and "Nordmann" not in text and "1990" not in text
    assert "declined" not in text and "hjelper" not in text
    assert "loinc" not in text.lower()
    patients = resources(bundle, "Patient")
    assert sorted(p["identifier"][0]["value"] for p in patients) == ["B/7", "D1", "K-100", "Y1"]
    for patient in patients:
        assert set(patient) == {"resourceType", "identifier"}
        assert patient["identifier"] == [
            {"system": codes.client_system("oslo"), "value": patient["identifier"][0]["value"]}
        ]
    assert len(resources(bundle, "QuestionnaireResponse")) == Rating.objects.count() == 10
    forms = {q["url"] for q in resources(bundle, "Questionnaire")}
    assert forms == {codes.questionnaire_url(key) for key in ("ors", "srs", "cors", "ycors")}
    assert len(resources(bundle, "Encounter")) == 6  # also the session without a rating
    episodes = {e["identifier"][0]["value"]: e for e in resources(bundle, "EpisodeOfCare")}
    assert episodes["K-100/F1"]["status"] == "finished"
    assert episodes["K-100/F1"]["period"] == {"start": "2026-01-05", "end": "2026-03-01"}
    assert episodes["K-100/F1"]["extension"][0]["valueCoding"]["code"] == "planned"
    assert episodes["B/7/F/2"]["status"] == "active"


def test_a_response_carries_items_total_rater_and_an_observation(seeded):
    bundle = service_bundle(seeded)
    by_url = {e["fullUrl"]: e["resource"] for e in bundle["entry"]}
    responses = resources(bundle, "QuestionnaireResponse")
    rating = Rating.objects.get(
        session__episode__client__code="K-100", purpose="outcome", session__number=1
    )
    response = by_url[f"urn:uuid:{rating.submission_key}"]
    assert response["identifier"] == {
        "system": "urn:ietf:rfc:3986",
        "value": f"urn:uuid:{rating.submission_key}",
    }
    assert response["questionnaire"] == codes.questionnaire_url("ors") + "|1"
    answers = {i["linkId"]: i["answer"][0]["valueDecimal"] for i in response["item"]}
    assert answers == {
        "individually": 4.5,
        "interpersonally": 6.0,
        "socially": 7.3,
        "overall": 10.0,
        "total": 27.8,
    }
    assert response["authored"] == "2026-01-05T10:15:00.123456+01:00"
    assert by_url[response["subject"]["reference"]]["resourceType"] == "Patient"
    assert response["source"] == response["subject"]
    encounter = by_url[response["encounter"]["reference"]]
    assert encounter["identifier"][0]["value"] == "K-100/F1/1"
    assert encounter["period"] == {"start": "2026-01-05"}

    paper = [r for r in responses if [i["linkId"] for i in r["item"]] == ["total"]]
    assert {r["item"][0]["answer"][0]["valueDecimal"] for r in paper} == {31.4, 12.5}
    teachers = [r for r in responses if r.get("source", {}).get("type") == "RelatedPerson"]
    assert sorted(r["source"]["display"] for r in teachers) == ["Lærer Berg", "Lærer Hansen", "Mor"]

    observations = resources(bundle, "Observation")
    assert len(observations) == 9  # not the unscored faces form
    derived = {o["derivedFrom"][0]["reference"]: o for o in observations}
    total = derived[f"urn:uuid:{rating.submission_key}"]
    assert total["code"]["coding"][0] == {
        "system": codes.code_system("score"),
        "code": "ors-total",
        "display": "Hvordan har livet vært? (ORS-stil)",
    }
    assert total["valueQuantity"]["value"] == 27.8
    assert total["valueQuantity"]["code"] == "{score}"
    assert total["effectiveDateTime"] == response["authored"]


def test_a_period_takes_its_sessions_only(seeded):
    exported = export_service(seeded, datetime.date(2026, 2, 1), datetime.date(2026, 2, 28))
    codes_in = {p["identifier"][0]["value"] for p in resources(exported.bundle, "Patient")}
    assert codes_in == {"B/7"}
    assert len(exported.clients) == 1
    assert len(resources(exported.bundle, "QuestionnaireResponse")) == 5


def test_a_client_bundle_has_all_of_one_client(seeded):
    client = seeded.clients.get(code="K-100")
    EpisodeFactory(client=client, code="F9", start_date=datetime.date(2026, 6, 1))
    bundle = client_bundle(client)
    Bundle.model_validate(json.loads(json.dumps(bundle)))
    assert [p["identifier"][0]["value"] for p in resources(bundle, "Patient")] == ["K-100"]
    assert len(resources(bundle, "EpisodeOfCare")) == 2  # also the one without sessions
    assert len(resources(bundle, "QuestionnaireResponse")) == 3


def add_ratings(service, count: int) -> None:
    for _ in range(count):
        client = ClientFactory(service=service)
        session = SessionFactory(episode=EpisodeFactory(client=client), number=1)
        RatingFactory(session=session)
        RatingFactory(session=session, key="srs", score=30)


def test_the_queries_do_not_grow_with_the_ratings(service, django_assert_max_num_queries):
    add_ratings(service, 2)
    client = service.clients.first()
    with django_assert_max_num_queries(3):
        service_bundle(service)
    with django_assert_max_num_queries(5):
        client_bundle(client)
    add_ratings(service, 20)
    with django_assert_max_num_queries(3):
        bundle = service_bundle(service)
    assert len(resources(bundle, "QuestionnaireResponse")) == 44
    with django_assert_max_num_queries(5):
        client_bundle(client)
