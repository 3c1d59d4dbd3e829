import pytest

from services.accounts.models import Role
from services.measures.loading import load_builtin_instruments
from services.measures.models import Instrument

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
    """A service's administrator: never a superuser (issue #11), the app is their tool."""
    user = UserFactory(username="admin")
    MembershipFactory(user=user, service=service, role=Role.ADMINISTRATOR)
    return user


@pytest.fixture
def operator():
    """A platform operator: a superuser in no service, the only one let into /admin/."""
    return UserFactory(username="drift", is_staff=True, is_superuser=True)


@pytest.fixture(autouse=True)
def fast_password_hashing(request, settings):
    """A quick hasher instead of argon2 (a seventh of a second of CPU per hash or check), which
    every login, PIN and seeded demo user would pay: a test of the production hashing itself
    says so with `@pytest.mark.production_hashing`."""
    if request.node.get_closest_marker("production_hashing") is None:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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


@pytest.fixture(autouse=True)
def builtin_instruments(request):
    """The shipped forms, which a transactional test before this one may have flushed away.

    They come from a data migration, and transactional tests (concurrency, live server) empty
    the whole database when they end.
    """
    uses_database = request.node.get_closest_marker("django_db") is not None or bool(
        {"db", "transactional_db", "live_server"} & set(request.fixturenames)
    )
    if uses_database and not Instrument.objects.exists():
        load_builtin_instruments()
