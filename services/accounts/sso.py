"""The app's own rules around staff single sign-on (docs/sso.md).

mozilla-django-oidc speaks the protocol (services.accounts.oidc); this module answers what the
rest of the app asks about it, so the login page, the backends and the two-factor middleware ask
one place: is single sign-on on at all, where is the provider, did the provider vouch for a
second factor, and may this person still log in with a password.
"""

import time

import requests
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext

from .models import Membership

# The provider's endpoints, by our setting's name and the discovery document's key.
DISCOVERED = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
    "OIDC_OP_ISSUER": "issuer",
}
DISCOVERY_SECONDS = 3600
BACKEND = "services.accounts.oidc.StaffOIDCBackend"
# Holds the id of the user whose login the provider vouched for with a second factor.
MFA_SESSION_KEY = "mfa_by_idp"

_discovered: dict[str, tuple[float, dict]] = {}


def enabled() -> bool:
    """Single sign-on is on only where the provider has given this app a client id."""
    return bool(settings.OIDC_RP_CLIENT_ID)


def provider_setting(name: str) -> str:
    """One of the provider's addresses: as configured, or else from its discovery document.

    Read when a login needs it, never at start-up, so a provider that is down stops only the
    logins through it.
    """
    value = getattr(settings, name, "")
    if value:
        return value
    if not settings.OIDC_OP_DISCOVERY:
        raise ImproperlyConfigured(f"Set {name} or OIDC_OP_DISCOVERY for single sign-on.")
    value = discovery(settings.OIDC_OP_DISCOVERY).get(DISCOVERED[name], "")
    if not value:
        raise ImproperlyConfigured(f"The provider's discovery document has no {DISCOVERED[name]}.")
    return value


def discovery(url: str) -> dict:
    """The provider's openid-configuration, fetched at most once an hour per process."""
    now = time.monotonic()
    cached = _discovered.get(url)
    if cached is not None and now - cached[0] < DISCOVERY_SECONDS:
        return cached[1]
    response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
    response.raise_for_status()
    document = response.json()
    _discovered[url] = (now, document)
    return document


def button_text() -> str:
    name = settings.OIDC_PROVIDER_NAME or gettext("the municipality's login")
    return gettext("Log in with %(provider)s") % {"provider": name}


def mfa_asserted(id_token_claims: dict) -> bool:
    """Whether the ID token says the person gave more than a password at the provider.

    Only the values the installation names count (OIDC_MFA_ACR_VALUES, OIDC_MFA_AMR_VALUES):
    providers use these claims differently, and an unknown value must not skip our own step.
    """
    acr = id_token_claims.get("acr")
    amr = id_token_claims.get("amr") or []
    if isinstance(amr, str):
        amr = [amr]
    by_acr = isinstance(acr, str) and acr in settings.OIDC_MFA_ACR_VALUES
    by_amr = bool(
        {value for value in amr if isinstance(value, str)} & set(settings.OIDC_MFA_AMR_VALUES)
    )
    return by_acr or by_amr


def mark_login(request, user, *, mfa: bool) -> None:
    """Remember for this session (only) that the provider vouched for a second factor."""
    if mfa:
        request.session[MFA_SESSION_KEY] = user.pk
    else:
        request.session.pop(MFA_SESSION_KEY, None)


def forget_mfa(request) -> None:
    """Every login starts without the provider's word; the single sign-on sets it again."""
    if request is not None and hasattr(request, "session"):
        request.session.pop(MFA_SESSION_KEY, None)


def mfa_by_provider(request) -> bool:
    """Whether this session's user came in through the provider with a second factor."""
    session = getattr(request, "session", None)
    user = getattr(request, "user", None)
    if session is None or user is None or not user.is_authenticated:
        return False
    return session.get(MFA_SESSION_KEY) == user.pk and session.get(BACKEND_SESSION_KEY) == BACKEND


def signed_in_through_provider(request) -> bool:
    return enabled() and request.session.get(BACKEND_SESSION_KEY) == BACKEND


def password_login_off(user) -> bool:
    """Whether this person may not log in with a password.

    When one of their services has switched password login off, their password opens nothing
    in any service: a person has one account, and a password that still worked for their other
    service would also let them into this one. Platform operators keep theirs (they are in no
    service and may not use single sign-on, see services.accounts.oidc), and nothing changes
    while single sign-on is off, so no one is shut out by a setting they cannot use.
    """
    return (
        enabled()
        and not user.is_superuser
        and Membership.objects.filter(user=user, service__password_login=False).exists()
    )


def not_a_password_attempt(request, credentials) -> bool:
    """For django-axes (AXES_WHITELIST_CALLABLE): a sign-on's callback is no password guess.

    Its refusals carry no username, so axes would count them all against one address; five of
    them from the municipality's network would shut everyone there out of single sign-on. The
    provider guards its own password form, and the access log keeps every refusal.
    """
    return credentials is not None and credentials.get("password") is None
