"""The whole production stack on one machine: PostgreSQL, two app servers, HAProxy, a worker.

Everything binds to 127.0.0.1 on free ports. The database is a cluster of the test's own
(tests/cluster/postgres.py); Redis is the machine's, under a key prefix of this run that is
removed at the end. The app runs with production settings (DEBUG off, hashed static files,
JSON logs) except that it speaks plain HTTP on loopback, as it does behind a balancer that
ends TLS.
"""

import json
import os
import secrets
import shlex
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psycopg
import redis

from tests.servers import free_port, wait_for_port

from . import haproxy
from .postgres import TempPostgres
from .processes import Process, Supervised
from .web import Device

BASE_DIR = Path(__file__).resolve().parents[2]
GUNICORN_CONFIG = BASE_DIR / "deploy" / "gunicorn.conf.py"
WORKER_UNIT = BASE_DIR / "deploy" / "feedback-worker.service"
REDIS_URL = os.environ.get("CLUSTER_REDIS_URL", "redis://127.0.0.1:6379/14")
LINK_LIMIT = 60  # the production default, set here so the test can count to it
LOGIN_FAILURE_LIMIT = 5
PIN_FAILURE_LIMIT = 5
WORKERS_PER_SERVER = 2


class Stack:
    def __init__(self, root: Path, links: int):
        self.root = root
        self.links = links
        self.logs = root / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)
        self.postgres = TempPostgres(free_port())
        self.server_ports = [free_port(), free_port()]
        self.balancer_port = free_port()
        self.prefix = f"cluster-{uuid.uuid4().hex}"
        self.marks = root / "job-marks"
        self.marks.mkdir()
        self.env = self._environment()
        self.servers = [self._server(port) for port in self.server_ports]
        config = root / "haproxy.cfg"
        self.balancer = Process("haproxy", haproxy.command(config), self.env, self.logs, BASE_DIR)
        command, restart_seconds = worker_unit()
        self.worker = Supervised(
            "worker", command, self.env, self.logs, BASE_DIR, restart_seconds=restart_seconds
        )
        self.seed: dict = {}

    def _environment(self) -> dict[str, str]:
        return {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": os.environ.get("HOME", "/root"),
            "LANG": "C.UTF-8",
            "PYTHONUNBUFFERED": "1",
            "DJANGO_SETTINGS_MODULE": "feedback.settings",
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            # Plain HTTP on loopback: TLS ends at the balancer in a real deployment.
            "SECURE_SSL_REDIRECT": "0",
            "TRUSTED_PROXIES": "127.0.0.1",
            "DATABASE_URL": self.postgres.url,
            "REDIS_URL": REDIS_URL,
            "CACHE_KEY_PREFIX": self.prefix,
            "STATIC_ROOT": str(self.root / "static"),
            "REMOTE_LINK_RATE_LIMIT": str(LINK_LIMIT),
            "LOGIN_FAILURE_LIMIT": str(LOGIN_FAILURE_LIMIT),
            "PIN_FAILURE_LIMIT": str(PIN_FAILURE_LIMIT),
            "JOBS_DEBUG_MARK_DIR": str(self.marks),
            "WEB_CONCURRENCY": str(WORKERS_PER_SERVER),
        }

    def _server(self, port: int) -> Process:
        command = [sys.executable, "-m", "gunicorn", "-c", str(GUNICORN_CONFIG)]
        env = self.env | {"GUNICORN_BIND": f"127.0.0.1:{port}"}
        return Process(f"app-{port}", command, env, self.logs, BASE_DIR)

    # Starting and stopping

    def start(self) -> None:
        self.postgres.create()
        self.manage("migrate", "--noinput")
        self.manage("collectstatic", "--noinput")
        self.seed = self._seed()
        for server in self.servers:
            server.start()
        for port in self.server_ports:
            self.wait_ready(port)
        haproxy.write_config(self.root, self.balancer_port, self.server_ports)
        self.balancer.start()
        self.wait_ready(self.balancer_port)
        self.worker.start()

    def close(self) -> None:
        """Stop everything; one step failing does not keep the others from running."""
        steps = [process.stop for process in (self.worker, self.balancer, *self.servers)]
        failures = []
        for step in [*steps, self.postgres.remove, self._forget_cache]:
            try:
                step()
            except Exception as error:
                failures.append(error)
        if failures:
            raise failures[0]

    def manage(self, *arguments: str) -> str:
        return self._run("manage.py", *arguments)

    def _seed(self) -> dict:
        output = self._run("-m", "tests.cluster.seed", str(self.links))
        line = next(line for line in output.splitlines() if line.startswith("SEED "))
        return json.loads(line.removeprefix("SEED "))

    def _run(self, *arguments: str, timeout: float = 180) -> str:
        done = subprocess.run(
            [sys.executable, *arguments],
            env=self.env,
            cwd=BASE_DIR,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(arguments)} failed:\n{done.stderr[-3000:]}")
        return done.stdout

    def _forget_cache(self) -> None:
        client = redis.Redis.from_url(REDIS_URL)
        try:
            keys = list(client.scan_iter(match=f"{self.prefix}:*", count=1000))
            if keys:
                client.delete(*keys)
        finally:
            client.close()

    # Looking at it

    def wait_ready(self, port: int, seconds: float = 60) -> float:
        """Seconds until /readyz answers 200 on this port (a server, or the balancer)."""
        started = time.monotonic()
        wait_for_port(port, seconds)
        while time.monotonic() - started < seconds:
            if self.ready(port):
                return time.monotonic() - started
            time.sleep(0.2)
        raise TimeoutError(f"/readyz on port {port} not 200 after {seconds} s\n{self.tails()}")

    def ready(self, port: int) -> bool:
        try:
            return Device(port, timeout=5).get("/readyz").status == 200
        except OSError:
            return False

    def query(self, sql: str) -> list[tuple]:
        """Rows straight from the cluster's database, for counting what was stored."""
        with psycopg.connect(self.postgres.url, connect_timeout=5) as connection:
            return connection.execute(sql).fetchall()

    def server(self, port: int) -> Process:
        return self.servers[self.server_ports.index(port)]

    def tails(self) -> str:
        processes = (*self.servers, self.balancer, self.worker)
        parts = [f"--- {p.name} ---\n{p.tail()}" for p in processes]
        log = self.postgres.log if self.postgres.root is not None else None
        parts.append(f"--- postgres ---\n{_tail(log)}")
        return "\n".join(parts)


def worker_unit() -> tuple[list[str], float]:
    """The worker's command and restart delay from its systemd unit, run with this Python."""
    lines = WORKER_UNIT.read_text().splitlines()
    settings = dict(line.split("=", 1) for line in lines if "=" in line and line[0] != "#")
    _python, *arguments = shlex.split(settings["ExecStart"])
    # procrastinate stops a worker with exit code 0 when the database goes away.
    assert settings.get("Restart") == "always", "Restart=on-failure would leave it stopped"
    return [sys.executable, *arguments], float(settings.get("RestartSec", "0"))


def _tail(path: Path | None, lines: int = 20) -> str:
    if path is None:
        return ""
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""
