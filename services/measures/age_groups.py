"""Age groups, because norms (cutoff, reliable change), forms and wording differ by age.

A client's age group can change during their care (a child turns 13), so the group a rating
was given for is stored on the rating itself and an episode is judged by the group at its
intake. When the birth year (and optionally month) is known, the group is derived at each
rating date; we never store a full birth date or a national ID number.
"""

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _


class AgeGroup(models.TextChoices):
    ADULT = "adult", _("Adult (18+)")
    ADOLESCENT = "adolescent", _("Adolescent (13–17)")
    CHILD = "child", _("Child (6–12)")
    YOUNG_CHILD = "young_child", _("Young child (under 6)")


# The youngest age (in whole years) of each group, oldest group first.
YOUNGEST_AGE = (
    (AgeGroup.ADULT, 18),
    (AgeGroup.ADOLESCENT, 13),
    (AgeGroup.CHILD, 6),
    (AgeGroup.YOUNG_CHILD, 0),
)


def age_on(day: datetime.date, birth_year: int, birth_month: int | None = None) -> int:
    """Age in whole years on `day`, from a birth year and optionally a month.

    With the year alone we do not know whether the birthday has passed, so the age is the
    lower of the two possible ages: a child born in 2013 turns 13 some day in 2026, so counts
    as 12 throughout 2026 and as 13 from 2027. Erring young keeps a client on the younger
    group's form (and norms) a little longer rather than too early. With the month, the
    birthday counts from the first day of that month.
    """
    age = day.year - birth_year
    if birth_month is None:
        return age - 1
    return age if day.month >= birth_month else age - 1


def age_group_on(
    day: datetime.date, birth_year: int | None, birth_month: int | None, recorded: str
) -> str:
    """The client's age group on `day`: derived from the birth year when known, else the
    group recorded on the client."""
    if birth_year is None:
        return recorded
    age = age_on(day, birth_year, birth_month)
    for group, youngest in YOUNGEST_AGE:
        if age >= youngest:
            return group
    return AgeGroup.YOUNG_CHILD
