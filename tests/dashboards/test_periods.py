"""The period picker (pure date arithmetic, no database)."""

import datetime

import pytest

from services.dashboards import periods

D = datetime.date
TODAY = D(2026, 11, 23)


def test_last_months_are_calendar_months_up_to_today():
    period = periods.last_months(TODAY, 3)
    assert (period.start, period.end) == (D(2026, 9, 1), TODAY)
    previous = period.previous()
    assert (previous.start, previous.end) == (D(2026, 6, 1), D(2026, 8, 23))


def test_twelve_months_cross_the_year():
    period = periods.last_months(TODAY, 12)
    assert (period.start, period.end) == (D(2025, 12, 1), TODAY)
    assert (period.previous().start, period.previous().end) == (D(2024, 12, 1), D(2025, 11, 23))


def test_month_ends_are_clamped_when_stepping_back():
    period = periods.last_months(D(2026, 5, 31), 3)
    assert period.previous().end == D(2026, 2, 28)
    assert periods.add_months(D(2024, 3, 31), -1) == D(2024, 2, 29)


def test_quarters_and_the_quarter_before():
    q1 = periods.quarter(2026, 1)
    assert (q1.start, q1.end) == (D(2026, 1, 1), D(2026, 3, 31))
    assert (q1.previous().start, q1.previous().end) == (D(2025, 10, 1), D(2025, 12, 31))
    assert [q.key for q in periods.recent_quarters(TODAY, 3)] == ["2026-q4", "2026-q3", "2026-q2"]


def test_a_custom_period_is_compared_with_the_equally_long_one_before_it():
    period = periods.custom(D(2026, 3, 10), D(2026, 3, 19))
    previous = period.previous()
    assert (previous.start, previous.end) == (D(2026, 2, 28), D(2026, 3, 9))
    assert previous.days == period.days == 10


def test_months_have_their_own_length():
    assert (periods.month(2026, 2).start, periods.month(2026, 2).end) == (
        D(2026, 2, 1),
        D(2026, 2, 28),
    )
    assert periods.month(2026, 3).previous().end == D(2026, 2, 28)


@pytest.mark.parametrize(
    ("choice", "start", "end"),
    [
        ("", D(2025, 12, 1), TODAY),
        ("6m", D(2026, 6, 1), TODAY),
        ("2026-q2", D(2026, 4, 1), D(2026, 6, 30)),
    ],
)
def test_parse(choice, start, end):
    period = periods.parse(choice, TODAY)
    assert (period.start, period.end) == (start, end)


def test_parse_custom_and_errors():
    assert periods.parse("custom", TODAY, "2026-01-01", "2026-01-31").days == 31
    for bad in (("5m",), ("2026-q5",), ("custom", "2026-02-01", "2026-01-01"), ("custom", "x", "")):
        with pytest.raises(periods.PeriodError):
            periods.parse(bad[0], TODAY, *bad[1:])
    with pytest.raises(periods.PeriodError):
        periods.custom(D(2010, 1, 1), D(2026, 1, 1))


@pytest.mark.parametrize("choice", ["0-q1", "0000-q4", "9999-q4", "99999-q1"])
def test_a_quarter_outside_the_calendar_is_a_period_error(choice):
    """Seen while giving the API a report period (issue #19): year 0 raised ValueError, which
    the dashboard page and the API would have answered with a 500."""
    with pytest.raises(periods.PeriodError):
        periods.parse(choice, TODAY)
