"""Existing data has no facts yet: mark every client outdated, so the first dashboard read (or
`manage.py rebuild_dashboard_facts`) builds them."""

from django.db import migrations


def mark_all(apps, schema_editor):
    Client = apps.get_model("clients", "Client")
    PendingChange = apps.get_model("dashboards", "PendingChange")
    PendingChange.objects.bulk_create(
        [PendingChange(client_id=pk) for pk in Client.objects.values_list("pk", flat=True)],
        batch_size=500,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("dashboards", "0001_facts"),
        ("clients", "0004_dashboard_indexes"),
    ]

    operations = [migrations.RunPython(mark_all, migrations.RunPython.noop)]
