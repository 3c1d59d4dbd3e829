"""Each rating keeps the age group it was given for.

Existing ratings get the client's recorded age group: the best that is known, since the age
group was a plain field on the client until now.
"""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def recorded_age_group(apps, schema_editor):
    Rating = apps.get_model("ratings", "Rating")
    Client = apps.get_model("clients", "Client")
    Rating.objects.update(
        age_group=Subquery(
            Client.objects.filter(episodes__sessions__ratings=OuterRef("pk")).values("age_group")[
                :1
            ]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("ratings", "0004_dashboard_reads_facts"),
        ("clients", "0006_birth_year"),
    ]

    operations = [
        migrations.AddField(
            model_name="rating",
            name="age_group",
            field=models.CharField(
                choices=[
                    ("adult", "Adult (18+)"),
                    ("adolescent", "Adolescent (13–17)"),
                    ("child", "Child (6–12)"),
                    ("young_child", "Young child (under 6)"),
                ],
                default="",
                max_length=20,
                verbose_name="age group",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(recorded_age_group, migrations.RunPython.noop),
    ]
