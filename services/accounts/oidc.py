"""The backend that lets staff in through the municipality's OpenID Connect provider.

mozilla-django-oidc does the protocol: state, nonce, PKCE, the code exchange and the ID token's
signature. This subclass adds the app's rules (docs/sso.md):

- An account is found, never made: first by the provider's subject (`sub`) stored at an earlier
  sign-on, else by an e-mail address the provider says is verified and that exactly one active
  account with a role in a service has, and which no other sign-on has claimed yet. The subject
  is stored then, so a later change of address at the provider keeps the account, and an
  address handed on to someone new never opens the account of the person who had it.
- Invitations stay the only way in: no account, no role, or a deactivated account is refused.
- Platform operators (superusers) may not use it at all. Their account opens Django's admin
  for every service, and it should not hang on a municipality's directory; they keep their
  password and the app's own second factor.
- Whether the provider vouched for a second factor is read from the ID token (acr/amr) and
  handed to the callback view as `user.sso_mfa`.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from services.audit import log
from services.audit.models import Action

from . import sso
from .models import User

logger = logging.getLogger(__name__)


class Refused(Exception):
    """A sign-on the provider accepted and this app does not; `reason` goes to the access log."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _provider(name: str) -> property:
    return property(lambda self: sso.provider_setting(name))


def _setting(name: str) -> property:
    return property(lambda self: getattr(settings, name))


class StaffOIDCBackend(OIDCAuthenticationBackend):
    OIDC_OP_TOKEN_ENDPOINT = _provider("OIDC_OP_TOKEN_ENDPOINT")
    OIDC_OP_USER_ENDPOINT = _provider("OIDC_OP_USER_ENDPOINT")
    OIDC_OP_JWKS_ENDPOINT = _provider("OIDC_OP_JWKS_ENDPOINT")
    OIDC_RP_CLIENT_ID = _setting("OIDC_RP_CLIENT_ID")
    OIDC_RP_CLIENT_SECRET = _setting("OIDC_RP_CLIENT_SECRET")
    OIDC_RP_SIGN_ALGO = _setting("OIDC_RP_SIGN_ALGO")
    OIDC_RP_IDP_SIGN_KEY = None  # the provider's keys come from its JWKS address

    def __init__(self, *args, **kwargs):
        """Nothing is read from the provider here: Django makes every backend for each password
        login too, and a provider that is down must not stop those."""
        self.UserModel = get_user_model()

    def authenticate(self, request, **kwargs):
        """Only the callback view's call, which brings the nonce; never a password login's,
        whose address could carry a `code` and `state` of someone's choosing."""
        if request is None or "nonce" not in kwargs or "password" in kwargs:
            return None
        return super().authenticate(request, **kwargs)

    def get_or_create_user(self, access_token, id_token, payload):
        """The account for this sign-on, or None. `payload` is the ID token, already checked
        for signature, expiry and nonce by mozilla-django-oidc."""
        claims = {}
        try:
            self._check_audience_and_issuer(payload)
            claims = self.get_userinfo(access_token, id_token, payload)
            if claims.get("sub") != payload.get("sub"):
                raise Refused("token")  # OpenID Connect Core 5.3.2: they must be the same
            user = self._match(claims)
        except Refused as refusal:
            actor = str(claims.get("email") or f"sub {payload.get('sub', '?')}")[:150]
            logger.info("single sign-on refused: %s", refusal.reason)
            log.record(
                Action.LOGIN_FAILED,
                actor=actor,
                request=self.request,
                detail=f"sso refused: {refusal.reason}",
            )
            self.request.sso_refusal_logged = True  # services.audit.signals writes no second row
            return None
        user.sso_mfa = sso.mfa_asserted(payload)
        return user

    def create_user(self, claims):
        """Never: an account comes only from an administrator's invitation."""
        return None

    def get_user(self, user_id):
        """As Django's ModelBackend: a deactivated account's open sessions end."""
        user = super().get_user(user_id)
        return user if user is not None and user.is_active else None

    def _check_audience_and_issuer(self, payload: dict) -> None:
        """mozilla-django-oidc leaves these two to us: the token must be for this app, from
        this provider."""
        audience = payload.get("aud")
        audiences = [audience] if isinstance(audience, str) else list(audience or [])
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise Refused("token")
        if len(audiences) > 1 and payload.get("azp") != self.OIDC_RP_CLIENT_ID:
            raise Refused("token")
        if payload.get("iss") != sso.provider_setting("OIDC_OP_ISSUER"):
            raise Refused("token")

    def _match(self, claims: dict) -> User:
        subject = str(claims["sub"])
        known = User.objects.filter(oidc_subject=subject).first()
        if known is not None:
            return self._admit(known)
        email = self._verified_email(claims)
        # An account another sign-on has claimed belongs to another person at the provider.
        unclaimed = User.objects.filter(
            email__iexact=email, is_active=True, oidc_subject__isnull=True
        )
        candidates = list(unclaimed.filter(memberships__isnull=False).distinct()[:2])
        if len(candidates) > 1:
            raise Refused("several matches")
        if not candidates:
            raise Refused("no role" if unclaimed.exists() else "no match")
        user = self._admit(candidates[0])
        # Bound only if no other sign-on bound it meanwhile (two tabs, say).
        if not User.objects.filter(pk=user.pk, oidc_subject__isnull=True).update(
            oidc_subject=subject
        ):
            raise Refused("no match")
        user.oidc_subject = subject
        return user

    @staticmethod
    def _verified_email(claims: dict) -> str:
        email = str(claims.get("email") or "").strip()
        if not email:
            raise Refused("no match")
        verified = claims.get("email_verified") in (True, "true")
        if settings.OIDC_REQUIRE_VERIFIED_EMAIL and not verified:
            raise Refused("email not verified")
        return email

    @staticmethod
    def _admit(user: User) -> User:
        if user.is_superuser:
            raise Refused("platform operator")
        if not user.is_active:
            raise Refused("deactivated")
        if not user.memberships.exists():
            raise Refused("no role")
        return user
