"""A hash chain over the audit log, so that changing or removing an event is detectable.

The triggers stop the application and anyone using its normal paths; a database superuser can
still disable them. Each sealed event therefore carries a SHA-256 over its own content and the
seal of the event before it: changing an event breaks its own seal, removing one breaks the
link of the event after it.

Why sealing is a separate step instead of part of `log.record`: chaining at insert time would
make every transaction that logs something (a long import, every page view) wait for the one
before it to commit, because each event would need the previous one's hash. Events are
therefore written with an empty seal, and `seal_pending` (the `seal_audit_log` command, run
every few minutes) numbers the committed unsealed events in id order and fills `chain_position`,
`previous_seal` and `seal` once; the database allows exactly that change and nothing else. An
event committed late with a lower id is simply sealed by a later run, at a higher position.
Only sealers wait for each other (PostgreSQL advisory lock; SQLite has one writer at a time), and
the unique `chain_position` makes a forked chain impossible either way.

The hash input is canonical: the UTF-8 bytes of a compact JSON array (no spaces, non-ASCII kept
as is) of the previous seal followed by the values of `FIELDS` in that order, with `at` in UTC as
`YYYY-MM-DDTHH:MM:SS.ffffffZ`, numbers as JSON numbers and missing values as null. Each event
stores `previous_seal`, so verification can start at any event, such as the first one left after
the retention job (retention.py) removed the oldest.

What the chain cannot show by itself is the newest events removed or the whole chain rewritten
from some event on; `verify_audit_log` prints the last seal so that keeping its daily output
outside the database (cron mail, syslog) covers that.
"""

import datetime
import hashlib
import json
from dataclasses import dataclass

from django.db import connection, transaction

from .models import AuditEvent

FIELDS = (
    "chain_position",
    "id",
    "at",
    "user_id",
    "actor",
    "action",
    "service_id",
    "client_id",
    "object_type",
    "object_id",
    "ip_address",
    "detail",
)
BATCH = 500
SEALER_LOCK = 0x61756469  # "audi": the advisory lock key that only sealers take


def _plain(value):
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return value


def canonical(previous_seal: str, fields: dict) -> bytes:
    """The exact bytes a seal is the SHA-256 of (see the module docstring)."""
    values = [previous_seal, *(_plain(fields[name]) for name in FIELDS)]
    return json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def seal_of(previous_seal: str, fields: dict) -> str:
    return hashlib.sha256(canonical(previous_seal, fields)).hexdigest()


def _take_sealer_lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SEALER_LOCK])


@transaction.atomic
def seal_pending() -> int:
    """Seal every committed unsealed event, oldest id first; return how many were sealed."""
    _take_sealer_lock()
    head = (
        AuditEvent.objects.exclude(chain_position=None)
        .order_by("-chain_position")
        .values("chain_position", "seal")
        .first()
    )
    position, previous = (head["chain_position"], head["seal"]) if head else (0, "")
    sealed = 0
    while rows := list(
        AuditEvent.objects.filter(chain_position=None).order_by("id").values(*FIELDS)[:BATCH]
    ):
        events = []
        for row in rows:
            position += 1
            row["chain_position"] = position
            seal = seal_of(previous, row)
            events.append(
                AuditEvent(id=row["id"], chain_position=position, previous_seal=previous, seal=seal)
            )
            previous = seal
        AuditEvent.objects.bulk_update(events, ["chain_position", "previous_seal", "seal"])
        sealed += len(events)
    return sealed


@dataclass(frozen=True)
class Verdict:
    events: int
    unsealed: int
    last_position: int | None = None
    last_seal: str = ""
    broken_at: int | None = None  # the id of the first event that does not hold
    problem: str = ""

    @property
    def intact(self) -> bool:
        return self.broken_at is None


def verify() -> Verdict:
    """Walk the sealed events by position; stop at the first one whose seal or link fails."""
    unsealed = AuditEvent.objects.filter(chain_position=None).count()
    rows = (
        AuditEvent.objects.exclude(chain_position=None)
        .order_by("chain_position")
        .values(*FIELDS, "previous_seal", "seal")
    )
    count, before = 0, None
    for row in rows.iterator(chunk_size=2000):
        problem = _problem(before, row)
        if problem:
            return Verdict(count, unsealed, broken_at=row["id"], problem=problem)
        count, before = count + 1, row
    if before is None:
        return Verdict(0, unsealed)
    return Verdict(count, unsealed, before["chain_position"], before["seal"])


def _problem(before: dict | None, row: dict) -> str:
    if before is not None and row["chain_position"] != before["chain_position"] + 1:
        return f"position {before['chain_position'] + 1} is missing before it"
    if before is not None and row["previous_seal"] != before["seal"]:
        return "it does not link to the event before it"
    if seal_of(row["previous_seal"], row) != row["seal"]:
        return "its content does not match its seal"
    return ""
