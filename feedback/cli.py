"""Small helpers shared by management commands."""

import datetime

from django.core.management.base import CommandError


def iso_date(value: str) -> datetime.date:
    """An argparse type for YYYY-MM-DD dates with a readable error."""
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"Not a date (YYYY-MM-DD): {value}") from None
