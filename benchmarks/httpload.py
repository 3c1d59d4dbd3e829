"""HTTP rows of the benchmark: gunicorn as deployed, wrk as the load, a small client for set-up.

`parse_wrk` reads wrk's report (and the status counts our Lua scripts add to it) and is pure, so
the tests check it on a stored report. The rest starts and stops real processes on 127.0.0.1:
`Gunicorn` serves an app with deploy/gunicorn.conf.py, `run_wrk` loads one address for a few
seconds, `Browser` logs in and hands a form over the way a helper's browser does, and
`cpu_seconds` reads what the server's processes spent from /proc.
"""

import http.client
import os
import re
import secrets
import signal
import socket
import string
import subprocess
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
LUA = Path(__file__).resolve().parent / "wrk"
WRK = "/usr/bin/wrk"
CSRF_ALPHABET = string.ascii_letters + string.digits
TICKS = os.sysconf("SC_CLK_TCK")
SECONDS = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}


@dataclass(frozen=True)
class WrkResult:
    requests: int
    seconds: float
    rate: float  # requests per second, as wrk reports it
    statuses: dict[int, int] = field(default_factory=dict)  # from our Lua scripts
    socket_errors: dict[str, int] = field(default_factory=dict)
    latency_ms: float | None = None  # mean
    exhausted: bool = False  # submit.lua sent every prepared request and stopped early

    def count(self, *statuses: int) -> int:
        return sum(self.statuses.get(status, 0) for status in statuses)

    def unexpected(self, *expected: int) -> dict[int, int]:
        """Responses with another status than `expected` (wrk itself counts 3xx as success)."""
        return {s: n for s, n in sorted(self.statuses.items()) if s not in expected}


def _seconds(value: str, unit: str) -> float:
    return float(value) * SECONDS[unit]


def parse_wrk(output: str) -> WrkResult:
    """wrk's report as figures; ValueError when it has no request count (wrk failed)."""
    done = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s|m|h)\b", output)
    if done is None:
        raise ValueError(f"not a wrk report: {output.strip()[:200]!r}")
    requests, seconds = int(done.group(1)), _seconds(done.group(2), done.group(3))
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    latency = re.search(r"Latency\s+([\d.]+)(us|ms|s|m)\b", output)
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    return WrkResult(
        requests=requests,
        seconds=seconds,
        rate=float(rate.group(1)) if rate else requests / seconds,
        statuses={
            int(status): int(count)
            for status, count in re.findall(r"^status (\d{3}) (\d+)$", output, re.MULTILINE)
        },
        socket_errors=(
            dict(
                zip(("connect", "read", "write", "timeout"), map(int, errors.groups()), strict=True)
            )
            if errors
            else {}
        ),
        latency_ms=_seconds(*latency.groups()) * 1000 if latency else None,
        exhausted=re.search(r"^exhausted$", output, re.MULTILINE) is not None,
    )


def run_wrk(
    url: str,
    *,
    seconds: int,
    connections: int,
    script: str = "statuses.lua",
    headers: dict[str, str] | None = None,
    env: dict[str, str] | None = None,
) -> WrkResult:
    """One wrk run with one thread (the server needs the other core more than wrk does)."""
    command = [WRK, "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s"]
    command += ["-s", str(LUA / script)]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    command.append(url)
    result = subprocess.run(
        command,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=seconds + 60,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"wrk exited with {result.returncode}: {result.stderr.strip()}")
    return parse_wrk(result.stdout)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def cpu_seconds(pids: list[int]) -> float:
    """User plus system CPU time of these processes so far (those that ended count nothing)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / TICKS


def children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(child) for child in text.split()]


class Gunicorn:
    """One gunicorn master with deploy/gunicorn.conf.py on a free loopback port.

    Worker recycling (max_requests) is off: at thousands of requests a second it would replace
    a worker every few hundred milliseconds, and the benchmark would time Django's start-up
    instead of the requests. Everything else is the deployed configuration.
    """

    def __init__(self, env: dict[str, str], log: Path, app: str = "", workers: int = 2):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **env,
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "WEB_CONCURRENCY": str(workers),
        }
        self.log = log
        self.app = app
        self.process: subprocess.Popen | None = None

    def start(self, probe: str = "/", seconds: float = 60) -> None:
        command = [str(ROOT / ".venv" / "bin" / "gunicorn"), "-c", "deploy/gunicorn.conf.py"]
        command += ["--max-requests", "0"]
        if self.app:
            command.append(self.app)
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("wb") as log:  # this run's log only
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"gunicorn exited with {self.process.returncode}; see {self.log}"
                )
            try:
                if Browser(self.port).get(probe).status < 500:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise TimeoutError(f"gunicorn did not answer on {self.url} in {seconds} s; see {self.log}")

    def workers(self) -> list[int]:
        return children(self.process.pid) if self.process else []

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@dataclass(frozen=True)
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class Browser:
    """A browser's cookies over plain HTTP on loopback.

    The production settings mark cookies Secure, which a real browser would keep off plain
    HTTP; this client sends them anyway, as wrk will. Its CSRF cookie is made here: Django
    accepts any well-formed secret that the request repeats in X-CSRFToken.
    """

    def __init__(self, port: int, cookies: bool = True):
        """`cookies=False`: a first visit, which keeps none (as wrk's requests to the login
        page, each a new visitor)."""
        self.port = port
        self.keeps_cookies = cookies
        self.cookies: dict[str, str] = {}
        if cookies:
            self.cookies["csrftoken"] = "".join(secrets.choice(CSRF_ALPHABET) for _ in range(32))

    def cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    def get(self, path: str) -> Reply:
        return self.request("GET", path)

    def post_form(self, path: str, fields: dict[str, str]) -> Reply:
        body = urlencode(fields).encode()
        return self.request("POST", path, body, "application/x-www-form-urlencoded")

    def request(
        self, method: str, path: str, body: bytes | None = None, content_type: str = ""
    ) -> Reply:
        headers = {}
        if self.cookies:
            headers["Cookie"] = self.cookie_header()
        if "csrftoken" in self.cookies:
            headers["X-CSRFToken"] = self.cookies["csrftoken"]
        if content_type:
            headers["Content-Type"] = content_type
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
        finally:
            connection.close()
        received_cookies = response.msg.get_all("Set-Cookie") or []
        for line in received_cookies if self.keeps_cookies else []:
            for name, morsel in SimpleCookie(line).items():
                if morsel.value and morsel["max-age"] != "0":
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        received = {name.lower(): value for name, value in response.getheaders()}
        return Reply(response.status, received, data)

    def log_in(self, username: str, password: str) -> None:
        reply = self.post_form("/logg-inn/", {"username": username, "password": password})
        if reply.status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"logging in as {username} gave {reply.status}, no session")
