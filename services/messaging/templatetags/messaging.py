"""The link page's messages part, behind one line in templates/ratings/link.html: read here, so
the link page itself need not know about messages."""

from django import template

from .. import gateways
from ..forms import SendLinkForm

register = template.Library()


@register.inclusion_tag("messaging/_link_messages.html", takes_context=True)
def link_messages(context) -> dict:
    """The form to send the link (a bound one with errors when the send view refused) and the
    status of the messages already queued for this link."""
    handover = context["handover"]
    is_open = handover.used_at is None and not context.get("expired")
    return {
        "client": context["client"],
        "handover": handover,
        "form": context.get("message_form") or SendLinkForm(auto_id="message_%s"),
        "is_open": is_open,
        "sms_set_up": is_open and gateways.sms_is_set_up(),
        "outgoing": list(handover.messages.all()),
        "csrf_token": context.get("csrf_token"),
    }
