"""The load: phones sending answers through the balancer, each with the page's outbox.

Each remote link is answered once, from its own phone (its own loopback address), with its own
submission key; every tenth answer is sent a second time, right after the first, as a double
tap or an outbox sending again would. Like `static/rating/rating.js`, a phone keeps an answer
until the server has stored it (201, or 200 for a repeat) or refused it for good (400, 404, 409,
410), and sends it again with the same key on anything else: an error status, a dropped
connection, a timeout. The waits grow (0.2 s doubling, at most 2 s, with jitter) and are
bounded, so the test ends even if the app never recovers. Retry-After (30 s) is noted, not
obeyed: the page's outbox also retries sooner, every 20 s.

Answers start at a steady rate, so the faults the test causes land in the middle of the load.
"""

import http.client
import random
import statistics
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field

from .web import Device, Reply

ACCEPTED = {200, 201}
REFUSED = {400, 404, 409, 410}
FIRST_WAIT, LONGEST_WAIT = 0.2, 2.0
GIVE_UP_AFTER = 120.0  # seconds of retrying one answer
REPEAT_EVERY = 10


@dataclass(frozen=True)
class Submission:
    token: str
    key: str
    source: str
    copy: int  # 1 the first send, 2 the same answer sent again

    @property
    def path(self) -> str:
        return f"/svar/{self.token}/"


def plan(tokens: list[str]) -> list[Submission]:
    """One answer per link, each from its own address; every tenth queued twice in a row."""
    sends = []
    for index, token in enumerate(tokens):
        source = f"127.1.{index // 250}.{index % 250 + 1}"
        first = Submission(token, str(uuid.uuid4()), source, 1)
        sends.append(first)
        if index % REPEAT_EVERY == 0:
            sends.append(Submission(token, first.key, source, 2))
    return sends


def kind_of(reply: Reply) -> str:
    if reply.status == 201:
        return "201 stored"
    if reply.status == 200:
        return "200 already stored"
    if reply.status == 503:
        # The app's 503 during an outage is JSON for the page script (feedback.outage).
        json = reply.headers.get("content-type", "").startswith("application/json")
        source = "app" if json else "balancer"
        if "retry-after" not in reply.headers:
            return f"503 {source} without Retry-After"
        return f"503 {source}, Retry-After"
    return str(reply.status)


def kind_of_error(error: Exception) -> str:
    if isinstance(error, ConnectionRefusedError):
        return "connection refused"
    if isinstance(error, ConnectionError | http.client.RemoteDisconnected):
        return "connection dropped"
    if isinstance(error, TimeoutError):
        return "timeout"
    return type(error).__name__


@dataclass
class Tally:
    """What the phones saw; shared by the sending threads."""

    attempts: Counter = field(default_factory=Counter)
    attempt_log: list[tuple[float, str]] = field(default_factory=list)
    accepted_seconds: list[float] = field(default_factory=list)
    end_to_end: list[float] = field(default_factory=list)
    outcomes: dict[tuple[str, int], str] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def attempt(self, kind: str, seconds: float) -> None:
        with self.lock:
            self.attempts[kind] += 1
            self.attempt_log.append((time.monotonic(), kind))
            if kind.startswith(("200", "201")):
                self.accepted_seconds.append(seconds)

    def finish(self, submission: Submission, outcome: str, seconds: float) -> None:
        with self.lock:
            self.outcomes[(submission.key, submission.copy)] = outcome
            if outcome == "accepted":
                self.end_to_end.append(seconds)

    @property
    def finished(self) -> int:
        with self.lock:
            return len(self.outcomes)

    def kinds_between(self, start: float, end: float) -> Counter:
        with self.lock:
            return Counter(kind for at, kind in self.attempt_log if start <= at <= end)

    def accepted_keys(self) -> set[str]:
        return {key for (key, _), outcome in self.outcomes.items() if outcome == "accepted"}


def send(
    submission: Submission, answer: dict, port: int, tally: Tally, abort: threading.Event
) -> None:
    """The outbox for one answer: send until stored or refused for good, or give up."""
    device = Device(port, submission.source)
    body = answer | {"submission_key": submission.key}
    started = time.monotonic()
    wait = FIRST_WAIT
    while True:
        began = time.monotonic()
        try:
            reply = device.post_json(submission.path, body)
        except (OSError, http.client.HTTPException) as error:
            reply, kind = None, kind_of_error(error)
        else:
            kind = kind_of(reply)
        tally.attempt(kind, time.monotonic() - began)
        if reply is not None and reply.status in ACCEPTED:
            tally.finish(submission, "accepted", time.monotonic() - started)
            return
        if reply is not None and reply.status in REFUSED:
            tally.finish(submission, f"refused {reply.status}", time.monotonic() - started)
            return
        if time.monotonic() - started > GIVE_UP_AFTER or abort.is_set():
            tally.finish(submission, "gave up", time.monotonic() - started)
            return
        abort.wait(wait * random.uniform(0.5, 1.5))
        wait = min(wait * 2, LONGEST_WAIT)


class Load:
    """Sends the planned answers from `threads` phones at once, starting `rate` a second.

    `answer` is the form's key and item values, the same in every answer.
    """

    def __init__(self, sends: list[Submission], answer: dict, port: int, threads: int, rate: float):
        self.sends = sends
        self.answer = answer
        self.port = port
        self.rate = rate
        self.tally = Tally()
        self._next = 0
        self._lock = threading.Lock()
        self._abort = threading.Event()
        self._threads = [threading.Thread(target=self._run, daemon=True) for _ in range(threads)]
        self.started = 0.0
        self.ended = 0.0

    def start(self) -> "Load":
        self.started = time.monotonic()
        for thread in self._threads:
            thread.start()
        return self

    def abort(self) -> None:
        """Stop sending (the test failed): every answer still waiting is given up."""
        self._abort.set()

    def _take(self) -> tuple[int, Submission] | None:
        with self._lock:
            if self._next >= len(self.sends) or self._abort.is_set():
                return None
            self._next += 1
            return self._next - 1, self.sends[self._next - 1]

    def _run(self) -> None:
        while (taken := self._take()) is not None:
            index, submission = taken
            self._abort.wait(max(0.0, self.started + index / self.rate - time.monotonic()))
            send(submission, self.answer, self.port, self.tally, self._abort)

    def progress(self) -> float:
        return self.tally.finished / len(self.sends)

    def wait_for(self, share: float, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while self.progress() < share:
            if time.monotonic() > deadline or not self.running:
                raise TimeoutError(f"the load did not reach {share:.0%} (at {self.progress():.0%})")
            time.sleep(0.05)

    @property
    def running(self) -> bool:
        return any(thread.is_alive() for thread in self._threads)

    def join(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        self.ended = time.monotonic()
        if self.running:
            raise TimeoutError(f"the load did not end in {seconds} s")


def percentile(values: list[float], share: int) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[share - 1]
