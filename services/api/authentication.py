"""`Authorization: Bearer fbk_…`: the only way into the API.

Session cookies are not accepted, so a page in a staff member's browser cannot be made to call
the API on their behalf, and nothing but a key (made for one system, in one service) reaches it.
"""

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from . import keys


class ApiKeyAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Write the header as: Bearer <API key>."))
        try:
            text = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("The API key is not valid.")) from None
        key = keys.find(text)
        if key is None:
            raise exceptions.AuthenticationFailed(
                _("The API key is not valid: unknown, revoked or expired.")
            )
        keys.mark_used(key)
        # The access log names the key for everything this request does (services.audit.log).
        request._request.audit_actor = key.actor
        return AnonymousUser(), key

    def authenticate_header(self, request) -> str:
        return self.keyword
