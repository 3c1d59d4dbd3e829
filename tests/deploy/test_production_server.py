"""The production server as deployed: gunicorn with deploy/gunicorn.conf.py and DEBUG off.

One server process is started on a free port with production settings, on a SQLite file of its
own. It is not ready until migrated, serves hashed static files with a far-future Cache-Control,
trusts HTTPS only from the proxy, and writes JSON log lines without raw paths.
"""

import http.client
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from tests.servers import free_port

ROOT = Path(settings.BASE_DIR)
CONFIG = ROOT / "deploy" / "gunicorn.conf.py"
TOKEN = "Zm9yLXRlc3Q6c2VjcmV0LXRva2Vu"
PUBLIC = {"Host": "kor.example.no", "X-Forwarded-Proto": "https"}


def fetch(port: int, path: str, headers: dict | None = None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def wait_for(port: int, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        try:
            if fetch(port, "/healthz")[0] == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"gunicorn did not answer on {port} in {seconds} s")


def manage(environment: dict, *arguments: str) -> str:
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *arguments],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.fixture
def production(tmp_path):
    port = free_port()
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "REDIS_URL", "LOG_FORMAT", "DJANGO_SETTINGS_MODULE"}
    } | {
        "DEBUG": "0",
        "SECRET_KEY": "k8#Qz2!vR9@mW4$tY7^pL1&nB6*cX3(jH5)dF0_gS8+aE2=uI4",
        "ALLOWED_HOSTS": "kor.example.no",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "STATIC_ROOT": str(tmp_path / "static"),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
        "TRUSTED_PROXIES": "127.0.0.1",
    }
    manage(environment, "collectstatic", "--noinput")
    log = (tmp_path / "gunicorn.log").open("w+")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(CONFIG)],
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_for(port, server)
        yield port, environment, tmp_path / "gunicorn.log"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        log.close()


def test_the_production_server(production):
    port, environment, log = production
    assert fetch(port, "/healthz")[2] == b"ok"
    # Started before `migrate`: alive, but the balancer must not send it requests yet.
    assert fetch(port, "/readyz")[:3:2] == (503, b"not ready: migrations")
    manage(environment, "migrate", "--noinput")
    assert fetch(port, "/readyz")[:3:2] == (200, b"ok")

    # HTTPS is what the trusted proxy says it is; a plain request is sent to HTTPS.
    status, headers, _ = fetch(port, "/logg-inn/", {"Host": "kor.example.no"})
    assert (status, headers["Location"]) == (301, "https://kor.example.no/logg-inn/")
    status, headers, body = fetch(port, "/logg-inn/", PUBLIC)
    assert status == 200
    assert "max-age=" in headers["Strict-Transport-Security"]

    # Hashed names, cached for years, compressed.
    stylesheet = re.search(r'href="(/static/css/staff\.[0-9a-f]{12}\.css)"', body.decode())
    assert stylesheet, "the login page links a hashed stylesheet"
    status, headers, _ = fetch(port, stylesheet[1], PUBLIC | {"Accept-Encoding": "gzip"})
    assert status == 200
    assert "max-age=315360000" in headers["Cache-Control"]
    assert "immutable" in headers["Cache-Control"]
    assert headers["Content-Encoding"] == "gzip"
    status, headers, _ = fetch(port, "/static/css/staff.css", PUBLIC)
    assert status == 200 and "immutable" not in headers.get("Cache-Control", "")

    assert fetch(port, f"/svar/{TOKEN}/", PUBLIC)[0] in (404, 410)
    time.sleep(0.5)
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.strip()]
    assert {"gunicorn.error", "feedback.request"} <= {line["logger"] for line in lines}
    routes = [line.get("route") for line in lines if line["logger"] == "feedback.request"]
    assert "/svar/<str:token>/" in routes
    assert TOKEN not in log.read_text()  # nor in an access log: gunicorn writes none
