"""The cluster starts once for this folder's tests and is torn down whatever happens.

It runs only when asked (`-m cluster`, or CLUSTER=1), because it takes a few minutes and needs
HAProxy and PostgreSQL's server binaries; `make test` skips it. In CI (CI=true) a missing part
fails the test instead of skipping it, so the cluster test cannot silently stop running.
"""

import os
import shutil
import socket
from importlib.util import find_spec

import pytest

from .postgres import binaries
from .stack import Stack

LINKS = 1000


def asked(config: pytest.Config) -> bool:
    return "cluster" in (config.getoption("markexpr") or "") or os.environ.get("CLUSTER") == "1"


def missing() -> list[str]:
    problems = []
    if shutil.which("haproxy") is None:
        problems.append("haproxy is not installed (apt-get install haproxy)")
    if binaries() is None:
        problems.append("PostgreSQL's server binaries are not installed")
    if shutil.which("runuser") is None or os.geteuid() != 0:
        problems.append("the test must run as root to start PostgreSQL as its own user")
    if find_spec("gunicorn") is None:
        problems.append("gunicorn is not installed")
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        problems.append("Redis is not running on 127.0.0.1:6379")
    return problems


@pytest.fixture(scope="module")
def stack(request, tmp_path_factory):
    if not asked(request.config):
        pytest.skip("the cluster test runs with -m cluster or CLUSTER=1 (.ci/run runs it)")
    problems = missing()
    if problems and os.environ.get("CI") == "true":
        pytest.fail("; ".join(problems))
    if problems:
        pytest.skip("; ".join(problems))
    failed_before = request.session.testsfailed
    running = Stack(tmp_path_factory.mktemp("cluster"), LINKS)
    try:
        running.start()
    except BaseException:
        _show(request, running.tails())
        running.close()
        raise
    try:
        yield running
    finally:
        if request.session.testsfailed > failed_before:
            _show(request, running.tails())
        running.close()


def _show(request, text: str) -> None:
    """The processes' last log lines, printed past pytest's capture so CI keeps them."""
    capture = request.config.pluginmanager.getplugin("capturemanager")
    with capture.global_and_fixture_disabled():
        print(f"\n=== cluster logs ===\n{text}\n")
