"""The public list's address as a QR code, for the printed sheet and the tablet.

An image (a data URI) rather than inline SVG: it carries its own alt text, and the tablet's
thank-you page keeps inline SVG for the client's curve alone.
"""

import segno
from django.http import HttpRequest
from django.urls import reverse


def public_url(request: HttpRequest, code: str) -> str:
    return request.build_absolute_uri(reverse("offers:public", args=[code]))


def code(url: str) -> segno.QRCode:
    """The QR code of an address, as every page and poster of the app makes it."""
    return segno.make(url, error="m")


def data_uri(url: str) -> str:
    return code(url).svg_data_uri(scale=5, border=2)
