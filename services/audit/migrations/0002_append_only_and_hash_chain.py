"""Make the audit log append-only in the database, and give its rows a hash chain.

The schema changes come first: on SQLite, altering the user column rebuilds the table, which
would drop triggers made before it. A later migration that rebuilds this table on SQLite must
create the triggers again (tests/audit/test_append_only.py notices if it does not).

The triggers refuse every UPDATE, DELETE and (PostgreSQL) TRUNCATE of audit rows, with two
exceptions: an UPDATE that only seals an unsealed row (services/audit/chain.py), and removal
while the transaction holds a row in `audit_permit` (services/audit/guard.py), which only the
retention job and `flush` write. The permit table is no Django model, so `flush` never empties it.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


PERMIT_TABLE = "CREATE TABLE audit_permit (reason varchar(40) NOT NULL PRIMARY KEY)"

REFUSAL = "audit events are append-only"

POSTGRESQL = [
    PERMIT_TABLE,
    f"""
    CREATE FUNCTION audit_auditevent_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'UPDATE' THEN
            IF OLD.seal = '' AND OLD.chain_position IS NULL
               AND NEW.seal <> '' AND NEW.chain_position IS NOT NULL
               AND to_jsonb(NEW) - ARRAY['seal', 'previous_seal', 'chain_position']
                   = to_jsonb(OLD) - ARRAY['seal', 'previous_seal', 'chain_position'] THEN
                RETURN NEW;
            END IF;
            RAISE EXCEPTION '{REFUSAL}: only an unsealed event can be sealed'
                USING ERRCODE = 'restrict_violation';
        END IF;
        IF EXISTS (SELECT 1 FROM audit_permit) THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION '{REFUSAL}: only prune_audit_log removes events'
            USING ERRCODE = 'restrict_violation';
    END;
    $$
    """,
    """
    CREATE TRIGGER audit_auditevent_no_update BEFORE UPDATE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_auditevent_guard()
    """,
    """
    CREATE TRIGGER audit_auditevent_no_delete BEFORE DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_auditevent_guard()
    """,
    """
    CREATE TRIGGER audit_auditevent_no_truncate BEFORE TRUNCATE ON audit_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION audit_auditevent_guard()
    """,
]

POSTGRESQL_REVERSE = [
    "DROP TRIGGER audit_auditevent_no_truncate ON audit_auditevent",
    "DROP TRIGGER audit_auditevent_no_delete ON audit_auditevent",
    "DROP TRIGGER audit_auditevent_no_update ON audit_auditevent",
    "DROP FUNCTION audit_auditevent_guard()",
    "DROP TABLE audit_permit",
]

UNCHANGED = " AND ".join(
    f"NEW.{column} IS OLD.{column}"
    for column in (
        "id", "at", "user_id", "actor", "action", "service_id", "client_id", "object_type",
        "object_id", "ip_address", "detail",
    )
)

SQLITE = [
    PERMIT_TABLE,
    f"""
    CREATE TRIGGER audit_auditevent_no_update BEFORE UPDATE ON audit_auditevent
    FOR EACH ROW WHEN NOT (
        OLD.seal = '' AND OLD.chain_position IS NULL
        AND NEW.seal <> '' AND NEW.chain_position IS NOT NULL AND {UNCHANGED}
    )
    BEGIN SELECT RAISE(ABORT, '{REFUSAL}: only an unsealed event can be sealed'); END
    """,
    f"""
    CREATE TRIGGER audit_auditevent_no_delete BEFORE DELETE ON audit_auditevent
    FOR EACH ROW WHEN NOT EXISTS (SELECT 1 FROM audit_permit)
    BEGIN SELECT RAISE(ABORT, '{REFUSAL}: only prune_audit_log removes events'); END
    """,
]

SQLITE_REVERSE = [
    "DROP TRIGGER audit_auditevent_no_delete",
    "DROP TRIGGER audit_auditevent_no_update",
    "DROP TABLE audit_permit",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor)
        if statements is None:
            raise NotImplementedError(
                f"No audit triggers for {schema_editor.connection.vendor}; add them here."
            )
        for sql in statements:
            schema_editor.execute(sql, params=None)

    return run


def _forget_deleted_users(apps, schema_editor):
    """Going back to a real foreign key: events of deleted users lose the id, as SET_NULL did."""
    AuditEvent = apps.get_model("audit", "AuditEvent")
    User = apps.get_model(settings.AUTH_USER_MODEL)
    AuditEvent.objects.exclude(user=None).exclude(user_id__in=User.objects.values("pk")).update(
        user=None
    )


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='auditevent',
            name='chain_position',
            field=models.PositiveBigIntegerField(blank=True, null=True, unique=True, verbose_name='chain position'),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='previous_seal',
            field=models.CharField(blank=True, default='', max_length=64, verbose_name='previous seal'),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='seal',
            field=models.CharField(blank=True, default='', max_length=64, verbose_name='seal'),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='user',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='user'),
        ),
        migrations.RunPython(migrations.RunPython.noop, _forget_deleted_users),
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE}),
        ),
    ]
