"""Forms in use become a service's choice; trajectory models are fitted per age group.

Each existing service keeps the forms its clients see today (the first current form by key that
covers the age group, which is what the app used to guess), except the under-6 outcome form:
young children get the new faces-only, unscored form, and the child outcome form loses its
young-child norms (issue #12: a faces-only form was judged by child norms). The built-in alliance
forms get the reliable drop, and the built-in forms their wording for parents and teachers.
"""

import json
from pathlib import Path

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


BUILTIN = Path(__file__).resolve().parent.parent / "builtin"
AGE_GROUPS = ("adult", "adolescent", "child", "young_child")


def choose_forms(apps, schema_editor):
    Instrument = apps.get_model("measures", "Instrument")
    Service = apps.get_model("accounts", "Service")
    ServiceForm = apps.get_model("measures", "ServiceForm")
    for path in sorted(BUILTIN.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        instrument, created = Instrument.objects.get_or_create(
            key=data["key"],
            version=data["version"],
            defaults={"purpose": data["purpose"], "definition": data},
        )
        if created or data["version"] != 1:
            continue
        stored = dict(instrument.definition)
        if data["key"] == "cors":
            stored["age_groups"] = [g for g in stored["age_groups"] if g != "young_child"]
            stored["norms"] = {g: n for g, n in stored["norms"].items() if g != "young_child"}
        if data["key"] in ("srs", "csrs") and stored.get("alliance", {}).get("drop", 1) == 1:
            # A 1-point drop is within measurement error (issue #12 item 4).
            stored["alliance"] = {**stored["alliance"], "drop": data["alliance"]["drop"]}
        same_items = [i["key"] for i in stored["items"]] == [i["key"] for i in data["items"]]
        if "raters" in data and "raters" not in stored and same_items:
            stored["raters"] = data["raters"]  # wording for a parent or teacher (item 5)
        if stored != instrument.definition:
            instrument.definition = stored
            instrument.save(update_fields=["definition"])
    newest = {}
    for instrument in Instrument.objects.filter(active=True).order_by("key", "version"):
        newest[instrument.key] = instrument
    ycors = Instrument.objects.get(key="ycors", version=1)
    for service in Service.objects.all():
        for purpose in ("outcome", "alliance"):
            for age_group in AGE_GROUPS:
                if purpose == "outcome" and age_group == "young_child":
                    chosen = ycors
                else:
                    chosen = next(
                        (
                            i
                            for i in newest.values()
                            if i.purpose == purpose and age_group in i.definition["age_groups"]
                        ),
                        None,
                    )
                if chosen is not None:
                    ServiceForm.objects.get_or_create(
                        service=service,
                        purpose=purpose,
                        age_group=age_group,
                        defaults={"instrument": chosen},
                    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0008_service_off_track_alert"),
        ("measures", "0003_trajectorymodel"),
        ("ratings", "0005_rating_age_group"),  # ratings keep their groups before cors narrows
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ServiceForm",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "purpose",
                    models.CharField(
                        choices=[("outcome", "Outcome"), ("alliance", "Alliance")],
                        max_length=20,
                        verbose_name="purpose",
                    ),
                ),
                (
                    "age_group",
                    models.CharField(
                        choices=[
                            ("adult", "Adult (18+)"),
                            ("adolescent", "Adolescent (13–17)"),
                            ("child", "Child (6–12)"),
                            ("young_child", "Young child (under 6)"),
                        ],
                        max_length=20,
                        verbose_name="age group",
                    ),
                ),
                (
                    "chosen_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="chosen"),
                ),
            ],
            options={
                "verbose_name": "form in use",
                "verbose_name_plural": "forms in use",
                "ordering": ["service", "purpose", "age_group"],
            },
        ),
        migrations.RemoveIndex(
            model_name="trajectorymodel",
            name="trajectory_service_fitted",
        ),
        migrations.AddField(
            model_name="trajectorymodel",
            name="age_group",
            field=models.CharField(
                blank=True,
                choices=[
                    ("adult", "Adult (18+)"),
                    ("adolescent", "Adolescent (13–17)"),
                    ("child", "Child (6–12)"),
                    ("young_child", "Young child (under 6)"),
                ],
                help_text="Empty for a model fitted before models were fitted per age group.",
                max_length=20,
                verbose_name="age group",
            ),
        ),
        migrations.AddIndex(
            model_name="trajectorymodel",
            index=models.Index(
                fields=["service", "age_group", "fitted_at"], name="trajectory_service_age_fitted"
            ),
        ),
        migrations.AddField(
            model_name="serviceform",
            name="chosen_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="chosen by",
            ),
        ),
        migrations.AddField(
            model_name="serviceform",
            name="instrument",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="measures.instrument",
                verbose_name="form",
            ),
        ),
        migrations.AddField(
            model_name="serviceform",
            name="service",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="forms",
                to="accounts.service",
                verbose_name="service",
            ),
        ),
        migrations.AddConstraint(
            model_name="serviceform",
            constraint=models.UniqueConstraint(
                fields=("service", "purpose", "age_group"), name="one_form_per_purpose_and_age"
            ),
        ),
        migrations.RunPython(choose_forms, migrations.RunPython.noop),
    ]
