"""The phone number or e-mail address a helper types: checked, written one way, and masked.

One field takes either, so the helper need not choose a channel first: an address with "@" is
an e-mail, anything else must be a mobile number. A Norwegian number is eight digits (spaces,
dashes and a leading 0047 or +47 are allowed) and is stored as +47XXXXXXXX; another country's
is + and its digits (E.164, at most 15). Gateways want one form, and the mask below needs it.

The mask is what the pages, the admin and the console backends show instead: enough for the
helper to recognise a typo in the last digits, not enough to reach anyone.
"""

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

SMS = "sms"
EMAIL = "email"

NOT_A_RECIPIENT = _(
    "Write a mobile number (8 digits, or + and the country code) or an e-mail address."
)
NOT_AN_EMAIL = _("This is not a valid e-mail address.")
NOT_A_NUMBER = _("This is not a valid mobile number: 8 digits, or + and the country code.")

SEPARATORS = re.compile(r"[\s\-().]")
NORWEGIAN = re.compile(r"(?:\+47|0047)?(\d{8})")
INTERNATIONAL = re.compile(r"(?:\+|00)([1-9]\d{6,14})")
EMAIL_MAX_LENGTH = 254


def parse(text: str) -> tuple[str, str]:
    """(channel, recipient written one way) for what the helper typed; ValidationError if
    it is neither a mobile number nor an e-mail address. The error never repeats the input."""
    text = text.strip()
    if "@" in text:
        if len(text) > EMAIL_MAX_LENGTH:
            raise ValidationError(NOT_AN_EMAIL, code="email")
        try:
            validate_email(text)
        except ValidationError:
            raise ValidationError(NOT_AN_EMAIL, code="email") from None
        return EMAIL, text
    compact = SEPARATORS.sub("", text)
    if not compact:
        raise ValidationError(NOT_A_RECIPIENT, code="empty")
    norwegian = NORWEGIAN.fullmatch(compact)
    if norwegian is not None:
        return SMS, "+47" + norwegian.group(1)
    international = INTERNATIONAL.fullmatch(compact)
    if international is not None and not international.group(1).startswith("47"):
        return SMS, "+" + international.group(1)
    if compact.lstrip("+").isdigit():
        raise ValidationError(NOT_A_NUMBER, code="phone")
    raise ValidationError(NOT_A_RECIPIENT, code="invalid")


def mask(recipient: str) -> str:
    """+47 ••• •• 123 for a number, k•••@•••.no for an address."""
    if "@" in recipient:
        local, _at, domain = recipient.rpartition("@")
        top = domain.rsplit(".", 1)[-1] if "." in domain else "•••"
        return f"{local[:1]}•••@•••.{top}"
    digits = recipient.lstrip("+")
    if recipient.startswith("+47") and len(digits) == 10:
        return f"+47 ••• •• {digits[-3:]}"
    return f"+••• {digits[-3:]}"
