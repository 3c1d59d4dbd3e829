import pytest

from services.offers.models import Kind, Offer
from tests.factories import ServiceFactory


def offer(service, title, **fields) -> Offer:
    return Offer.objects.create(service=service, title=title, **fields)


@pytest.fixture
def offers(service):
    """Three of the service's offers shown to clients, one taken off, and another service's."""
    return {
        "course": offer(
            service,
            "Kurs i mestring av depresjon",
            kind=Kind.COURSE,
            title_nn="Kurs i meistring av depresjon",
            audience="Voksne med lett til moderat depresjon",
            when_where="Tirsdager kl. 18–20, Storgata 1",
            no_referral=True,
            order=1,
        ),
        "walk": offer(service, "Turgruppe", kind=Kind.ACTIVITY, order=2),
        "self_help": offer(
            service,
            "Selvhjelpsgruppe",
            kind=Kind.SELF_HELP,
            title_en="Self-help group",
            contact="Selvhjelp Norge, tlf. 22 00 00 00",
            link="https://www.selvhjelp.no/",
            order=9,
        ),
        "old": offer(service, "Nedlagt samtalegruppe", kind=Kind.GROUP, active=False),
        "elsewhere": offer(ServiceFactory(code="bergen"), "Bergens eget kurs", kind=Kind.COURSE),
    }
