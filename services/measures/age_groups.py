"""Age groups, because norms (cutoff, reliable change) and wording differ by age."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AgeGroup(models.TextChoices):
    ADULT = "adult", _("Adult (18+)")
    ADOLESCENT = "adolescent", _("Adolescent (13–17)")
    CHILD = "child", _("Child (6–12)")
    YOUNG_CHILD = "young_child", _("Young child (under 6)")
