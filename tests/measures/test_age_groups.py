"""The age group on a rating's date, from an optional birth year (and month)."""

import datetime

import pytest

from services.measures.age_groups import age_group_on, age_on

D = datetime.date


def test_with_the_year_alone_the_age_is_the_lower_of_the_two_possible():
    # Born 2013: turns 13 some day in 2026, so counts as 12 all of 2026.
    assert age_on(D(2026, 12, 31), 2013) == 12
    assert age_on(D(2027, 1, 1), 2013) == 13


def test_with_the_month_the_birthday_counts_from_the_first_of_that_month():
    assert age_on(D(2026, 4, 30), 2013, 5) == 12
    assert age_on(D(2026, 5, 1), 2013, 5) == 13


@pytest.mark.parametrize(
    ("day", "group"),
    [
        (D(2018, 6, 1), "young_child"),
        (D(2019, 6, 1), "child"),  # 6 from May 2019
        (D(2026, 4, 30), "child"),
        (D(2026, 5, 1), "adolescent"),
        (D(2031, 5, 1), "adult"),
    ],
)
def test_the_group_follows_the_age(day, group):
    assert age_group_on(day, 2013, 5, "adult") == group


def test_without_a_birth_year_the_recorded_group_is_used():
    assert age_group_on(D(2026, 1, 1), None, None, "child") == "child"
