import csv
import datetime
import io
import zipfile

import pytest
from django.core.management import call_command
from django.utils import timezone

from services.accounts.models import Service, User
from services.research.models import ResearchProject


def make_project(service, user, *, approved=True, **values) -> ResearchProject:
    today = timezone.localdate()
    fields = {
        "name": "Tidlig endring",
        "purpose": "Hvor tidlig i forløpet viser endringen seg?",
        "recipient": "Universitetet i Tromsø, prof. N.N.",
        "period_start": today - datetime.timedelta(days=400),
        "period_end": today,
        "expires_on": today + datetime.timedelta(days=30),
        "created_by": user,
        **values,
    }
    if approved:
        fields |= {"approved_by": user, "approved_at": timezone.now()}
    return ResearchProject.objects.create(service=service, **fields)


def read_zip(content: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name).decode("utf-8") for name in archive.namelist()}


def csv_rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def demo():
    """The demo service as `seed_demo` makes it (200 clients over 18 months), and its leader."""
    call_command("seed_demo", clients=200, stdout=io.StringIO())
    return Service.objects.get(code="demo"), User.objects.get(username="leder")
