"""Install the shipped ORS-, SRS-, child ORS- and child SRS-style definitions (our own wording)."""

import json
from pathlib import Path

from django.db import migrations

BUILTIN = Path(__file__).resolve().parent.parent / "builtin"


def install(apps, schema_editor):
    Instrument = apps.get_model("measures", "Instrument")
    for path in sorted(BUILTIN.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        Instrument.objects.get_or_create(
            key=data["key"],
            version=data["version"],
            defaults={"purpose": data["purpose"], "definition": data},
        )


class Migration(migrations.Migration):
    dependencies = [("measures", "0001_initial")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
