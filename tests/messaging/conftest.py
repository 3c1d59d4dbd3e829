import threading
from http.server import ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller

from services.ratings.handovers import prepare_handover
from tests.factories import EpisodeFactory
from tests.servers import free_port

from .support import SITE, TEMPLATE, Gateway, SmtpRecorder, gateway_handler


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on 127.0.0.1, and Django's SMTP backend pointed at it."""
    recorder = SmtpRecorder()
    port = free_port()
    controller = Controller(recorder, hostname="127.0.0.1", port=port, ready_timeout=5)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    settings.DEFAULT_FROM_EMAIL = "ikke-svar@kommune.example"
    yield recorder
    controller.stop()


@pytest.fixture
def sms_gateway(settings):
    """A real HTTP server on 127.0.0.1 as the SMS gateway, and the JSON backend set up for it."""
    gateway = Gateway()
    server = ThreadingHTTPServer(("127.0.0.1", 0), gateway_handler(gateway))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    settings.SMS_BACKEND = "services.messaging.gateways.HttpJsonSmsBackend"
    settings.SMS_GATEWAY_URL = f"http://127.0.0.1:{server.server_address[1]}/sms/send"
    settings.SMS_GATEWAY_TOKEN = "secret-token"
    settings.SMS_GATEWAY_TEMPLATE = TEMPLATE
    settings.SMS_SENDER = "Kommunen"
    settings.SMS_GATEWAY_TIMEOUT = 5
    yield gateway
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture
def site(settings):
    settings.SITE_URL = SITE
    return SITE


@pytest.fixture
def episode(service, team, helper):
    episode = EpisodeFactory(client__service=service, team=team)
    episode.helpers.add(helper)
    return episode


@pytest.fixture
def remote(episode, helper):
    """A one-time link for the client's phone, made as the hand-over page makes it."""
    return prepare_handover(episode, method="link", purpose="outcome", user=helper)
