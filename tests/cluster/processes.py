"""Long-running processes of the cluster, each in its own process group so it dies whole.

Killing a gunicorn master alone would leave its workers serving; killing the group is what a
host going down looks like. Output goes to a log file per process, shown when a test fails.
"""

import contextlib
import os
import signal
import subprocess
import threading
from collections.abc import Sequence
from pathlib import Path


class Process:
    def __init__(self, name: str, command: Sequence[str], env: dict, logs: Path, cwd: Path):
        self.name = name
        self.command = list(command)
        self.env = env
        self.cwd = cwd
        self.log = logs / f"{name}.log"
        self.popen: subprocess.Popen | None = None

    def start(self) -> "Process":
        with self.log.open("ab") as log:
            self.popen = subprocess.Popen(
                self.command,
                env=self.env,
                cwd=self.cwd,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self

    @property
    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def kill(self) -> None:
        """SIGKILL to the whole group: no clean shutdown, like pulling the plug."""
        self._signal(signal.SIGKILL)
        if self.popen is not None:
            self.popen.wait(timeout=10)

    def stop(self, seconds: float = 10) -> None:
        if not self.alive:
            self._signal(signal.SIGKILL)  # leftovers of a group whose leader already died
            return
        self._signal(signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.popen.wait(timeout=seconds)
        self.kill()

    def _signal(self, number: int) -> None:
        if self.popen is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, number)

    def tail(self, lines: int = 40) -> str:
        try:
            text = self.log.read_text(errors="replace").splitlines()
        except OSError:
            return ""
        return "\n".join(text[-lines:])


class Supervised(Process):
    """Started again whenever it exits, as systemd does for a unit with `Restart=always`.

    The job worker needs it: procrastinate stops a worker (exit code 0) when its database
    connection breaks, and leaves it to the process manager to start a new one. `exits` keeps
    the exit codes seen (negative: killed by that signal).
    """

    def __init__(self, *arguments, restart_seconds: float = 2, **options):
        super().__init__(*arguments, **options)
        self.restart_seconds = restart_seconds
        self.exits: list[int] = []
        self._stopping = threading.Event()
        self._starting = threading.Lock()  # no restart slips in between `stop` and its kill
        self._watcher: threading.Thread | None = None

    def start(self) -> "Supervised":
        super().start()
        if self._watcher is None:
            self._watcher = threading.Thread(target=self._watch, daemon=True)
            self._watcher.start()
        return self

    def _watch(self) -> None:
        while not self._stopping.is_set():
            code = self.popen.wait()
            if self._stopping.is_set():
                return
            self.exits.append(code)
            self._signal(signal.SIGKILL)  # anything the exited leader left in its group
            if self._stopping.wait(self.restart_seconds):
                return
            with self._starting:
                if self._stopping.is_set():
                    return
                Process.start(self)

    def stop(self, seconds: float = 10) -> None:
        with self._starting:
            self._stopping.set()
        super().stop(seconds)
        if self._watcher is not None:
            self._watcher.join(timeout=seconds)
