"""Time `import_ratings` and `export_ratings` on PostgreSQL, in rows per second.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/feedback_bench_interchange \\
        .venv/bin/python benchmarks/interchange.py [--rows 20000] [--runs 3]

Migrates the database, makes an interchange file of N rows (generated: 10 rows per client, one
episode of five sessions, each with an ORS and an SRS rated by the client, 20 helpers, one
service `bench-interchange`) and measures, through the management commands as an operator runs
them, the median and range of several runs of:
- the import into a database without any client data (the service and its helpers exist);
- the import of the same, unchanged file again (nothing is stored, every row is checked);
- the export of the service's ratings to a file.

The client data of the service (clients, episodes, sessions, ratings, their dashboard facts) is
removed with TRUNCATE before every import into the empty database: run it on a database of its
own, never on one whose data you want to keep.
"""

import argparse
import io
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "feedback.settings")
os.environ.setdefault(
    "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/feedback_bench_interchange"
)
# Production-like: no debug cursor bookkeeping.
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "benchmark-only-not-secret")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from services.accounts.models import Membership, Role, Service, User  # noqa: E402
from services.clients.models import Client, Episode  # noqa: E402
from services.ratings.interchange import COLUMNS  # noqa: E402
from services.ratings.models import Rating  # noqa: E402
from services.sessions.models import Session  # noqa: E402

SERVICE = "bench-interchange"
HELPERS = [f"bench-helper-{n}" for n in range(1, 21)]


def make_file(path: Path, rows: int, seed: int = 1) -> None:
    """N rows (rounded up to whole sessions of two ratings) about one service."""
    import datetime

    generator = random.Random(seed)
    lines = [",".join(COLUMNS)]
    client = 0
    while len(lines) - 1 < rows:
        client += 1
        start = datetime.date(2024, 1, 1) + datetime.timedelta(days=generator.randrange(600))
        helper = generator.choice(HELPERS)
        for number in range(1, 6):
            day = start + datetime.timedelta(days=14 * (number - 1))
            for instrument in ("ors", "srs"):
                items = [generator.randrange(0, 101) / 10 for _ in range(4)]
                total = sum(round(i * 10) for i in items) / 10
                lines.append(
                    ",".join(
                        [
                            SERVICE,
                            f"K{client:06d}",
                            "adult",
                            "F1",
                            start.isoformat(),
                            "",
                            "",
                            str(number),
                            day.isoformat(),
                            helper,
                            instrument,
                            "client",
                            *(f"{i:.1f}" for i in items),
                            f"{total:.1f}",
                        ]
                    )
                )
            if len(lines) - 1 >= rows:
                break
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def prepare() -> None:
    call_command("migrate", verbosity=0)
    service, _ = Service.objects.get_or_create(code=SERVICE, defaults={"name": SERVICE})
    for username in HELPERS:
        user, _ = User.objects.get_or_create(username=username)
        Membership.objects.get_or_create(user=user, service=service, role=Role.HELPER)


def empty() -> None:
    """No client data at all (TRUNCATE: this database is the benchmark's own)."""
    tables = [
        model._meta.db_table
        for model in (Rating, Session, Episode.helpers.through, Episode, Client)
    ]
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")


def timed(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def import_file(path: Path) -> None:
    call_command("import_ratings", str(path), stdout=io.StringIO())


def export_file(target: Path) -> None:
    call_command("export_ratings", "--service", SERVICE, "-o", str(target), stderr=io.StringIO())


def summary(name: str, rows: int, seconds: list[float]) -> str:
    rates = sorted(rows / s for s in seconds)
    return (
        f"{name:<28} {statistics.median(rates):>10,.0f} rows/s  "
        f"(range {rates[0]:,.0f}–{rates[-1]:,.0f}; {len(rates)} runs)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip", choices=["import", "reimport", "export"], action="append")
    options = parser.parse_args()
    skip = set(options.skip or ())
    if connection.vendor != "postgresql":
        sys.exit("Run this on PostgreSQL (set DATABASE_URL).")
    prepare()
    with tempfile.TemporaryDirectory() as folder:
        source, target = Path(folder) / "ratings.csv", Path(folder) / "export.csv"
        make_file(source, options.rows)
        rows = sum(1 for _ in source.open()) - 1
        print(f"{rows} rows, {rows // 10} clients, PostgreSQL {connection.pg_version}")
        empty_runs, again_runs, export_runs = [], [], []
        for _ in range(options.runs):
            empty()
            if "import" in skip:
                import_file(source)
            else:
                empty_runs.append(timed(lambda: import_file(source)))
            if "reimport" not in skip:
                again_runs.append(timed(lambda: import_file(source)))
            if "export" not in skip:
                export_runs.append(timed(lambda: export_file(target)))
        exported = sum(1 for _ in target.open()) - 1 if export_runs else rows
        assert exported == rows, (exported, rows)
        if empty_runs:
            print(summary("import into empty database", rows, empty_runs))
        if again_runs:
            print(summary("re-import, unchanged file", rows, again_runs))
        if export_runs:
            print(summary("export", rows, export_runs))


if __name__ == "__main__":
    main()
