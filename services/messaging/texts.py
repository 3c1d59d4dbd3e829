"""What the client receives: the short link, when it stops working, and (unless the client asked
not to have it) the service's name. Nothing else: no form, no client code, no helper, nothing
about health, since a phone's lock screen or a shared mailbox is read by others too.

Pure functions of their arguments, in the message's language (bokmål unless chosen), so a test
can read every variant without a database.
"""

import datetime

from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from services.ratings import links
from services.ratings.models import Handover

from .models import Kind


def link_address(handover: Handover, base_url: str) -> str:
    """The link as the helper's page shows it (`links.link_url`), on the site's address: the
    short one when the link has a code, else the long one. Made when sent, never stored."""
    code = links.short_code_for(handover)
    if code is None:
        path = reverse("ratings:remote", args=[links.token_for(handover)])
    else:
        path = reverse("ratings:short", args=[code])
    return base_url.rstrip("/") + path


def _until(expires_at: datetime.datetime) -> str:
    return formats.date_format(timezone.localtime(expires_at), "SHORT_DATETIME_FORMAT")


def message_text(
    *,
    kind: str,
    url: str,
    expires_at: datetime.datetime,
    service_name: str,
    hide_service_name: bool,
    language: str,
) -> str:
    """The text message, and the e-mail's body."""
    with translation.override(language):
        values = {"url": url, "expires": _until(expires_at), "service": service_name}
        if kind == Kind.REMINDER:
            if hide_service_name:
                return _("A reminder: your link works once, until %(expires)s: %(url)s") % values
            return (
                _("A reminder from %(service)s: your link works once, until %(expires)s: %(url)s")
                % values
            )
        if hide_service_name:
            return _("Here is your link. It works once, until %(expires)s: %(url)s") % values
        return _("%(service)s: here is your link. It works once, until %(expires)s: %(url)s") % (
            values
        )


def email_subject(*, kind: str, service_name: str, hide_service_name: bool, language: str) -> str:
    with translation.override(language):
        if kind == Kind.REMINDER:
            if hide_service_name:
                return _("A reminder")
            return _("A reminder from %(service)s") % {"service": service_name}
        if hide_service_name:
            return _("Your link")
        return _("Your link from %(service)s") % {"service": service_name}
