"""Import and export cost a bounded number of queries, whatever the number of rows (issue #14),
and an import keeps the dashboard facts true although it stores with bulk_create (no signals)."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from services.audit.models import AuditEvent
from services.clients.models import Client
from services.dashboards.models import PendingChange
from services.ratings.interchange import COLUMNS, export_rows, import_rows, read_rows
from services.ratings.models import Rating
from tests.dashboards.test_facts import assert_facts_are_true
from tests.factories import MembershipFactory, ServiceFactory, UserFactory

pytestmark = pytest.mark.django_db

HEADER = ",".join(COLUMNS)


def rows_for(clients: int, sessions: int = 5, helper: str = "kari") -> str:
    """A file of clients × sessions × 2 rows (ORS and SRS), two clients' groups differing."""
    lines = [HEADER]
    for n in range(clients):
        group, outcome = ("child", "cors") if n % 7 == 0 else ("adult", "ors")
        for number in range(1, sessions + 1):
            day = f"2026-{1 + number:02d}-{1 + n % 28:02d}"
            start = f"2026-02-{1 + n % 28:02d}"
            common = f"oslo,K{n},{group},F1,{start},,,{number},{day},{helper}"
            lines.append(f"{common},{outcome},client,4.0,5.0,6.{n % 10},5.5,20.{5 + n % 10 - 5}")
            alliance = "csrs" if group == "child" else "srs"
            lines.append(f"{common},{alliance},client,9.0,9.5,8.0,9.0,35.5")
    return "\n".join(lines) + "\n"


def fix_totals(text: str) -> str:
    """The generated totals are the sums of their items."""
    out = []
    for line in text.splitlines():
        cells = line.split(",")
        if cells[0] != "service":
            cells[-1] = f"{sum(float(c) for c in cells[12:16]):.1f}"
        out.append(",".join(cells))
    return "\n".join(out) + "\n"


@pytest.fixture
def oslo():
    service = ServiceFactory(code="oslo")
    MembershipFactory(user=UserFactory(username="kari"), service=service, role="helper")
    return service


def inserts_excluded_on_sqlite(queries) -> int:
    """SQLite lets bulk_create insert only a few hundred values per statement (Django splits
    it); PostgreSQL takes a whole batch of 5,000 rows in one. Count the rest there."""
    if connection.vendor == "postgresql":
        return len(queries)
    return sum(1 for q in queries if not q["sql"].startswith("INSERT"))


def count_import(text: str) -> int:
    rows = read_rows(io.StringIO(text))
    with CaptureQueriesContext(connection) as captured:
        import_rows(rows)
    return inserts_excluded_on_sqlite(captured.captured_queries)


def test_import_queries_do_not_grow_with_the_rows(oslo):
    small = count_import(fix_totals(rows_for(10)))  # 100 rows
    Rating.objects.all().delete()
    Client.objects.all().delete()
    large = count_import(fix_totals(rows_for(100)))  # 1,000 rows
    assert Rating.objects.count() == 1000
    assert large <= small + 2
    assert large <= 25


def test_re_import_queries_do_not_grow_with_the_rows(oslo):
    small, large = fix_totals(rows_for(10)), fix_totals(rows_for(100))
    import_rows(read_rows(io.StringIO(large)))
    assert count_import(large) <= count_import(small) + 2 <= 15


def test_an_import_adding_to_stored_clients_is_bounded_and_exact(oslo):
    text = fix_totals(rows_for(40))
    lines = text.splitlines()
    first_half = [lines[0], *(line for line in lines[1:] if ",3,2026" not in line)]
    import_rows(read_rows(io.StringIO("\n".join(first_half) + "\n")))
    before = Rating.objects.count()
    assert count_import(text) <= 25
    assert Rating.objects.count() == before + 80  # session 3 of each of the 40 clients
    assert count_import(text) <= 15  # and again: nothing new
    assert Rating.objects.count() == 400


def test_export_queries_are_constant(oslo, django_assert_max_num_queries):
    import_rows(read_rows(io.StringIO(fix_totals(rows_for(50)))))
    with django_assert_max_num_queries(2):
        rows = list(export_rows(oslo))
    assert len(rows) == 501


def test_an_import_keeps_the_dashboard_facts_true(oslo):
    """bulk_create sends no signals: the import marks its clients itself, in its transaction."""
    assert_facts_are_true()
    import_rows(read_rows(io.StringIO(fix_totals(rows_for(20)))))
    assert set(PendingChange.objects.values_list("client_id", flat=True)) == set(
        Client.objects.values_list("pk", flat=True)
    )
    assert_facts_are_true()
    # More sessions for the same clients: stored clients get new data, and marks.
    import_rows(read_rows(io.StringIO(fix_totals(rows_for(20, sessions=8)))))
    assert PendingChange.objects.exists()
    assert_facts_are_true()
    # Nothing new: nothing marked.
    import_rows(read_rows(io.StringIO(fix_totals(rows_for(20, sessions=8)))))
    assert not PendingChange.objects.exists()


def test_the_commands_still_write_their_audit_events(oslo, tmp_path):
    from django.core.management import call_command

    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_text(fix_totals(rows_for(3)), encoding="utf-8")
    call_command("import_ratings", str(source), stdout=io.StringIO())
    call_command("export_ratings", "--service", "oslo", "-o", str(target), stderr=io.StringIO())
    events = list(AuditEvent.objects.order_by("pk").values_list("action", "actor", "detail"))
    assert events[-2][:2] == ("import", "import_ratings")
    assert "30 ratings" in events[-2][2]
    assert events[-1] == ("export", "export_ratings", "30 rating(s)")
    exported = target.read_text(encoding="utf-8").splitlines()
    assert sorted(exported) == sorted(fix_totals(rows_for(3)).splitlines())


def test_new_ratings_in_stored_sessions_are_bounded(oslo):
    """A second rater's forms for sessions already stored: no query per session."""
    text = fix_totals(rows_for(30))
    import_rows(read_rows(io.StringIO(text)))
    lines = text.splitlines()
    parents = [lines[0]] + [
        line.replace(",client,", ",parent,") for line in lines[1:] if ",cors," in line
    ]
    assert count_import("\n".join(parents) + "\n") <= 15
    assert Rating.objects.filter(rater="parent").count() == len(parents) - 1 > 0
    assert_facts_are_true()
