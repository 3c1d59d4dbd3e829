import pytest

from services.accounts.models import Role

from .factories import MembershipFactory, ServiceFactory, TeamFactory, UserFactory


@pytest.fixture
def service():
    return ServiceFactory(code="oslo", name="Lavterskel Oslo")


@pytest.fixture
def team(service):
    return TeamFactory(service=service, code="voksne", name="Team voksne")


@pytest.fixture
def helper(service, team):
    user = UserFactory(username="hjelper")
    MembershipFactory(user=user, service=service, role=Role.HELPER, team=team)
    return user


@pytest.fixture
def leader(service):
    user = UserFactory(username="leder")
    MembershipFactory(user=user, service=service, role=Role.LEADER)
    return user


@pytest.fixture
def administrator(service):
    user = UserFactory(username="admin", is_staff=True, is_superuser=True)
    MembershipFactory(user=user, service=service, role=Role.ADMINISTRATOR)
    return user


@pytest.fixture(autouse=True)
def english_messages():
    """Unit tests read messages in English; page tests get bokmål through the middleware."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def empty_cache():
    """Rate-limit counters and cached charts must not leak from one test into the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
