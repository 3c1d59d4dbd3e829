"""Episode facts judged by the form and age group at intake; collateral raters' own facts.

Existing facts carry the old rules key, so the next dashboard read rebuilds them all."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0008_service_off_track_alert"),
        ("clients", "0006_birth_year"),
        ("dashboards", "0002_mark_existing_clients"),
    ]

    operations = [
        migrations.AddField(
            model_name="episodefact",
            name="age_group",
            field=models.CharField(blank=True, max_length=20),
        ),
        migrations.AddField(
            model_name="episodefact",
            name="form",
            field=models.CharField(blank=True, max_length=40),
        ),
        migrations.AddField(
            model_name="episodefact",
            name="scored",
            field=models.PositiveSmallIntegerField(default=0),
            preserve_default=False,
        ),
        migrations.CreateModel(
            name="CollateralFact",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("rater", models.CharField(max_length=20)),
                ("rater_name", models.CharField(blank=True, max_length=80)),
                ("end_date", models.DateField(null=True)),
                ("end_month", models.DateField(null=True)),
                ("form", models.CharField(max_length=40)),
                ("age_group", models.CharField(max_length=20)),
                ("ratings", models.PositiveIntegerField()),
                ("intake", models.FloatField()),
                ("end", models.FloatField()),
                ("change", models.FloatField()),
                ("scored", models.PositiveSmallIntegerField()),
                ("paired", models.PositiveSmallIntegerField()),
                ("clinical", models.PositiveSmallIntegerField()),
                ("improved", models.PositiveSmallIntegerField()),
                ("recovered", models.PositiveSmallIntegerField()),
                ("deteriorated", models.PositiveSmallIntegerField()),
                (
                    "client",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="clients.client",
                    ),
                ),
                (
                    "episode",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="clients.episode",
                    ),
                ),
                (
                    "service",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="accounts.service",
                    ),
                ),
                (
                    "team",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="accounts.team",
                    ),
                ),
            ],
            options={
                "verbose_name": "collateral fact",
                "verbose_name_plural": "collateral facts",
                "indexes": [
                    models.Index(fields=["service", "end_date"], name="collateralfact_service_end")
                ],
            },
        ),
    ]
