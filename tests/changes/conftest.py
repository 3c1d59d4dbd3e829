import datetime

import pytest

from services.accounts.models import Role
from services.changes.models import ChangeMade, Source
from services.suggestions.models import Theme
from tests.factories import MembershipFactory, ServiceFactory, UserFactory


def change(service, said, did, day, **fields) -> ChangeMade:
    return ChangeMade.objects.create(service=service, said=said, did=did, changed_on=day, **fields)


@pytest.fixture
def theme(service):
    return Theme.objects.create(service=service, name="Åpningstider", name_nn="Opningstider")


@pytest.fixture
def other_service():
    return ServiceFactory(code="bergen", name="Lavterskel Bergen")


@pytest.fixture
def other_theme(other_service):
    return Theme.objects.create(service=other_service, name="Bergens tema")


@pytest.fixture
def changes(service, theme, other_service):
    """Two published entries and a draft of the service, and another service's published one."""
    return {
        "evening": change(
            service,
            "Vanskelig å få time etter arbeid",
            "Åpent til kl. 19 på tirsdager",
            datetime.date(2026, 3, 1),
            said_nn="Vanskeleg å få time etter arbeid",
            did_en="Open until 7 pm on Tuesdays",
            theme=theme,
            source=Source.SUGGESTIONS,
            published=True,
            published_on=datetime.date(2026, 2, 20),
        ),
        "phone": change(
            service,
            "Lang ventetid på telefonen",
            "Egen telefonvakt kl. 9–11",
            datetime.date(2025, 11, 10),
            source=Source.COMMENTS,
            published=True,
            published_on=datetime.date(2025, 11, 12),
        ),
        "draft": change(
            service, "Kaffen er dårlig", "Ny kaffetrakter i venterommet", datetime.date(2026, 4, 1)
        ),
        "elsewhere": change(
            other_service,
            "Bergens tilbakemelding",
            "Bergens endring",
            datetime.date(2026, 5, 1),
            published=True,
            published_on=datetime.date(2026, 5, 1),
        ),
    }


@pytest.fixture
def council(service):
    """A member of the service's user council: reads the entries, does not publish them."""
    user = UserFactory(username="brukerraad")
    MembershipFactory(user=user, service=service, role=Role.COUNCIL)
    return user


@pytest.fixture
def other_leader(other_service):
    user = UserFactory(username="leder-bergen")
    MembershipFactory(user=user, service=other_service, role=Role.LEADER)
    return user
