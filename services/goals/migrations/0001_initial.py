import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("care_sessions", "0004_rating_corrections"),
        ("clients", "0006_birth_year"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Goal",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("position", models.PositiveSmallIntegerField(verbose_name="place in the order")),
                (
                    "text",
                    models.CharField(max_length=200, verbose_name="goal in the client's words"),
                ),
                ("created_on", models.DateField(verbose_name="date set")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("open", "Open"),
                            ("reached", "Reached"),
                            ("changed", "Reworded"),
                            ("dropped", "Dropped"),
                        ],
                        default="open",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                (
                    "status_on",
                    models.DateField(blank=True, null=True, verbose_name="status changed on"),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="stored at")),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="written down by",
                    ),
                ),
                (
                    "episode",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="goals",
                        to="clients.episode",
                        verbose_name="episode",
                    ),
                ),
                (
                    "replaces",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="replaced_by",
                        to="goals.goal",
                        verbose_name="earlier wording",
                    ),
                ),
            ],
            options={
                "verbose_name": "goal",
                "verbose_name_plural": "goals",
                "ordering": ["episode", "position", "created_on", "pk"],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("status", "open")),
                        fields=("episode", "position"),
                        name="one_open_goal_per_place",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("position__gte", 1), ("position__lte", 3)),
                        name="goal_place_one_to_three",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("status", "open"), ("status_on__isnull", True)),
                            models.Q(
                                models.Q(("status", "open"), _negated=True),
                                ("status_on__isnull", False),
                            ),
                            _connector="OR",
                        ),
                        name="closed_goal_has_a_date",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("status_on__isnull", True),
                            ("status_on__gte", models.F("created_on")),
                            _connector="OR",
                        ),
                        name="goal_closed_after_it_was_set",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="GoalRating",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("score", models.PositiveSmallIntegerField(verbose_name="how close (0–10)")),
                ("rated_at", models.DateTimeField(verbose_name="rated at")),
                (
                    "method",
                    models.CharField(
                        choices=[("helper", "Entered by the helper"), ("tablet", "Tablet")],
                        max_length=20,
                        verbose_name="collected by",
                    ),
                ),
                (
                    "submission_key",
                    models.UUIDField(
                        default=uuid.uuid4, unique=True, verbose_name="submission key"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="stored at")),
                (
                    "goal",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="ratings",
                        to="goals.goal",
                        verbose_name="goal",
                    ),
                ),
                (
                    "recorded_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="recorded by",
                    ),
                ),
                (
                    "session",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="goal_ratings",
                        to="care_sessions.session",
                        verbose_name="session",
                    ),
                ),
            ],
            options={
                "verbose_name": "goal score",
                "verbose_name_plural": "goal scores",
                "ordering": ["goal", "session"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("goal", "session"), name="one_score_per_goal_session"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("score__lte", 10)), name="goal_score_zero_to_ten"
                    ),
                ],
            },
        ),
    ]
