"""The interchange CSV with any number of item columns, and the age group each imported rating
is given for (issue #12, items 1 and 10)."""

import io
from decimal import Decimal

import pytest

from services.clients.models import Client
from services.ratings.interchange import (
    COLUMNS,
    ImportRejected,
    columns,
    export_rows,
    import_rows,
    read_rows,
)
from services.ratings.models import Rating
from tests.factories import ClientFactory, ServiceFactory
from tests.seven_items import ITEM_KEYS, load_seven_item_form

pytestmark = pytest.mark.django_db

SEVEN_HEADER = ",".join(columns(7))
FIRST = "oslo,K1,adult,F1,2026-01-05,,,1,2026-01-05,,"
ROWS = [
    FIRST + "aaa_outcome,client,1,2,3,4,5,6,7,28",
    FIRST + "srs,client,9,9,9,9,,,,36",
    "oslo,K1,adult,F1,2026-01-05,,,2,2026-01-12,,aaa_outcome,client,,,,,,,,52.5",
]


def do_import(header: str, *rows: str):
    text = "\n".join([header, *rows]) + "\n"
    return import_rows(read_rows(io.StringIO(text)), create_helpers=True)


def test_the_usual_header_has_four_item_columns():
    assert columns(4) == COLUMNS
    assert columns(7)[-8:] == (
        "item1",
        "item2",
        "item3",
        "item4",
        "item5",
        "item6",
        "item7",
        "total",
    )


def test_a_seven_item_form_is_imported_with_seven_item_columns():
    load_seven_item_form()
    summary = do_import(SEVEN_HEADER, *ROWS)
    assert summary.created["ratings"] == 3
    seven = Rating.objects.get(instrument__key="aaa_outcome", session__number=1)
    stored = {key: Decimal(value) for key, value in seven.items.items()}
    assert stored == {key: Decimal(n) for n, key in enumerate(ITEM_KEYS, 1)}
    assert seven.total == 28
    srs = Rating.objects.get(instrument__key="srs")
    assert (len(srs.items), srs.total) == (4, 36)
    total_only = Rating.objects.get(session__number=2)
    assert (total_only.items, total_only.total) == (None, Decimal("52.5"))


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (FIRST + "srs,client,9,9,9,9,1,,,37", "item5"),
        (FIRST + "aaa_outcome,client,1,2,3,4,5,6,,21", "item7"),
        (FIRST + "aaa_outcome,client,1,2,3,4,5,6,7,29", "not the sum"),
    ],
)
def test_item_columns_must_fit_the_form(row, reason):
    load_seven_item_form()
    with pytest.raises(ImportRejected, match=reason):
        do_import(SEVEN_HEADER, row)
    assert not Rating.objects.exists()


def test_a_four_column_file_cannot_hold_a_seven_item_form_but_its_total_can():
    load_seven_item_form()
    header = ",".join(COLUMNS)
    with pytest.raises(ImportRejected, match="7 items"):
        do_import(header, FIRST + "aaa_outcome,client,1,2,3,4,28")
    do_import(header, FIRST + "aaa_outcome,client,,,,,52.5")
    assert Rating.objects.get().total == Decimal("52.5")


def test_the_export_has_a_column_per_item_of_the_widest_form_and_round_trips():
    load_seven_item_form()
    do_import(SEVEN_HEADER, *ROWS)
    exported = list(export_rows())
    assert exported[0] == list(columns(7))
    assert [row[-8:] for row in exported[1:]] == [
        ["9.0", "9.0", "9.0", "9.0", "", "", "", "36.0"],
        ["1.0", "2.0", "3.0", "4.0", "5.0", "6.0", "7.0", "28.0"],
        ["", "", "", "", "", "", "", "52.5"],
    ]
    Rating.objects.all().delete()
    Client.objects.all().delete()
    text = "\n".join(",".join(row) for row in exported) + "\n"
    assert import_rows(read_rows(io.StringIO(text))).created["ratings"] == 3
    assert list(export_rows()) == exported


def test_an_imported_rating_keeps_the_age_group_of_its_day():
    do_import(
        ",".join(COLUMNS), "oslo,K2,child,F1,2026-02-01,,,1,2026-02-01,,cors,client,5,5,5,5,20"
    )
    assert Rating.objects.get().age_group == "child"


def test_a_known_birth_year_must_agree_with_the_rows_age_group():
    # Issue #12 item 10 (review): the row's age_group is the rating's own and is stored as
    # given; where the client's birth year is stored, it must be the group that year gives on
    # the session date (it used to be derived from the birth year, whatever the row said).
    # Born 2013: counted as 12 (a child) through 2026 and 13 (an adolescent) from 2027.
    ClientFactory(
        service=ServiceFactory(code="oslo"), code="K3", age_group="child", birth_year=2013
    )
    header = ",".join(COLUMNS)
    do_import(
        header,
        "oslo,K3,child,F1,2026-11-02,,,1,2026-11-02,,cors,client,5,5,5,5,20",
        "oslo,K3,adolescent,F1,2026-11-02,,,2,2027-01-11,,ors,client,6,6,6,6,24",
    )
    ratings = Rating.objects.order_by("session__number")
    assert [(r.instrument.key, r.age_group) for r in ratings] == [
        ("cors", "child"),
        ("ors", "adolescent"),
    ]
    with pytest.raises(ImportRejected, match="is not for age group adolescent"):
        do_import(header, "oslo,K3,adolescent,F1,2026-11-02,,,3,2027-02-01,,cors,client,,,,,30")
    with pytest.raises(ImportRejected, match="client K3 was adolescent on the session date"):
        do_import(header, "oslo,K3,child,F1,2026-11-02,,,3,2027-02-01,,cors,client,,,,,30")
    assert Rating.objects.count() == 2
