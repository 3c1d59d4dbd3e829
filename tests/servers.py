"""Waiting for the servers and workers that tests start as real processes on 127.0.0.1."""

import socket
import time
from collections.abc import Callable


def free_port() -> int:
    """A loopback port nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, seconds: float = 30, every: float = 0.1) -> None:
    """Until something accepts connections on 127.0.0.1:`port`; TimeoutError after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(every)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {seconds} s")


def wait_until(condition: Callable[[], object], seconds: float, every: float = 0.2) -> bool:
    """Poll `condition` until it is true or `seconds` have passed; return whether it came true."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(every)
    return bool(condition())
