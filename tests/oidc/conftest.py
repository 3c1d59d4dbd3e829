"""Single sign-on switched on for a test, and a real provider process for the module."""

import json
import subprocess
import sys
from dataclasses import dataclass
from urllib.parse import parse_qs, urlparse

import pytest
import requests
from django.conf import settings as django_settings

from tests.oidc_provider.serve import CLIENT_ID, CLIENT_SECRET, PASSWORD
from tests.servers import free_port, wait_until

# Loaded now, while single sign-on is off: feedback/urls.py reads OIDC_RP_CLIENT_ID when it is
# first imported, and must not keep /oidc/ for the other tests by first loading in one of ours.
from . import urls  # noqa: F401

MFA_ACR = "urn:kommune:loa:high"
# The provider's people and the claims it gives each (beyond `sub`).
PEOPLE = {
    "kari": {"email": "kari@kommune.no", "email_verified": True},
    "ola": {"email": "Ola.Nordmann@kommune.no", "email_verified": True, "amr": ["pwd", "mfa"]},
    "per": {"email": "per@kommune.no", "email_verified": True, "acr": MFA_ACR, "amr": ["pwd"]},
    "lise": {"email": "lise@kommune.no", "email_verified": False},
    "ukjent": {"email": "ukjent@kommune.no", "email_verified": True},
}
BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "services.accounts.oidc.StaffOIDCBackend",
    "services.accounts.backends.PasswordBackend",
]
STARTUP_SECONDS = 60


def switch_on(settings, discovery: str) -> None:
    """What OIDC_RP_CLIENT_ID and friends in the environment give (feedback/settings.py)."""
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_OP_DISCOVERY = discovery
    settings.OIDC_MFA_AMR_VALUES = ["mfa", "otp"]
    settings.OIDC_MFA_ACR_VALUES = [MFA_ACR]
    settings.AUTHENTICATION_BACKENDS = BACKENDS
    settings.AXES_WHITELIST_CALLABLE = "services.accounts.sso.not_a_password_attempt"
    settings.ROOT_URLCONF = "tests.oidc.urls"
    settings.TWO_FACTOR_REQUIRED = True


@pytest.fixture
def sso_without_provider(settings):
    """Single sign-on configured, with a provider address nothing answers on."""
    switch_on(settings, f"http://127.0.0.1:{free_port()}/o/.well-known/openid-configuration")
    return settings


@dataclass
class Provider:
    url: str
    subjects: dict[str, str]

    @property
    def discovery(self) -> str:
        return f"{self.url}/o/.well-known/openid-configuration"


def _answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=1).status_code == 200
    except requests.RequestException:
        return False


@pytest.fixture(scope="module")
def provider(live_server, tmp_path_factory):
    """django-oauth-toolkit's provider as its own process on a free loopback port, for the
    app under live_server; stopped when the module is done."""
    run_dir = tmp_path_factory.mktemp("provider")
    (run_dir / "people.json").write_text(json.dumps(PEOPLE))
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = (run_dir / "provider.log").open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.oidc_provider.serve",
            str(run_dir),
            str(port),
            f"{live_server.url}/oidc/callback/",
        ],
        cwd=django_settings.BASE_DIR,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        discovery = f"{url}/o/.well-known/openid-configuration"
        started = wait_until(
            lambda: process.poll() is not None or _answers(discovery), STARTUP_SECONDS
        )
        if not started or process.poll() is not None:
            output = (run_dir / "provider.log").read_text()
            pytest.fail(f"the test provider did not start:\n{output}")
        subjects = json.loads((run_dir / "subjects.json").read_text())
        yield Provider(url=url, subjects=subjects)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture
def sso(settings, provider):
    switch_on(settings, provider.discovery)
    return provider


def sign_on(live_server, username: str, *, browser=None):
    """A browser's round: the app's button, the provider's login form, and back through the
    app's callback. Returns the browser (a requests.Session) and the page it ends on."""
    browser = browser or requests.Session()
    form = browser.get(f"{live_server.url}/oidc/authenticate/", timeout=15)
    assert form.status_code == 200 and urlparse(form.url).path == "/login/", form.url
    answer = browser.post(
        form.url,
        data={
            "username": username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": browser.cookies.get("op_csrftoken"),
            "next": parse_qs(urlparse(form.url).query)["next"][0],
        },
        timeout=30,
    )
    return browser, answer
