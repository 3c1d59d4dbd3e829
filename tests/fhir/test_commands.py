"""export_fhir and import_fhir: a file out, the same ratings back, each client in the log."""

import json

import pytest
from django.core.management import CommandError, call_command

from services.audit.models import Action, AuditEvent
from services.clients.models import Client
from services.ratings.models import Rating

from .conftest import snapshot

pytestmark = pytest.mark.django_db


def test_export_to_a_file_and_import_it_again(seeded, tmp_path, capsys):
    before = snapshot(seeded)
    path = tmp_path / "oslo.json"
    call_command("export_fhir", "--service", "oslo", "--output", str(path))
    bundle = json.loads(path.read_text(encoding="utf-8"))
    assert bundle["resourceType"] == "Bundle"
    exported = AuditEvent.objects.filter(action=Action.EXPORT, detail="FHIR export")
    assert sorted(exported.values_list("client_id", flat=True)) == sorted(
        Client.objects.values_list("pk", flat=True)
    )
    assert set(exported.values_list("actor", flat=True)) == {"export_fhir"}

    Client.objects.all().delete()
    call_command("import_fhir", "--service", "oslo", str(path))
    assert "created 4 clients, 4 episodes, 10 ratings, 5 sessions" in capsys.readouterr().out
    assert snapshot(seeded) == before
    imported = AuditEvent.objects.filter(action=Action.IMPORT, detail="FHIR import")
    assert imported.count() == 4
    assert set(imported.values_list("actor", flat=True)) == {"import_fhir"}

    call_command("import_fhir", "--service", "oslo", str(path))
    assert "created nothing; 10 rating(s) already stored" in capsys.readouterr().out
    assert AuditEvent.objects.filter(action=Action.IMPORT, client_id=None).count() == 1


def test_export_one_client_to_standard_output(seeded, capsys):
    call_command("export_fhir", "--service", "oslo", "--client", "K-100")
    bundle = json.loads(capsys.readouterr().out)
    patients = [e for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient"]
    assert [p["resource"]["identifier"][0]["value"] for p in patients] == ["K-100"]
    logged = AuditEvent.objects.get(action=Action.EXPORT, detail="FHIR export")
    assert logged.client_id == Client.objects.get(code="K-100").pk


def test_a_period_on_the_command_line(seeded, capsys):
    call_command("export_fhir", "--service", "oslo", "--from", "2026-02-01", "--to", "2026-02-28")
    bundle = json.loads(capsys.readouterr().out)
    responses = [
        e for e in bundle["entry"] if e["resource"]["resourceType"] == "QuestionnaireResponse"
    ]
    assert len(responses) == 5


def test_a_refused_bundle_says_why_and_stores_nothing(seeded, tmp_path):
    path = tmp_path / "bad.json"
    path.write_bytes(b'{"resourceType": "Bundle", "type": "collection", "entry": []}')
    with pytest.raises(CommandError, match="the bundle has no QuestionnaireResponse"):
        call_command("import_fhir", "--service", "oslo", str(path))
    path.write_bytes(b"\x00garbage")
    with pytest.raises(CommandError, match="not JSON"):
        call_command("import_fhir", "--service", "oslo", str(path))
    assert Rating.objects.count() == 10


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["export_fhir", "--service", "nowhere"], "No service"),
        (["export_fhir", "--service", "oslo", "--client", "X"], "No client"),
        (
            ["export_fhir", "--service", "oslo", "--client", "K-100", "--from", "2026-01-01"],
            "not with --client",
        ),
        (
            ["export_fhir", "--service", "oslo", "--from", "2026-02-01", "--to", "2026-01-01"],
            "before",
        ),
        (["import_fhir", "--service", "nowhere", "x.json"], "No service"),
        (["import_fhir", "--service", "oslo", "missing.json"], "No such file"),
    ],
)
def test_command_mistakes(seeded, arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command(*arguments)
