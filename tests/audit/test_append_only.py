"""The audit log is append-only in the database itself, and tampering breaks its hash chain."""

import datetime
import io
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from services.audit import chain, retention
from services.audit.log import record
from services.audit.models import Action, AuditEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def event_at(when: datetime.datetime, detail: str = "") -> AuditEvent:
    """An event written through the one sanctioned path, as if at `when`."""
    with mock.patch("django.utils.timezone.now", return_value=when):
        return record(Action.VIEW, actor="someone", detail=detail)


def refused(statement):
    """The audit triggers refuse the statement, and the test's transaction stays usable."""
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        statement()


def raw(sql: str, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def verify() -> str:
    out = io.StringIO()
    call_command("verify_audit_log", stdout=out)
    return out.getvalue()


def tamper(sql: str, params=()):
    """Change the log behind the triggers' back, as a database superuser could."""
    if connection.vendor == "postgresql":
        raw("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
    else:
        raw("DROP TRIGGER audit_auditevent_no_update")
        raw("DROP TRIGGER audit_auditevent_no_delete")
    raw(sql, params)


# -- append-only ------------------------------------------------------------------------------


def test_raw_sql_cannot_change_or_delete_an_event():
    event = record(Action.VIEW, actor="someone", detail="original")
    refused(lambda: raw("UPDATE audit_auditevent SET detail = 'x' WHERE id = %s", [event.pk]))
    refused(lambda: raw("DELETE FROM audit_auditevent WHERE id = %s", [event.pk]))
    assert AuditEvent.objects.get(pk=event.pk).detail == "original"


def test_querysets_cannot_change_or_delete_events():
    event = record(Action.VIEW, actor="someone", detail="original")
    refused(lambda: AuditEvent.objects.filter(pk=event.pk).update(detail="x"))
    refused(lambda: AuditEvent.objects.all().delete())
    assert AuditEvent.objects.get(pk=event.pk).detail == "original"


def test_postgresql_refuses_truncate():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no TRUNCATE")
    record(Action.VIEW, actor="someone")
    refused(lambda: raw("TRUNCATE audit_auditevent"))
    assert AuditEvent.objects.count() == 1


def test_sealing_cannot_change_anything_else_or_reseal():
    event = record(Action.VIEW, actor="someone", detail="original")
    refused(
        lambda: AuditEvent.objects.filter(pk=event.pk).update(
            seal="f" * 64, chain_position=1, detail="x"
        )
    )
    chain.seal_pending()
    refused(lambda: AuditEvent.objects.filter(pk=event.pk).update(seal="f" * 64))
    assert AuditEvent.objects.get(pk=event.pk).detail == "original"


def test_deleting_a_staff_user_keeps_their_events(client, administrator, helper):
    event = record(Action.VIEW, user=helper)
    helper.delete()
    event = AuditEvent.objects.get(pk=event.pk)
    assert event.actor == "hjelper"
    assert event.user_id is not None  # who it was stays, even though the account is gone
    client.force_login(administrator)
    assert client.get(reverse("audit_log")).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_flush_still_empties_the_database():
    """Test isolation (pytest-django's transactional tests) and dev resets rely on it."""
    record(Action.VIEW, actor="someone")
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEvent.objects.exists()
    record(Action.VIEW, actor="someone")
    refused(lambda: AuditEvent.objects.all().delete())  # the permit ended with the flush


# -- the retention job ------------------------------------------------------------------------


def test_pruning_removes_only_old_events_and_logs_itself():
    old = event_at(NOW - datetime.timedelta(days=365 * 11), "old")
    kept = event_at(NOW - datetime.timedelta(days=365 * 9), "kept")
    out = io.StringIO()
    call_command("prune_audit_log", "--older-than-years", "10", stdout=out)
    assert not AuditEvent.objects.filter(pk=old.pk).exists()
    assert AuditEvent.objects.filter(pk=kept.pk).exists()
    note = AuditEvent.objects.get(actor="prune_audit_log")
    assert note.action == Action.DELETE
    assert "1 event(s)" in note.detail
    assert "Removed 1 event(s)" in out.getvalue()
    refused(lambda: AuditEvent.objects.all().delete())  # the permit ended with the job


def test_pruning_is_idempotent_and_takes_its_default_from_settings(settings):
    settings.AUDIT_RETENTION_YEARS = 2
    event_at(NOW - datetime.timedelta(days=365 * 3), "old")
    call_command("prune_audit_log", stdout=io.StringIO())
    assert AuditEvent.objects.count() == 1  # only the job's own note
    call_command("prune_audit_log", stdout=io.StringIO())
    assert AuditEvent.objects.count() == 1


def test_pruning_a_sealed_log_leaves_a_chain_that_verifies():
    for years in (12, 11, 1):
        event_at(NOW - datetime.timedelta(days=365 * years))
    chain.seal_pending()
    assert retention.prune(NOW - datetime.timedelta(days=365 * 10)) == 2
    chain.seal_pending()
    assert verify().strip().startswith("2 events, chain intact")


# -- sealing and verification -----------------------------------------------------------------


def test_sealed_events_verify_and_late_events_are_sealed_next_time():
    for n in range(3):
        record(Action.VIEW, actor="someone", detail=str(n))
    assert chain.seal_pending() == 3
    record(Action.VIEW, actor="someone", detail="late")
    assert chain.seal_pending() == 1
    assert chain.seal_pending() == 0
    positions = list(AuditEvent.objects.order_by("id").values_list("chain_position", flat=True))
    assert positions == [1, 2, 3, 4]
    assert verify().strip().startswith("4 events, chain intact")


def test_verify_names_the_first_changed_event():
    events = [record(Action.VIEW, actor="someone", detail=str(n)) for n in range(3)]
    chain.seal_pending()
    tamper("UPDATE audit_auditevent SET detail = 'nothing to see' WHERE id = %s", [events[1].pk])
    with pytest.raises(CommandError, match=f"event {events[1].pk}"):
        verify()


def test_verify_names_the_event_after_a_removed_one():
    events = [record(Action.VIEW, actor="someone", detail=str(n)) for n in range(3)]
    chain.seal_pending()
    tamper("DELETE FROM audit_auditevent WHERE id = %s", [events[1].pk])
    with pytest.raises(CommandError, match=f"event {events[2].pk}"):
        verify()


def test_the_seal_covers_every_field_in_a_documented_order():
    fields = {
        "chain_position": 1,
        "id": 7,
        "at": datetime.datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=datetime.UTC),
        "user_id": None,
        "actor": "ånund",
        "action": "view",
        "service_id": 2,
        "client_id": None,
        "object_type": "client",
        "object_id": "9",
        "ip_address": "127.0.0.1",
        "detail": "",
    }
    seal = chain.seal_of("", fields)
    assert len(seal) == 64
    for name, other in [("detail", "x"), ("user_id", 3), ("chain_position", 2)]:
        assert chain.seal_of("", {**fields, name: other}) != seal
    assert chain.seal_of("0" * 64, fields) != seal


def test_the_admin_shows_an_events_seal_read_only(client):
    event = record(Action.VIEW, actor="someone")
    chain.seal_pending()
    client.force_login(UserFactory(username="operator", is_staff=True, is_superuser=True))
    page = client.get(reverse("admin:audit_auditevent_change", args=[event.pk]))
    assert AuditEvent.objects.get(pk=event.pk).seal in page.content.decode()
    listing = client.get(reverse("admin:audit_auditevent_changelist")).content.decode()
    assert "column-chain_position" in listing
