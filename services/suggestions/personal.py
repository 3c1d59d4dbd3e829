"""The soft check on an anonymous note: does it look like it holds a phone number, an email
address or a national identity number?

Only a warning. The writer is asked to look again and may send the note as it is ("Send
likevel"): a number may be the service's own phone or a bus route, and a check that refused
would teach people to write around it. The note is stored as written either way; leaders check
it again before they choose to show it publicly.
"""

import re

from django.utils.translation import gettext_lazy as _

# Eleven digits, maybe split after the birth date: a fødselsnummer or a D-number.
NATIONAL_ID = re.compile(r"(?<!\d)\d{6}[ .-]?\d{5}(?!\d)")
# Eight digits, maybe in groups ("912 34 567", "91 23 45 67"), maybe after +47 or 0047.
PHONE = re.compile(r"(?<![\d+])(?:(?:\+|00)47[ -]?)?(?:\d[ -]?){7}\d(?!\d)")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")

KINDS = {
    "national_id": _("a national identity number"),
    "phone": _("a phone number"),
    "email": _("an email address"),
}


def looks_personal(text: str) -> list[str]:
    """The kinds of personal detail the text seems to hold (keys of `KINDS`), in that order.

    An identity number is taken out before looking for phone numbers, so its digits are not
    counted twice.
    """
    found = []
    if NATIONAL_ID.search(text):
        found.append("national_id")
    if PHONE.search(NATIONAL_ID.sub(" ", text)):
        found.append("phone")
    if EMAIL.search(text):
        found.append("email")
    return found
