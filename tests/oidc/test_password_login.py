"""Password login beside single sign-on: switched off per service, enforced where passwords are
checked; the login page and the service's settings page; and nothing at all while single
sign-on is not configured."""

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, authenticate
from django.core.exceptions import NON_FIELD_ERRORS
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from services.accounts import sso
from services.accounts.models import Role, User
from services.audit.models import Action, AuditEvent
from tests.factories import MembershipFactory, ServiceFactory, UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery"  # tests/factories.py
OIDC_BACKEND = "services.accounts.oidc.StaffOIDCBackend"


@pytest.fixture
def sso_only(service):
    service.password_login = False
    service.save()
    return service


def log_in(client, username: str, password: str = PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def refused_for_sso(response) -> bool:
    form = response.context["form"]
    return form.has_error(NON_FIELD_ERRORS, "password_login_off")


def test_a_right_password_is_refused_where_the_service_switched_it_off(
    sso_without_provider, client, helper, sso_only
):
    response = log_in(client, "hjelper")
    assert response.status_code == 200
    assert refused_for_sso(response)
    assert "_auth_user_id" not in client.session
    assert reverse("oidc_authentication_init") in response.content.decode()
    assert AuditEvent.objects.filter(action=Action.LOGIN_FAILED, actor="hjelper").exists()
    request = RequestFactory().post("/")
    assert authenticate(request, username="hjelper", password=PASSWORD) is None


def test_a_wrong_password_tells_nothing_more(sso_without_provider, client, helper, sso_only):
    response = log_in(client, "hjelper", "wrong password")
    assert response.status_code == 200
    assert not refused_for_sso(response)
    assert response.context["form"].errors


def test_wrong_passwords_still_lock_out(sso_without_provider, client, helper, settings):
    """Refused sign-ons do not count towards a lock-out (services.accounts.sso), passwords do."""
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "hjelper", "wrong password")
    assert log_in(client, "hjelper").status_code == 429


def test_one_service_without_passwords_is_enough(sso_without_provider, client, helper, sso_only):
    """A person has one account: a password still good for another service would open this."""
    MembershipFactory(user=helper, service=ServiceFactory(code="bergen"), role=Role.LEADER)
    assert refused_for_sso(log_in(client, "hjelper"))


def test_other_services_and_platform_operators_keep_their_passwords(
    sso_without_provider, client, sso_only
):
    elsewhere = UserFactory(username="bergen")
    MembershipFactory(user=elsewhere, service=ServiceFactory(code="bergen"))
    assert log_in(client, "bergen").status_code == 302
    client.logout()
    operator = UserFactory(username="drift", is_superuser=True, is_staff=True)
    MembershipFactory(user=operator, service=sso_only, role=Role.ADMINISTRATOR)
    assert log_in(client, "drift").status_code == 302


def test_without_single_sign_on_nothing_changes(client, helper, sso_only):
    """OIDC_RP_CLIENT_ID unset: no button, no /oidc/ addresses, the setting is ignored."""
    assert not sso.enabled()
    page = client.get(reverse("login")).content.decode()
    assert "/oidc/" not in page
    with pytest.raises(NoReverseMatch):
        reverse("oidc_authentication_init")
    assert log_in(client, "hjelper").status_code == 302


def test_the_login_page_offers_the_municipalitys_login_with_the_next_page(
    sso_without_provider, client, settings
):
    settings.OIDC_PROVIDER_NAME = "Kommunens Entra ID"
    page = client.get(reverse("login"), {"next": "/klienter/"}).content.decode()
    assert f'href="{reverse("oidc_authentication_init")}?next=%2Fklienter%2F"' in page
    assert "Kommunens Entra ID" in page


def test_a_provider_that_does_not_answer_leaves_the_login_page_working(
    sso_without_provider, client
):
    response = client.get(reverse("oidc_authentication_init"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert client.get(reverse("login")).status_code == 200


def test_an_unknown_state_sends_the_person_back_to_the_login_page(sso_without_provider, client):
    """An old tab or the back button brings a state this session did not send."""
    session = client.session
    session["oidc_states"] = {}
    session.save()
    response = client.get(reverse("oidc_authentication_callback"), {"code": "x", "state": "y"})
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session


# The service's settings page


SETTINGS = {
    "name": "Lavterskel Oslo",
    "require_two_factor": "on",
    "off_track_from_session": "3",
    "no_change_by_session": "4",
    "off_track_alert": "red",
    "retention_years": "5",
}


def settings_url(service) -> str:
    return reverse("staff:settings", args=[service.code])


def test_the_setting_is_shown_only_with_single_sign_on(client, administrator, service):
    client.force_login(administrator)
    assert 'name="password_login"' not in client.get(settings_url(service)).content.decode()
    client.post(settings_url(service), SETTINGS)
    service.refresh_from_db()
    assert service.password_login


def test_an_administrator_switches_passwords_off_only_after_using_the_municipalitys_login(
    sso_without_provider, client, administrator, service
):
    """So no administrator shuts the door with a key they have not tried."""
    sso_without_provider.TWO_FACTOR_REQUIRED = False  # the second factor is not the point here
    client.force_login(administrator, backend="services.accounts.backends.PasswordBackend")
    assert 'name="password_login"' in client.get(settings_url(service)).content.decode()
    assert client.post(settings_url(service), SETTINGS).status_code == 400
    service.refresh_from_db()
    assert service.password_login
    client.force_login(administrator, backend=OIDC_BACKEND)
    assert client.post(settings_url(service), SETTINGS).status_code == 302
    service.refresh_from_db()
    assert not service.password_login
    event = AuditEvent.objects.get(action=Action.CHANGE, object_type="service")
    assert "password_login=False" in event.detail
    # Switching it back on needs no such proof.
    client.force_login(administrator, backend="services.accounts.backends.PasswordBackend")
    switched_on = client.post(settings_url(service), {**SETTINGS, "password_login": "on"})
    assert switched_on.status_code == 302


# The second factor and sessions


def test_the_providers_second_factor_does_not_outlive_a_password_login(
    sso_without_provider, client, helper
):
    """A session marked by a sign-on with a second factor passes the two-factor check; a
    password login in the same browser starts without that mark."""
    TOTPDevice.objects.create(user=helper, name="app", confirmed=True)
    client.force_login(helper, backend=OIDC_BACKEND)
    session = client.session
    session[sso.MFA_SESSION_KEY] = helper.pk
    session.save()
    assert client.get(reverse("home")).status_code == 200
    assert log_in(client, "hjelper").status_code == 302
    assert client.session[BACKEND_SESSION_KEY] != OIDC_BACKEND
    assert sso.MFA_SESSION_KEY not in client.session
    response = client.get(reverse("home"))
    assert response["Location"].startswith(reverse("two_factor_verify"))


def test_a_deactivated_account_loses_its_single_sign_on_session(
    sso_without_provider, client, helper
):
    sso_without_provider.TWO_FACTOR_REQUIRED = False
    client.force_login(helper, backend=OIDC_BACKEND)
    assert client.get(reverse("home")).status_code == 200
    helper.is_active = False
    helper.save()
    assert client.get(reverse("home"))["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("claims", "mfa"),
    [
        ({"amr": ["pwd", "mfa"]}, True),
        ({"amr": "otp"}, True),
        ({"acr": "urn:kommune:loa:high"}, True),
        ({"amr": ["pwd"], "acr": "urn:kommune:loa:low"}, False),
        ({"amr": ["MFA"]}, False),
        ({"acr": ["urn:kommune:loa:high"]}, False),
        ({}, False),
    ],
)
def test_only_the_configured_claim_values_count_as_a_second_factor(
    sso_without_provider, claims, mfa
):
    assert sso.mfa_asserted(claims) is mfa


def test_with_single_sign_on_an_invitation_needs_the_municipal_address(
    client, sso_without_provider, service, administrator
):
    """Single sign-on finds an invited account by its e-mail address: without one, the new
    colleague could never log in through the municipality's login."""
    sso_without_provider.TWO_FACTOR_REQUIRED = False  # the administrator's own code aside
    client.force_login(administrator)
    data = {"first_name": "Kari", "last_name": "Nordmann", "username": "kari", "roles": ["helper"]}
    response = client.post(reverse("staff:invite", args=[service.code]), data | {"email": ""})
    assert response.status_code == 400
    assert "email" in response.context["form"].errors
    response = client.post(
        reverse("staff:invite", args=[service.code]), data | {"email": "kari@kommune.no"}
    )
    assert response.status_code == 200  # the page with the invitation link
    assert User.objects.get(username="kari").email == "kari@kommune.no"
