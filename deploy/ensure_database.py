"""Create the PostgreSQL database that DATABASE_URL names, if it is missing (for `make serve`).

Connects to the server's `postgres` database with the same user, so it needs a user that may
create databases, as a developer's local PostgreSQL has. Production databases are made by the
database administrator (docs/deploy.md).
"""

import os
import sys

import dj_database_url
import psycopg
from psycopg import sql


def main() -> int:
    settings = dj_database_url.parse(os.environ["DATABASE_URL"])
    if settings["ENGINE"] != "django.db.backends.postgresql":
        print("DATABASE_URL is not PostgreSQL; nothing to create", file=sys.stderr)
        return 0
    name = settings["NAME"]
    with psycopg.connect(
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        user=settings["USER"] or None,
        password=settings["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    ) as connection:
        if connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return 0
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    print(f"Created database {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
