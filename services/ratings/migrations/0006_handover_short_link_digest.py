"""Short remote links (issue #15): the keyed digest that finds a handover by its short code.

Links made before get none: their long addresses keep working until they expire.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("ratings", "0005_rating_age_group"),
    ]

    operations = [
        migrations.AddField(
            model_name="handover",
            name="short_link_digest",
            field=models.CharField(
                editable=False,
                max_length=64,
                null=True,
                unique=True,
                verbose_name="short link digest",
            ),
        ),
    ]
