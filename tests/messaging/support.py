"""The local servers the messages go to in tests, and the numbers and addresses they use.

An SMTP server (aiosmtpd) that keeps what it accepts and refuses one address, and an HTTP
server that records each SMS gateway call and answers with the statuses it is told to.
"""

import datetime
import json
import threading
import time
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler

from django.utils import timezone

PHONE = "+4791234567"
TYPED_PHONE = "912 34 567"
EMAIL = "kari.nordmann@example.no"
REFUSED_EMAIL = "nobody@refused.example"
SITE = "https://kor.kommune.example"
SERVICE_NAME = "Lavterskel Oslo"  # the `service` fixture's
TEMPLATE = json.dumps(
    {
        "source": "{sender}",
        "destination": "{to}",
        "userData": "{text}",
        "platformId": "0",
        "useDeliveryReport": False,
    }
)


@dataclass
class SmtpRecorder:
    """aiosmtpd's handler: refuses one address (550), keeps every message it accepts."""

    received: list = field(default_factory=list)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == REFUSED_EMAIL:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.received.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


@dataclass
class GatewayCall:
    path: str
    headers: dict
    body: dict


class Gateway:
    """The calls received; `answers` are the statuses to give, in turn (then 200), and
    `delay` how long each answer takes."""

    def __init__(self):
        self.calls: list[GatewayCall] = []
        self.answers: list[int] = []
        self.delay = 0.0
        self.lock = threading.Lock()


def gateway_handler(gateway: Gateway):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length", 0))
            body = json.loads(self.rfile.read(length))
            with gateway.lock:
                gateway.calls.append(GatewayCall(self.path, dict(self.headers), body))
                status = gateway.answers.pop(0) if gateway.answers else 200
            if gateway.delay:
                time.sleep(gateway.delay)
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"refId": "1"}')

        def log_message(self, format, *args):
            """Quiet: the test server's lines would hide the test's own output."""

    return Handler


def soon(minutes: float = 0) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(minutes=minutes)
