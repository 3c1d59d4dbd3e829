"""The one way past the database's refusal to remove audit rows: a permit inside a transaction.

The triggers of migration 0002 let a DELETE (or, on PostgreSQL, a TRUNCATE) of audit rows
through only while the table `audit_permit` holds a row. `removal_permit` inserts that row and
removes it again within one savepoint, so the permit is never committed: other connections
never see it (PostgreSQL shows uncommitted rows to no one else; SQLite lets one writer at a
time), and it ends with the block whether the block succeeds or fails.

Why a table on both databases rather than PostgreSQL's `SET LOCAL` session settings: SQLite has
no session settings, and one mechanism that behaves the same in development, tests and
production is easier to trust than two. Neither is a defence against someone who can run SQL as
the table's owner; that person could drop the triggers too. The hash chain (chain.py) is what
makes such tampering visible.

Only two callers may use it: the retention job for the log (retention.py) and the `flush`
command, which by definition empties every table.
"""

from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections, transaction


@contextmanager
def removal_permit(reason: str, *, using: str = DEFAULT_DB_ALIAS):
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        cursor.execute("INSERT INTO audit_permit (reason) VALUES (%s)", [reason])
        yield
        cursor.execute("DELETE FROM audit_permit WHERE reason = %s", [reason])
