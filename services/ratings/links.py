"""One-time remote links: the address a client opens on their own phone, and its QR code.

The address carries the handover's random token, signed, so a guessed or altered address is
refused before the database is asked. The token names nothing; the page shows only the greeting.
"""

import base64
import uuid

import segno
from django.core import signing
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from .models import Handover, Method

SALT = "ratings.remote-link"


def token_for(handover: Handover) -> str:
    """The token as 22 URL-safe characters and a signature: short enough for a text message."""
    short = base64.urlsafe_b64encode(handover.token.bytes).rstrip(b"=").decode()
    return signing.Signer(salt=SALT).sign(short)


def handover_for_token(token: str) -> Handover | None:
    try:
        short = signing.Signer(salt=SALT).unsign(token)
        value = uuid.UUID(bytes=base64.urlsafe_b64decode(short + "=="))
    except (signing.BadSignature, ValueError):
        return None
    return (
        Handover.objects.select_related("session__episode__client", "instrument")
        .filter(token=value, method=Method.LINK)
        .first()
    )


def link_url(request: HttpRequest, handover: Handover) -> str:
    return request.build_absolute_uri(reverse("ratings:remote", args=[token_for(handover)]))


def qr_svg(url: str) -> str:
    """The address as an inline SVG QR code (no script, no external image)."""
    return segno.make(url, error="m").svg_inline(scale=6, border=2, title=_("QR code for the link"))
