"""Importing an unchanged file again reads what is stored once and writes nothing (issue #14).

The re-import is timed by benchmarks/interchange.py (target 20,000 rows a second); these tests
hold what makes it cheap, on SQLite and PostgreSQL alike.
"""

import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from services.ratings.interchange import ImportRejected, import_rows, read_rows
from services.ratings.models import Rating
from services.sessions.models import Session
from tests.factories import MembershipFactory, ServiceFactory, UserFactory
from tests.ratings.test_interchange_queries import fix_totals, rows_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def oslo():
    service = ServiceFactory(code="oslo")
    MembershipFactory(user=UserFactory(username="kari"), service=service, role="helper")
    return service


TABLES = ("clients_client", "clients_episode", "care_sessions_session", "ratings_rating")


def _reimport(text: str) -> list[str]:
    rows = read_rows(io.StringIO(text))
    with CaptureQueriesContext(connection) as captured:
        summary = import_rows(rows)
    assert summary.created == {}
    assert summary.unchanged == len(rows)
    return [query["sql"] for query in captured.captured_queries]


def _reads_of(table: str, statements: list[str]) -> int:
    return sum(
        1 for sql in statements if sql.startswith("SELECT") and re.search(rf'FROM "{table}"', sql)
    )


def test_an_unchanged_file_again_reads_each_table_once_and_writes_nothing(oslo):
    text = fix_totals(rows_for(60))
    import_rows(read_rows(io.StringIO(text)))
    ratings = list(Rating.objects.order_by("pk").values_list("pk", "total", "items", "created_at"))
    sessions = set(Session.objects.values_list("pk", "date", "helper_id"))

    statements = _reimport(text)

    writes = [sql for sql in statements if sql.split(None, 1)[0] in ("INSERT", "UPDATE", "DELETE")]
    assert writes == []
    assert {table: _reads_of(table, statements) for table in TABLES} == dict.fromkeys(TABLES, 1)
    assert (
        list(Rating.objects.order_by("pk").values_list("pk", "total", "items", "created_at"))
        == ratings
    )
    assert set(Session.objects.values_list("pk", "date", "helper_id")) == sessions


def test_a_changed_score_in_an_unchanged_file_is_still_found(oslo):
    """The stored rows are read unordered and by one array on PostgreSQL: still all of them."""
    text = fix_totals(rows_for(30))
    import_rows(read_rows(io.StringIO(text)))
    Rating.objects.filter(session__episode__client__code="K29", purpose="alliance").update(
        total="30.0"
    )
    with pytest.raises(ImportRejected, match="already has a different srs rating"):
        import_rows(read_rows(io.StringIO(text)))
