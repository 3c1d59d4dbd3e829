"""The dashboard's period picker: pure date arithmetic, no request and no database.

"Last N months" is the N calendar months up to and including the current one, so a leader sees
this month's sessions as they come in and every month in the trend starts on the 1st. It is
compared with the same stretch N months earlier (1 June–23 August against 1 September–23
November), a quarter with the quarter before, and a custom period with the equally long period
that ends the day before it starts.
"""

import calendar
import datetime
from dataclasses import dataclass

MONTH_CHOICES = (3, 6, 12)
QUARTERS_OFFERED = 6
LONGEST_DAYS = 5 * 366


class PeriodError(ValueError):
    pass


class UnreadableMonth(PeriodError):
    """A month that is not written YYYY-MM with a month 01–12."""


class MonthNotOver(PeriodError):
    """A month that has not ended yet: the current one, or one in the future."""

    def __init__(self, period: "Period"):
        super().__init__(f"{period.key} is not over")
        self.period = period


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date
    key: str
    months: int = 0  # how far to step back for the comparison; 0 for a custom period

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> "Period":
        if self.months:
            return Period(
                add_months(self.start, -self.months),
                add_months(self.end, -self.months),
                f"{self.key}-previous",
                self.months,
            )
        end = self.start - datetime.timedelta(days=1)
        return Period(end - datetime.timedelta(days=self.days - 1), end, "custom-previous")


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (or earlier), clamped to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return datetime.date(year, month + 1, min(day.day, last))


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def last_months(today: datetime.date, months: int) -> Period:
    start = add_months(month_start(today), -(months - 1))
    return Period(start, today, f"{months}m", months)


def quarter(year: int, number: int) -> Period:
    if number not in (1, 2, 3, 4):
        raise PeriodError("quarter must be 1–4")
    if not 1900 <= year <= 2999:  # year 0 or 9999 would fail in the date arithmetic: a 500
        raise PeriodError("a year from 1900 to 2999")
    start = datetime.date(year, 3 * number - 2, 1)
    end = add_months(start, 3) - datetime.timedelta(days=1)
    return Period(start, end, f"{year}-q{number}", 3)


def month(year: int, number: int) -> Period:
    start = datetime.date(year, number, 1)
    end = add_months(start, 1) - datetime.timedelta(days=1)
    return Period(start, end, f"{year}-{number:02d}", 1)


def recent_quarters(today: datetime.date, count: int = QUARTERS_OFFERED) -> list[Period]:
    """The current quarter and the ones before it, newest first."""
    number = (today.month - 1) // 3 + 1
    year = today.year
    out = []
    for _ in range(count):
        out.append(quarter(year, number))
        number -= 1
        if number == 0:
            year, number = year - 1, 4
    return out


def custom(start: datetime.date, end: datetime.date) -> Period:
    if start > end:
        raise PeriodError("the start is after the end")
    if (end - start).days > LONGEST_DAYS:
        raise PeriodError("at most five years")
    return Period(start, end, "custom")


def parse(choice: str, today: datetime.date, start: str = "", end: str = "") -> Period:
    """The period for the picker's value: "3m", "6m", "12m", "2026-q2" or "custom"."""
    choice = (choice or "").strip().lower()
    if not choice:
        return last_months(today, 12)
    if choice.endswith("m") and choice[:-1].isdigit() and int(choice[:-1]) in MONTH_CHOICES:
        return last_months(today, int(choice[:-1]))
    if "-q" in choice:
        year, _, number = choice.partition("-q")
        if year.isdigit() and number.isdigit():
            return quarter(int(year), int(number))
    if choice == "custom":
        try:
            return custom(datetime.date.fromisoformat(start), datetime.date.fromisoformat(end))
        except ValueError as error:
            raise PeriodError(str(error)) from None
    raise PeriodError(f"unknown period {choice!r}")


def ended_month(value: str, today: datetime.date) -> Period:
    """The month written "2026-11", if it is over by `today`.

    A monthly report compares a whole month with the month before, so a month still under way
    (or one in the future) has no report yet. A month before the service had any data is
    allowed: its report says there is nothing to count.
    """
    year, _, number = (value or "").strip().partition("-")
    if not (len(year) == 4 and year.isdigit() and len(number) == 2 and number.isdigit()):
        raise UnreadableMonth(f"not a month (YYYY-MM): {value!r}")
    if not 1 <= int(number) <= 12 or int(year) < 1900:
        raise UnreadableMonth(f"not a month (YYYY-MM): {value!r}")
    asked = month(int(year), int(number))
    if asked.end >= today:
        raise MonthNotOver(asked)
    return asked


def last_full_month(today: datetime.date) -> Period:
    """The last month that is over by `today`."""
    first = add_months(month_start(today), -1)
    return month(first.year, first.month)


def report_month(shown: Period, today: datetime.date) -> Period:
    """The month whose report goes with a period the dashboard shows: the month the period
    ends in once that month is over, else the last month that is (a quarter gives its last
    month, "last 12 months" the month before this one)."""
    ending = month(shown.end.year, shown.end.month)
    return ending if ending.end < today else last_full_month(today)


def ended_months(today: datetime.date, count: int = 12) -> list[Period]:
    """The last `count` months that are over, newest first: the months a report is offered for."""
    newest = last_full_month(today).start
    return [month(day.year, day.month) for day in (add_months(newest, -i) for i in range(count))]
