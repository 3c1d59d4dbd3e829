import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("ratings", "0006_handover_short_link_digest"),
    ]

    operations = [
        migrations.CreateModel(
            name="SessionComment",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("text", models.CharField(max_length=500, verbose_name="comment")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="written")),
                (
                    "rating",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="comment",
                        to="ratings.rating",
                        verbose_name="rating",
                    ),
                ),
            ],
            options={
                "verbose_name": "client's comment",
                "verbose_name_plural": "clients' comments",
                "ordering": ["-created_at"],
            },
        ),
    ]
