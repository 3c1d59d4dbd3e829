"""Django's `flush`, let past the audit log's triggers.

Emptying every table is what flush is for: pytest-django's transactional tests and live server
end with one, and so do development resets. Without the permit the triggers would refuse it
(TRUNCATE on PostgreSQL, DELETE on SQLite). Only the statements of the flush itself run under
the permit, not Django's confirmation prompt, so an interactive flush holds no lock while it
waits for an answer. A database built without migrations has neither triggers nor permit table,
and is flushed as Django would.
"""

from django.core.management.commands import flush
from django.db import connections

from services.audit.guard import removal_permit


class Command(flush.Command):
    def handle(self, **options):
        database = options["database"]
        operations = connections[database].ops
        if "audit_permit" not in connections[database].introspection.table_names():
            return super().handle(**options)
        unguarded = operations.execute_sql_flush

        def execute_sql_flush(sql_list):
            with removal_permit("flush", using=database):
                unguarded(sql_list)

        operations.execute_sql_flush = execute_sql_flush
        try:
            return super().handle(**options)
        finally:
            del operations.execute_sql_flush
