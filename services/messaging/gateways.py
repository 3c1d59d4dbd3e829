"""Where a message leaves the app: an SMS backend (chosen by SMS_BACKEND) or Django's e-mail.

An SMS backend is any class with `send_sms(to, text)` that returns when the gateway took the
message and raises `SendFailed` when it did not. Two come with the app:

- `HttpJsonSmsBackend` POSTs one JSON document per message to SMS_GATEWAY_URL, with
  "Authorization: Bearer SMS_GATEWAY_TOKEN", shaped by SMS_GATEWAY_TEMPLATE: the way most
  Norwegian SMS gateways take messages, so a new one is set up in the settings, not in code.
- `ConsoleSmsBackend` writes the message to standard output for development.

E-mail goes through Django's configured EMAIL_BACKEND (SMTP in production);
`ConsoleEmailBackend` is the development one.

Every failure is turned into a `SendFailed` with a reason from a fixed list and a note for the
log (an HTTP status, an exception's class name), never the exception's own text: a gateway's
or SMTP server's answer may repeat the number or address, and logs must never hold them. The
console backends mask the number and address for the same reason.
"""

import json
import re
import smtplib
import sys
import urllib.error
import urllib.request
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.utils.module_loading import import_string

from .models import SendError
from .recipients import mask

DEFAULT_TEMPLATE = '{"to": "{to}", "text": "{text}", "sender": "{sender}"}'
PLACEHOLDER = re.compile(r"\{(to|text|sender)\}")
# HTTP answers that may well be different next time; other 4xx are answers about the message.
TRY_AGAIN_STATUSES = {408, 425, 429}


class SendFailed(Exception):
    """A message not sent. `reason` is a `SendError`; `permanent` says whether trying again
    could help; `why` is for the log and never holds the recipient or the text."""

    def __init__(self, reason: str, *, permanent: bool = False, why: str = ""):
        super().__init__(reason, why)
        self.reason = reason
        self.permanent = permanent
        self.why = why


class SmsBackend(Protocol):
    def send_sms(self, to: str, text: str) -> None: ...


def sms_backend() -> SmsBackend:
    return import_string(settings.SMS_BACKEND)()


def sms_is_set_up() -> bool:
    """False when the configured backend would refuse every message (a gateway without URL)."""
    backend = sms_backend()
    return not isinstance(backend, HttpJsonSmsBackend) or bool(backend.url)


class ConsoleSmsBackend:
    """Development: the message on standard output, to a masked number."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stdout

    def send_sms(self, to: str, text: str) -> None:
        self.stream.write(f"SMS to {mask(to)}:\n{text}\n\n")
        self.stream.flush()


def fill_template(template: str, **values: str) -> bytes:
    """The JSON body: the template parsed, each {to}, {text} and {sender} inside its strings
    replaced, and the result written as JSON again, so a quote or a brace in the text cannot
    change the document's shape and a placeholder inside a value is not filled a second time."""
    try:
        shape = json.loads(template)
    except ValueError:
        raise ImproperlyConfigured("SMS_GATEWAY_TEMPLATE is not a JSON document.") from None

    def fill(node):
        if isinstance(node, str):
            return PLACEHOLDER.sub(lambda found: values[found.group(1)], node)
        if isinstance(node, dict):
            return {key: fill(value) for key, value in node.items()}
        if isinstance(node, list):
            return [fill(value) for value in node]
        return node

    return json.dumps(fill(shape), ensure_ascii=False).encode("utf-8")


class HttpJsonSmsBackend:
    """One POST of a JSON document per message; any 2xx answer means the gateway took it."""

    def __init__(self, url=None, token=None, template=None, sender=None, timeout=None):
        self.url = settings.SMS_GATEWAY_URL if url is None else url
        self.token = settings.SMS_GATEWAY_TOKEN if token is None else token
        self.template = (
            (settings.SMS_GATEWAY_TEMPLATE or DEFAULT_TEMPLATE) if template is None else template
        )
        self.sender = settings.SMS_SENDER if sender is None else sender
        self.timeout = settings.SMS_GATEWAY_TIMEOUT if timeout is None else timeout
        if self.url and not self.url.startswith(("https://", "http://")):
            raise ImproperlyConfigured("SMS_GATEWAY_URL must be an http or https address.")

    def send_sms(self, to: str, text: str) -> None:
        if not self.url:
            raise SendFailed(SendError.NOT_SET_UP, permanent=True, why="no SMS_GATEWAY_URL")
        headers = {"Content-Type": "application/json; charset=utf-8", "Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        body = fill_template(self.template, to=to, text=text, sender=self.sender)
        request = urllib.request.Request(self.url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                response.read(64 * 1024)
        except urllib.error.HTTPError as error:
            status = error.code
            error.close()
            permanent = 400 <= status < 500 and status not in TRY_AGAIN_STATUSES
            reason = SendError.REFUSED if permanent else SendError.SERVICE_ERROR
            raise SendFailed(reason, permanent=permanent, why=f"HTTP {status}") from None
        except urllib.error.URLError as error:
            raise _connection_failure(error.reason) from None
        except OSError as error:  # includes TimeoutError while reading the answer
            raise _connection_failure(error) from None


def _connection_failure(error: object) -> SendFailed:
    if isinstance(error, TimeoutError):
        return SendFailed(SendError.NO_ANSWER, why="timeout")
    return SendFailed(SendError.NO_CONNECTION, why=type(error).__name__)


def send_email(to: str, subject: str, body: str) -> None:
    """Through Django's EMAIL_BACKEND, with its timeout (EMAIL_TIMEOUT)."""
    message = EmailMessage(subject, body, from_email=settings.DEFAULT_FROM_EMAIL, to=[to])
    try:
        message.send()
    except smtplib.SMTPRecipientsRefused:
        raise SendFailed(SendError.REFUSED, permanent=True, why="SMTPRecipientsRefused") from None
    except smtplib.SMTPResponseException as error:
        permanent = 500 <= error.smtp_code < 600
        reason = SendError.REFUSED if permanent else SendError.SERVICE_ERROR
        raise SendFailed(reason, permanent=permanent, why=f"SMTP {error.smtp_code}") from None
    except smtplib.SMTPException as error:
        raise SendFailed(SendError.SERVICE_ERROR, why=type(error).__name__) from None
    except OSError as error:
        raise _connection_failure(error) from None


class ConsoleEmailBackend(BaseEmailBackend):
    """Development: the e-mail on standard output, to a masked address (Django's own console
    backend would print the address)."""

    def __init__(self, *args, stream=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.stream = stream or sys.stdout

    def send_messages(self, email_messages) -> int:
        for message in email_messages:
            to = ", ".join(mask(address) for address in message.to)
            self.stream.write(f"E-mail to {to}\nSubject: {message.subject}\n\n{message.body}\n\n")
        self.stream.flush()
        return len(email_messages)
