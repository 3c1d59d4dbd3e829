"""A backup restores to the same figures: pg_dump -Fc of a seeded database, pg_restore into a
fresh one, and the outcome report, the audit chain and its append-only triggers are unchanged.

PostgreSQL only (docs/deploy.md, "Backups"); it uses databases of its own on the same server.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(settings.BASE_DIR)
SOURCE, RESTORED = "feedback_deploy_backup", "feedback_deploy_restored"

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="backups are pg_dump/pg_restore: PostgreSQL only"
)

WRITE_AUDIT_EVENTS = """
from services.audit import log
from services.clients.models import Client
for client in Client.objects.order_by("pk")[:5]:
    log.record("view", client=client, actor="backup-test")
"""
TRY_TO_CHANGE_AUDIT = """
from services.audit.models import AuditEvent
from django.db import DatabaseError
try:
    AuditEvent.objects.update(detail="changed")
except DatabaseError as error:
    print("refused:", error)
"""


def server() -> dict:
    default = settings.DATABASES["default"]
    return {
        "host": default.get("HOST") or "127.0.0.1",
        "port": str(default.get("PORT") or 5432),
        "user": default.get("USER") or "postgres",
        "password": default.get("PASSWORD") or "",
    }


def admin_sql(*statements: str) -> tuple | None:
    """Runs statements in the server's `postgres` database; the last one's first row."""
    parameters = server()
    with psycopg.connect(
        host=parameters["host"],
        port=parameters["port"],
        user=parameters["user"],
        password=parameters["password"] or None,
        dbname="postgres",
        autocommit=True,
    ) as admin:
        for statement in statements:
            cursor = admin.execute(statement)
        return cursor.fetchone() if cursor.description else None


def client_tool(name: str) -> str:
    """pg_dump/pg_restore of the server's major version: an older one refuses a newer server."""
    major = int(admin_sql("SHOW server_version_num")[0]) // 10000
    versioned = Path(f"/usr/lib/postgresql/{major}/bin/{name}")
    found = str(versioned) if versioned.exists() else shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed (Debian: postgresql-client-{major})")
    return found


def url(database: str) -> str:
    parameters = server()
    password = f":{parameters['password']}" if parameters["password"] else ""
    return (
        f"postgres://{parameters['user']}{password}@{parameters['host']}:{parameters['port']}"
        f"/{database}"
    )


def manage(database: str, *arguments: str) -> str:
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *arguments],
        cwd=ROOT,
        env=environment | {"DATABASE_URL": url(database)},
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def pg(tool: str, *arguments: str) -> None:
    parameters = server()
    environment = os.environ | {"PGPASSWORD": parameters["password"]}
    command = [client_tool(tool), "-h", parameters["host"], "-p", parameters["port"]]
    result = subprocess.run(
        [*command, "-U", parameters["user"], *arguments],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture
def databases():
    drop = [f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)' for name in (SOURCE, RESTORED)]
    admin_sql(*drop, f'CREATE DATABASE "{SOURCE}"', f'CREATE DATABASE "{RESTORED}"')
    try:
        yield
    finally:
        admin_sql(*drop)


def test_a_restored_dump_gives_the_same_outcome_report_and_audit_chain(databases, tmp_path):
    manage(SOURCE, "migrate", "--noinput")
    manage(SOURCE, "seed_demo", "--clients", "60")
    manage(SOURCE, "shell", "-c", WRITE_AUDIT_EVENTS)
    manage(SOURCE, "seal_audit_log")
    report = manage(SOURCE, "outcome_report", "--service", "demo", "--json")
    chain = manage(SOURCE, "verify_audit_log")
    figures = json.loads(report)
    assert figures["sessions"] > 100 and figures["episodes_closed"] > 0  # a report worth comparing
    assert "chain intact" in chain and "last seal at position" in chain

    dump = tmp_path / "feedback.dump"
    pg("pg_dump", "--format=custom", f"--file={dump}", SOURCE)
    pg("pg_restore", "--no-owner", "--exit-on-error", f"--dbname={RESTORED}", str(dump))

    assert manage(RESTORED, "outcome_report", "--service", "demo", "--json") == report
    assert manage(RESTORED, "verify_audit_log") == chain
    manage(RESTORED, "migrate", "--check")  # the same migrations, none left to apply
    # The append-only triggers came along with the data.
    assert "refused: audit events are append-only" in manage(
        RESTORED, "shell", "-c", TRY_TO_CHANGE_AUDIT
    )
    # And the chain goes on after the restore.
    manage(RESTORED, "shell", "-c", WRITE_AUDIT_EVENTS)
    manage(RESTORED, "seal_audit_log")
    assert "chain intact" in manage(RESTORED, "verify_audit_log")
