import datetime

import pytest

from services.accounts.models import Role
from services.suggestions.models import Note, Place, Theme
from tests.factories import MembershipFactory, UserFactory


@pytest.fixture
def council(service):
    """A member of the service's user council: reads and answers the box, nothing else."""
    user = UserFactory(username="brukerrad")
    MembershipFactory(user=user, service=service, role=Role.COUNCIL)
    return user


@pytest.fixture
def place(service):
    return Place.objects.create(
        service=service, slug="dagsenteret", name="Dagsenteret", name_en="The day centre"
    )


@pytest.fixture
def themes(service):
    return [
        Theme.objects.create(
            service=service, name="Åpningstider", name_en="Opening hours", order=1
        ),
        Theme.objects.create(service=service, name="Aktiviteter", name_en="Activities", order=2),
    ]


def note(service, text="Mer kaffe", day=datetime.date(2026, 3, 2), **fields):
    return Note.objects.create(service=service, text=text, received_on=day, **fields)
