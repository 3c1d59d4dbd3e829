"""Existing data has no signal history yet: mark every client outdated, so the next read of the
dashboard facts (or `manage.py rebuild_dashboard_facts`) builds it with them."""

from django.db import migrations


def mark_every_client(apps, schema_editor):
    Client = apps.get_model("clients", "Client")
    PendingChange = apps.get_model("dashboards", "PendingChange")
    ids = Client.objects.values_list("pk", flat=True).iterator()
    PendingChange.objects.bulk_create((PendingChange(client_id=pk) for pk in ids), batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("supervision", "0001_initial"),
        ("dashboards", "0005_episode_summary"),
    ]

    operations = [migrations.RunPython(mark_every_client, migrations.RunPython.noop)]
