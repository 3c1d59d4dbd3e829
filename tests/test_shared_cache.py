"""Limits hold across server processes when they share a cache (issue #11, hole 7).

Found from outside: with N worker processes the request limit on the remote-link pages was N
times looser, because each process counted in its own memory (the first 429 came at request 109
for a limit of 60). With REDIS_URL set every process counts in the same Redis.
"""

import os
import socket
import subprocess
import sys
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.checks import Warning as CheckWarning

from feedback.checks import shared_cache_in_production
from tests.servers import free_port, wait_for_port

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
LIMIT = 10


def redis_or_skip() -> None:
    host, port = "127.0.0.1", 6379
    try:
        socket.create_connection((host, port), timeout=1).close()
    except OSError:
        message = f"Redis is not running on {host}:{port}"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}; the shared-cache test must run in CI.")
        pytest.skip(message)


def status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.fixture
def two_servers(tmp_path):
    """Two separate Django server processes sharing one Redis, like two app hosts."""
    redis_or_skip()
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {
        "DEBUG": "1",
        "REDIS_URL": REDIS_URL,
        "CACHE_KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        "REMOTE_LINK_RATE_LIMIT": str(LIMIT),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    ports = [free_port(), free_port()]
    manage = Path(settings.BASE_DIR) / "manage.py"
    processes = [
        subprocess.Popen(
            [sys.executable, manage, "runserver", "--noreload", f"127.0.0.1:{port}"],
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]
    try:
        for port in ports:
            wait_for_port(port, seconds=60, every=0.2)
        yield [f"http://127.0.0.1:{port}" for port in ports]
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=10)


def test_the_remote_link_limit_holds_across_two_processes(two_servers):
    seen = [status(f"{two_servers[i % 2]}/svar/not-a-token/") for i in range(LIMIT + 2)]
    assert seen[:LIMIT] == [404] * LIMIT
    assert seen[LIMIT:] == [429, 429]


def test_production_without_a_shared_cache_is_warned_about(settings):
    settings.DEBUG = False
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    warnings = shared_cache_in_production(None)
    assert [w.id for w in warnings] == ["feedback.W001"]
    assert isinstance(warnings[0], CheckWarning)
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    assert shared_cache_in_production(None) == []
