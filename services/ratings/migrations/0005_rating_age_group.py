"""Each rating keeps the age group it was given for.

Existing ratings get the client's recorded age group: the best that is known, since the age
group was a plain field on the client until now. Where the rating's form is not for that group
(a child's form on a client since marked as adolescent), the rating gets the form's group nearest
in age: the client must have been in it when they rated. Runs before measures 0004 narrows the
child form to children, so an under-6 rating on it keeps the young-child group (and is unscored).
"""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery

AGE_ORDER = ("young_child", "child", "adolescent", "adult")


def nearest_group(group: str, form_groups: list[str]) -> str:
    if group in form_groups or group not in AGE_ORDER:
        return group
    known = [g for g in form_groups if g in AGE_ORDER]
    if not known:
        return group
    return min(known, key=lambda g: abs(AGE_ORDER.index(g) - AGE_ORDER.index(group)))


def recorded_age_group(apps, schema_editor):
    Rating = apps.get_model("ratings", "Rating")
    Client = apps.get_model("clients", "Client")
    Instrument = apps.get_model("measures", "Instrument")
    Rating.objects.update(
        age_group=Subquery(
            Client.objects.filter(episodes__sessions__ratings=OuterRef("pk")).values("age_group")[
                :1
            ]
        )
    )
    for instrument in Instrument.objects.all():
        form_groups = list(instrument.definition.get("age_groups", []))
        ratings = Rating.objects.filter(instrument=instrument).exclude(age_group__in=form_groups)
        for group in set(ratings.values_list("age_group", flat=True)):
            ratings.filter(age_group=group).update(age_group=nearest_group(group, form_groups))


class Migration(migrations.Migration):
    dependencies = [
        ("ratings", "0004_dashboard_reads_facts"),
        ("clients", "0006_birth_year"),
        ("measures", "0003_trajectorymodel"),
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
