"""A throwaway PostgreSQL cluster on its own port, so the test may stop it without harm.

The machine's shared PostgreSQL on 5432 serves everyone else and is never touched. PostgreSQL
refuses to run as root, so initdb and pg_ctl run as the `postgres` user in a temp directory it
owns; `remove` stops the server and deletes the directory whatever state it is in.
"""

import glob
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

OWNER = "postgres"


def binaries() -> Path | None:
    """The newest installed server binaries (Debian keeps them per major version)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=_major)
    return Path(found[-1]).parent if found else None


def _major(path: str) -> int:
    return int(Path(path).parent.parent.name)


class TempPostgres:
    def __init__(self, port: int):
        self.port = port
        self.bin = binaries()
        self.root: Path | None = None

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def log(self) -> Path:
        return self.root / "postgres.log"

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/feedback"

    def _as_owner(self, *command: str, timeout: float = 60) -> None:
        subprocess.run(
            ["runuser", "-u", OWNER, "--", *command],
            check=True,
            timeout=timeout,
            cwd=self.root,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )

    def create(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="feedback-cluster-pg-"))
        owner = pwd.getpwnam(OWNER)
        os.chown(self.root, owner.pw_uid, owner.pw_gid)
        self._as_owner(
            str(self.bin / "initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--no-locale",
            "--no-sync",
        )
        self.start()
        self._as_owner(
            str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "feedback"
        )

    def start(self) -> None:
        # fsync off only matters when the machine itself crashes; WAL and commits are unchanged.
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.root} "
            "-c fsync=off -c max_connections=100"
        )
        self._as_owner(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-o", options,
            "-w", "start",
        )  # fmt: skip

    def stop(self, mode: str = "immediate") -> None:
        """`immediate` is a crash as far as clients can tell: every connection is cut at once."""
        self._as_owner(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    def remove(self) -> None:
        if self.root is None:
            return
        try:
            if (self.data / "postmaster.pid").exists():
                self.stop()
        except (subprocess.SubprocessError, OSError):
            self._kill_postmaster()
        shutil.rmtree(self.root, ignore_errors=True)

    def _kill_postmaster(self) -> None:
        try:
            pid = int((self.data / "postmaster.pid").read_text().split()[0])
            os.kill(pid, signal.SIGKILL)
        except (OSError, ValueError, IndexError):
            pass
