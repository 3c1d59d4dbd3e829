"""One-time remote links: the address a client opens on their own phone, and its QR code.

A link made now is short, /s/<code> (`short_codes`), so it fits a text message; a code of the
wrong shape is refused before the database is asked. The long address, /svar/<token>:<signature>/,
carries the handover's random token, signed, so a guessed or altered one is refused before the
database is asked; it is shown for links made before the short ones and keeps working until they
expire. Neither names anything; the page shows only the greeting.
"""

import base64
import uuid

import segno
from django.core import signing
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from . import short_codes
from .models import Handover, Method

SALT = "ratings.remote-link"


def token_for(handover: Handover) -> str:
    """The token as 22 URL-safe characters and a signature, for the long address."""
    short = base64.urlsafe_b64encode(handover.token.bytes).rstrip(b"=").decode()
    return signing.Signer(salt=SALT).sign(short)


def _links():
    return Handover.objects.select_related("session__episode__client", "instrument").filter(
        method=Method.LINK
    )


def handover_for_token(token: str) -> Handover | None:
    try:
        short = signing.Signer(salt=SALT).unsign(token)
        value = uuid.UUID(bytes=base64.urlsafe_b64decode(short + "=="))
    except (signing.BadSignature, ValueError):
        return None
    return _links().filter(token=value).first()


def short_code_for(handover: Handover) -> str | None:
    """The link's short code, or None for a link made before short ones (and a tablet's)."""
    if not handover.short_link_digest:
        return None
    for secret in short_codes.secrets_in_use():
        code = short_codes.code_for_token(handover.token, secret)
        if short_codes.lookup_digest(code, secret) == handover.short_link_digest:
            return code
    return None


def handover_for_code(code: str) -> Handover | None:
    if not short_codes.looks_like_code(code):
        return None
    digests = [short_codes.lookup_digest(code, secret) for secret in short_codes.secrets_in_use()]
    return _links().filter(short_link_digest__in=digests).first()


def link_url(request: HttpRequest, handover: Handover) -> str:
    """The short address when the link has one, else the long one."""
    code = short_code_for(handover)
    if code is None:
        path = reverse("ratings:remote", args=[token_for(handover)])
    else:
        path = reverse("ratings:short", args=[code])
    return request.build_absolute_uri(path)


def qr_svg(url: str) -> str:
    """The address as an inline SVG QR code (no script, no external image)."""
    return segno.make(url, error="m").svg_inline(scale=6, border=2, title=_("QR code for the link"))
