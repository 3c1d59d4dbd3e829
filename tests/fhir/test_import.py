"""Import: export → import into an emptied service gives the same ratings; all or nothing,
idempotent, scoped to one service, and every refusal names the entry and never raises."""

import copy
import json
import uuid

import pytest

from services.audit.models import Action, AuditEvent
from services.clients.models import Client, Consent
from services.fhir import codes
from services.fhir.export import service_bundle
from services.fhir.importing import BundleRejected, import_bundle
from services.ratings.models import Method, Rating
from tests.factories import ServiceFactory

from .conftest import snapshot

pytestmark = pytest.mark.django_db


def empty(service) -> None:
    Client.objects.filter(service=service).delete()
    assert not Rating.objects.exists()


def entries(bundle: dict, kind: str) -> list[dict]:
    return [e for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def test_round_trip_into_an_empty_service_gives_identical_ratings(seeded):
    before = snapshot(seeded)
    assert len(before) == 10
    bundle = json.dumps(service_bundle(seeded)).encode()
    empty(seeded)

    summary = import_bundle(seeded, bundle)

    assert snapshot(seeded) == before
    assert summary.created == {"clients": 4, "episodes": 4, "sessions": 5, "ratings": 10}
    assert set(Rating.objects.values_list("method", flat=True)) == {Method.IMPORT}
    assert Client.objects.get(code="B/7").age_group == "child"
    logged = AuditEvent.objects.filter(action=Action.IMPORT, detail="FHIR import")
    assert sorted(logged.values_list("client_id", flat=True)) == sorted(
        Client.objects.values_list("pk", flat=True)
    )


def test_importing_twice_changes_nothing(seeded):
    bundle = service_bundle(seeded)
    before = snapshot(seeded)
    ratings = list(Rating.objects.order_by("pk").values())

    summary = import_bundle(seeded, bundle)  # the service's own data
    again = import_bundle(seeded, json.dumps(bundle))

    for result in (summary, again):
        assert result.created == {} and result.unchanged == 10
    assert snapshot(seeded) == before
    assert list(Rating.objects.order_by("pk").values()) == ratings


def test_one_bad_response_imports_nothing_and_is_named(seeded):
    bundle = service_bundle(seeded)
    empty(seeded)
    response = entries(bundle, "QuestionnaireResponse")[3]
    response["resource"]["item"][0]["answer"][0]["valueDecimal"] = 10.5
    with pytest.raises(BundleRejected) as rejected:
        import_bundle(seeded, bundle)
    [(where, reason)] = rejected.value.errors
    number = bundle["entry"].index(response)
    assert where == f"Bundle.entry[{number}] ({response['fullUrl']})"
    link_id = response["resource"]["item"][0]["linkId"]
    assert reason == f"{link_id}: The score must be between 0 and 10."
    assert not Client.objects.exists() and not Rating.objects.exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda r: r["item"].pop(0), "This item has not been answered."),
        (lambda r: r.update(status="in-progress"), "only completed responses"),
        (
            lambda r: r["item"][-1]["answer"][0].update(valueDecimal=1),
            "is not the sum of the items",
        ),
        (lambda r: r["item"][0]["answer"][0].update(valueDecimal=7.25), "at most 1 decimal"),
        (
            lambda r: r["item"].append({"linkId": "x", "answer": [{"valueInteger": 1}]}),
            "unknown item x",
        ),
        (lambda r: r.update(questionnaire="http://loinc.org/q/1|1"), "not one of the forms"),
        (lambda r: r.update(subject={"reference": "urn:uuid:nowhere"}), "not in the bundle"),
        (lambda r: r.pop("encounter"), "encounter is missing"),
        (lambda r: r.pop("extension"), "is missing"),
    ],
)
def test_each_kind_of_bad_response_is_refused_with_a_reason(seeded, change, message):
    bundle = service_bundle(seeded)
    response = next(
        e for e in entries(bundle, "QuestionnaireResponse") if len(e["resource"]["item"]) == 5
    )
    change(response["resource"])
    empty(seeded)
    with pytest.raises(BundleRejected) as rejected:
        import_bundle(seeded, bundle)
    [(where, reason)] = rejected.value.errors
    assert response["fullUrl"] in where
    assert message in reason
    assert not Rating.objects.exists()


def test_a_rating_that_differs_from_the_stored_one_is_refused(seeded):
    """Another identifier for the same session, form and rater, with other scores."""
    bundle = service_bundle(seeded)
    stored = Rating.objects.get(
        session__episode__client__code="K-100", items__isnull=False, purpose="outcome"
    )
    response = next(
        e["resource"]
        for e in entries(bundle, "QuestionnaireResponse")
        if e["resource"]["identifier"]["value"] == f"urn:uuid:{stored.submission_key}"
    )
    response["identifier"]["value"] = f"urn:uuid:{uuid.uuid4()}"
    response["item"][0]["answer"][0]["valueDecimal"] = 5.5  # was 4.5
    response["item"][-1]["answer"][0]["valueDecimal"] = 28.8
    with pytest.raises(BundleRejected) as rejected:
        import_bundle(seeded, bundle)
    [(_where, reason)] = rejected.value.errors
    assert reason == "session 1 already has a different ors rating"
    assert Rating.objects.get(pk=stored.pk).total == stored.total


def test_a_declined_client_keeps_their_ratings_and_their_no(seeded):
    """Declining is not being asked again; ratings given before (or collected elsewhere) are
    imported as the CSV import and check_rating treat Method.IMPORT, and the no stays."""
    bundle = service_bundle(seeded)
    declined = Client.objects.get(code="D1")
    Rating.objects.filter(session__episode__client=declined).delete()

    summary = import_bundle(seeded, bundle)

    assert summary.created == {"ratings": 1}
    declined.refresh_from_db()
    assert declined.consent == Consent.DECLINED
    rating = Rating.objects.get(session__episode__client=declined)
    assert rating.submission_key == uuid.UUID("00000000-0000-4000-8000-000000000001")


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"not json",
        b"\xff\xfe\x00garbage",
        b'{"resourceType": "Bundle", "type": "collection", "entry": [NaN]}',
        b"[" * 100_000,
        "[]",
        {"resourceType": "Patient"},
        {"resourceType": "Bundle", "type": "collection"},
        {"resourceType": "Bundle", "type": "collection", "entry": "abc"},
        {"resourceType": "Bundle", "entry": [{"resource": {"resourceType": "Nonsense"}}]},
        {"resourceType": "Bundle", "entry": [{"resource": {"resourceType": "Patient", "x": 1}}]},
        {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": "abc"}]},
    ],
)
def test_garbage_is_an_error_not_an_exception(service, data):
    with pytest.raises(BundleRejected) as rejected:
        import_bundle(service, data)
    assert rejected.value.errors
    assert all(where and reason for where, reason in rejected.value.errors)
    assert "abc" not in str(rejected.value)  # the input is not echoed back


def test_an_invalid_resource_is_named_by_its_entry(seeded):
    bundle = service_bundle(seeded)
    response = entries(bundle, "QuestionnaireResponse")[1]
    response["resource"]["item"][0]["answer"][0] = {"valueDecimal": "seven"}
    with pytest.raises(BundleRejected) as rejected:
        import_bundle(seeded, bundle)
    where, reason = rejected.value.errors[0]
    assert where == f"Bundle.entry[{bundle['entry'].index(response)}] ({response['fullUrl']})"
    assert reason.startswith("item.0.answer.0.valueDecimal: ")


def test_another_services_bundle_is_refused_and_touches_nothing(seeded):
    bundle = service_bundle(seeded)
    other = ServiceFactory(code="bergen")
    before = snapshot(seeded)

    with pytest.raises(BundleRejected) as rejected:
        import_bundle(other, bundle)

    assert len(rejected.value.errors) == 10
    assert all("belongs to another service" in reason for _where, reason in rejected.value.errors)
    assert not Client.objects.filter(service=other).exists()
    assert snapshot(seeded) == before


def test_a_bundle_rewritten_for_another_service_cannot_reuse_its_identifiers(seeded):
    """Systems rewritten to the other service's: its new clients would take identifiers
    (submission keys) that belong to ratings of the first service, so it is refused."""
    other = ServiceFactory(code="bergen")
    text = json.dumps(service_bundle(seeded)).replace("/services/oslo/", "/services/bergen/")
    with pytest.raises(BundleRejected) as rejected:
        import_bundle(other, text)
    assert all(
        "already used by another rating" in reason for _where, reason in rejected.value.errors
    )
    assert not Client.objects.filter(service=other).exists()

    fresh = json.loads(text)
    for entry in entries(fresh, "QuestionnaireResponse"):
        entry["resource"]["identifier"]["value"] = f"urn:uuid:{uuid.uuid4()}"
    summary = import_bundle(other, fresh)
    assert summary.created["ratings"] == 10
    assert Client.objects.filter(service=other).count() == 4
    assert len(snapshot(seeded)) == 10


def test_a_minimal_bundle_from_another_system(seeded):
    """A record system's own response: no identifier of ours, the rater not said (the client),
    integer answers, no total (the sum), a date only (noon), the patient referred to by id;
    keyed by what it is about."""
    bundle = service_bundle(seeded)
    keep = {"Patient", "EpisodeOfCare", "Encounter"}
    minimal = copy.deepcopy(bundle)
    minimal["entry"] = [e for e in bundle["entry"] if e["resource"]["resourceType"] in keep]
    patient = next(
        e
        for e in minimal["entry"]
        if e["resource"]["resourceType"] == "Patient"
        and e["resource"]["identifier"][0]["value"] == "K-100"
    )
    encounter = next(
        e
        for e in minimal["entry"]
        if e["resource"]["resourceType"] == "Encounter"
        and e["resource"]["identifier"][0]["value"] == "K-100/F1/2"
    )
    patient["resource"]["id"] = "k100"
    minimal["entry"].append(
        {
            "fullUrl": "urn:uuid:6d0f3f0e-0d7c-4b8e-9a5a-1c2b3d4e5f60",
            "resource": {
                "resourceType": "QuestionnaireResponse",
                "questionnaire": codes.questionnaire_url("srs"),
                "status": "completed",
                "subject": {"reference": "Patient/k100"},  # by its id
                "encounter": {"reference": encounter["fullUrl"]},
                "authored": "2026-01-19",
                "extension": [
                    {
                        "url": codes.extension("age-group"),
                        "valueCoding": {"code": "adult"},
                    }
                ],
                "item": [
                    {"linkId": key, "answer": [{"valueInteger": 8}]}
                    for key in ("relationship", "goals", "approach", "overall")
                ],
            },
        }
    )
    first = import_bundle(seeded, minimal)
    again = import_bundle(seeded, minimal)
    assert first.created == {"ratings": 1} and again.created == {} and again.unchanged == 1
    rating = Rating.objects.get(session__number=2, purpose="alliance")
    assert rating.total == 32 and rating.rater == "client" and rating.items["goals"] == "8.0"
    assert rating.rated_at.hour == 11  # noon in Oslo, in UTC


def test_responses_that_disagree_within_the_bundle_are_named(seeded):
    bundle = service_bundle(seeded)
    empty(seeded)
    responses = entries(bundle, "QuestionnaireResponse")
    twice = copy.deepcopy(responses[0])
    twice["fullUrl"] = "urn:uuid:0f5e7a8c-1b2d-4e3f-8a9b-0c1d2e3f4a5b"
    bundle["entry"].append(twice)
    moved = copy.deepcopy(
        next(e for e in bundle["entry"] if e["resource"]["resourceType"] == "Encounter")
    )
    moved["fullUrl"] = "urn:uuid:1f5e7a8c-1b2d-4e3f-8a9b-0c1d2e3f4a5b"
    moved["resource"]["period"]["start"] = "2026-01-06"
    bundle["entry"].append(moved)
    other_day = copy.deepcopy(responses[1])
    other_day["fullUrl"] = "urn:uuid:2f5e7a8c-1b2d-4e3f-8a9b-0c1d2e3f4a5b"
    other_day["resource"]["identifier"]["value"] = f"urn:uuid:{uuid.uuid4()}"
    other_day["resource"]["encounter"]["reference"] = moved["fullUrl"]
    bundle["entry"].append(other_day)

    with pytest.raises(BundleRejected) as rejected:
        import_bundle(seeded, bundle)

    first = bundle["entry"].index(responses[0])
    count = len(bundle["entry"])
    assert sorted(rejected.value.errors) == [
        (
            f"Bundle.entry[{count - 3}] ({twice['fullUrl']})",
            "another rating of the same kind by the same rater in this session differs from "
            f"Bundle.entry[{first}]",
        ),
        (
            f"Bundle.entry[{count - 3}] ({twice['fullUrl']})",
            f"the identifier is also that of Bundle.entry[{first}]",
        ),
        (  # the same rater's rating of the same session again, only on another day
            f"Bundle.entry[{count - 1}] ({other_day['fullUrl']})",
            "another rating of the same kind by the same rater in this session differs from "
            f"Bundle.entry[{bundle['entry'].index(responses[1])}]",
        ),
        (
            f"Bundle.entry[{count - 1}] ({other_day['fullUrl']})",
            f"the session's date or helper differs from Bundle.entry[{first}]",
        ),
    ]
    assert not Rating.objects.exists()


def test_an_encounter_about_another_patient_or_a_huge_session_number(seeded):
    bundle = service_bundle(seeded)
    response = entries(bundle, "QuestionnaireResponse")[0]
    patients = entries(bundle, "Patient")
    by_url = {e["fullUrl"]: e["resource"] for e in bundle["entry"]}
    encounter = by_url[response["resource"]["encounter"]["reference"]]
    encounter["identifier"][0]["value"] = encounter["identifier"][0]["value"][:-1] + "9" * 12
    other = next(
        p for p in patients if p["fullUrl"] != response["resource"]["subject"]["reference"]
    )
    second = entries(bundle, "QuestionnaireResponse")[-1]
    second["resource"]["subject"]["reference"] = other["fullUrl"]
    with pytest.raises(BundleRejected) as rejected:
        import_bundle(seeded, bundle)
    reasons = [reason for _where, reason in rejected.value.errors]
    assert any(r.startswith("the encounter's identifier must be") for r in reasons)
    assert "the encounter is about another patient" in reasons
