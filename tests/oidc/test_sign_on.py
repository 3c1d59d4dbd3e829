"""Issue #19, part 3: staff log in through the municipality's OpenID Connect provider.

A real provider (django-oauth-toolkit, tests/oidc_provider) runs as its own process; the app runs
under live_server; a requests session is the browser. Nothing of the protocol is mocked: the
app fetches the provider's discovery document, keys, tokens and user info over HTTP and checks
the signed ID token.
"""

from importlib import import_module
from urllib.parse import urlparse

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from services.accounts.models import Role, User
from services.audit.models import Action, AuditEvent
from tests.factories import MembershipFactory, UserFactory

from .conftest import PEOPLE, sign_on


def staff(username: str, email: str, service, *, role=Role.HELPER, **fields) -> User:
    """An invited and set-up staff member with an authenticator app, as two-factor asks."""
    user = UserFactory(username=username, email=email, **fields)
    MembershipFactory(user=user, service=service, role=role)
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    return user


def path_of(response) -> str:
    return urlparse(response.url).path


def logged_in_user(browser) -> int | None:
    """Whom the app's session belongs to, read from the app's own session store."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    key = browser.cookies.get("sessionid")  # the provider's is op_sessionid
    if key is None:
        return None
    value = store(session_key=key).get(SESSION_KEY)
    return int(value) if value is not None else None


def test_the_providers_second_factor_decides_whether_the_app_asks_for_its_own(
    sso, live_server, service
):
    """Ola's ID token says amr ["pwd", "mfa"] and Per's the configured acr: both land on the
    start page and stay past the two-factor check on the next page, without the app's code.
    Kari's says neither: she is logged in, and sent to the app's own code as after a password.
    E-mail addresses match whatever their case, and the provider's `sub` is stored."""
    users = {
        "ola": staff("ola", "ola.nordmann@kommune.no", service),
        "per": staff("per", "per@kommune.no", service),
        "kari": staff("kari", "kari@kommune.no", service),
    }
    users_before = User.objects.count()
    for person in ("ola", "per"):
        browser, landed = sign_on(live_server, person)
        assert (landed.status_code, path_of(landed)) == (200, reverse("home")), person
        assert logged_in_user(browser) == users[person].pk
        caseload = browser.get(live_server.url + reverse("clients:caseload"), timeout=15)
        assert path_of(caseload) == reverse("clients:caseload"), person
    browser, landed = sign_on(live_server, "kari")
    assert path_of(landed) == reverse("two_factor_verify")
    assert logged_in_user(browser) == users["kari"].pk
    caseload = browser.get(live_server.url + reverse("clients:caseload"), timeout=15)
    assert path_of(caseload) == reverse("two_factor_verify")
    assert User.objects.count() == users_before
    for person, user in users.items():
        user.refresh_from_db()
        assert user.oidc_subject == sso.subjects[person]
    logins = dict(
        AuditEvent.objects.filter(action=Action.LOGIN, detail__startswith="sso").values_list(
            "actor", "detail"
        )
    )
    assert logins == {"ola": "sso mfa", "per": "sso mfa", "kari": "sso"}
    # One row a sign-on, the one that says how: not Django's plain login row as well.
    assert AuditEvent.objects.filter(action=Action.LOGIN).count() == len(logins)


REFUSALS = [
    ("unknown", "ukjent", lambda service: None, "no match"),
    (
        "no role",
        "kari",
        lambda service: UserFactory(username="kari", email="kari@kommune.no"),
        "no role",
    ),
    (
        "unverified",
        "lise",
        lambda service: staff("lise", "lise@kommune.no", service),
        "email not verified",
    ),
    (
        "operator",
        "kari",
        lambda service: staff("drift", "kari@kommune.no", service, is_superuser=True),
        "platform operator",
    ),
    (
        "deactivated",
        "kari",
        lambda service: staff("kari", "kari@kommune.no", service, is_active=False),
        "no match",
    ),
]


def test_the_provider_cannot_make_or_open_an_account_the_app_has_not_given(
    sso, live_server, service
):
    """No account is made, and none is opened without an invitation's role, for someone the
    provider does not vouch for, or for a platform operator: each time the browser is back on
    the login page, logged out, and the access log says why. Five refusals in a row from one
    address do not lock single sign-on out there, as five wrong passwords would."""
    for case, person, arrange, reason in REFUSALS:
        arranged = arrange(service)
        users_before = User.objects.count()
        browser, landed = sign_on(live_server, person)
        assert path_of(landed) == reverse("login"), case
        assert logged_in_user(browser) is None, case
        assert User.objects.count() == users_before, case
        assert not User.objects.filter(oidc_subject__isnull=False).exists(), case
        refused = AuditEvent.objects.filter(action=Action.LOGIN_FAILED, detail__startswith="sso")
        assert refused.latest("id").detail == f"sso refused: {reason}", case
        assert refused.latest("id").actor == PEOPLE[person]["email"], case
        if arranged is not None:
            arranged.delete()
    assert refused.count() == len(REFUSALS)
    # One row a refusal, the one with the reason: not a nameless "?" failure as well.
    assert AuditEvent.objects.filter(action=Action.LOGIN_FAILED).count() == len(REFUSALS)


def test_the_stored_subject_decides_which_account_opens(sso, live_server, service):
    """Kari's account here still has her old address, and someone else's account now has the
    address the provider gives: the subject stored at her first sign-on decides. And the old
    account with Ola's address, bound to another person at the provider, does not open for
    Ola: an address handed on is not the account of the one who had it. Ola's own account
    opens once an administrator has invited him with it."""
    kari = staff("kari", "kari.gammel@kommune.no", service, oidc_subject=sso.subjects["kari"])
    staff("kari2", "kari@kommune.no", service)
    browser, landed = sign_on(live_server, "kari")
    assert path_of(landed) == reverse("two_factor_verify")
    assert logged_in_user(browser) == kari.pk

    staff("gammel", "ola.nordmann@kommune.no", service, oidc_subject="someone-else")
    users_before = User.objects.count()
    browser, landed = sign_on(live_server, "ola")
    assert path_of(landed) == reverse("login")
    assert logged_in_user(browser) is None
    assert User.objects.count() == users_before
    ola = staff("ola", "ola.nordmann@kommune.no", service)
    browser, landed = sign_on(live_server, "ola")
    assert path_of(landed) == reverse("home")
    assert logged_in_user(browser) == ola.pk
