"""Issue #12 item 10 (review): each row of the interchange CSV carries its rating's age group.

A client's group changes over time (a child becomes an adolescent and changes form), so the
file's `age_group` column is the age group of that rating, not the client's group today: export
writes `rating.age_group`, import checks it against the row's form and stores it on the rating.
"""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from services.clients.models import Client
from services.ratings.interchange import (
    COLUMNS,
    ImportRejected,
    export_rows,
    import_rows,
    read_rows,
)
from services.ratings.models import Rating
from tests.factories import (
    ClientFactory,
    EpisodeFactory,
    RatingFactory,
    ServiceFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db

HEADER = ",".join(COLUMNS)


def do_import(*rows: str):
    text = "\n".join([HEADER, *rows]) + "\n"
    return import_rows(read_rows(io.StringIO(text)), create_helpers=True)


def stored() -> list[tuple]:
    return list(
        Rating.objects.order_by("session__number", "instrument__key").values_list(
            "session__number", "instrument__key", "age_group"
        )
    )


@pytest.fixture
def grew_up():
    """A client rated on the children's forms in sessions 1 and 2, then recorded as an
    adolescent and rated on the adults' forms in sessions 3 and 4."""
    client = ClientFactory(service=ServiceFactory(code="oslo"), code="K1", age_group="child")
    episode = EpisodeFactory(client=client, code="F1", start_date=datetime.date(2026, 1, 5))
    days = [datetime.date(2026, 1, 5) + datetime.timedelta(weeks=n) for n in range(4)]
    for number, day in enumerate(days[:2], start=1):
        session = SessionFactory(episode=episode, number=number, date=day)
        RatingFactory(session=session, key="cors", score=20 + number)
        RatingFactory(session=session, key="csrs", score=36)
    client.age_group = "adolescent"
    client.save()
    for number, day in enumerate(days[2:], start=3):
        session = SessionFactory(episode=episode, number=number, date=day)
        RatingFactory(session=session, key="ors", score=22 + number)
        RatingFactory(session=session, key="srs", score=37)
    return client


def test_a_client_whose_group_changed_round_trips_into_an_empty_database(grew_up):
    before = stored()
    assert before == [
        (1, "cors", "child"),
        (1, "csrs", "child"),
        (2, "cors", "child"),
        (2, "csrs", "child"),
        (3, "ors", "adolescent"),
        (3, "srs", "adolescent"),
        (4, "ors", "adolescent"),
        (4, "srs", "adolescent"),
    ]
    exported = list(export_rows())
    ages = [row[COLUMNS.index("age_group")] for row in exported[1:]]
    assert ages == ["child"] * 4 + ["adolescent"] * 4  # each rating's group, not the client's
    Rating.objects.all().delete()
    Client.objects.all().delete()
    text = "\n".join(",".join(row) for row in exported) + "\n"
    summary = import_rows(read_rows(io.StringIO(text)))
    assert summary.created["ratings"] == 8
    assert stored() == before
    assert Client.objects.get(code="K1").age_group == "adolescent"  # from the latest row
    assert list(export_rows()) == exported
    assert import_rows(read_rows(io.StringIO(text))).unchanged == 8  # and again: no change


def test_a_row_whose_age_group_does_not_fit_its_form_is_refused_with_its_line():
    rows = (
        "oslo,K1,child,F1,2026-01-05,,,1,2026-01-05,,cors,client,5,5,5,5,20",
        "oslo,K1,adolescent,F1,2026-01-05,,,2,2026-01-12,,cors,client,5,5,5,5,20",
    )
    with pytest.raises(ImportRejected) as rejected:
        do_import(*rows)
    assert rejected.value.errors == [(3, "instrument cors is not for age group adolescent")]
    assert not Rating.objects.exists()
    assert not Client.objects.exists()
    with translation.override("nb"), pytest.raises(ImportRejected) as rejected:
        do_import(*rows)
    assert rejected.value.errors == [(3, "skjemaet cors er ikke for aldersgruppen adolescent")]


def test_the_import_command_names_the_line_of_a_form_that_does_not_fit(tmp_path):
    source = tmp_path / "ratings.csv"
    source.write_text(
        "\n".join(
            [
                HEADER,
                "oslo,K1,adult,F1,2026-01-05,,,1,2026-01-05,,ors,client,5,5,5,5,20",
                "oslo,K1,young_child,F1,2026-01-05,,,2,2026-01-12,,ors,client,5,5,5,5,20",
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    with translation.override("en"), pytest.raises(CommandError) as error:
        call_command("import_ratings", str(source), "--create-helpers")
    assert "line 3: instrument ors is not for age group young_child" in str(error.value)
    assert not Rating.objects.exists()


def test_a_new_client_is_recorded_with_the_group_of_the_latest_row():
    do_import(
        "oslo,K1,adolescent,F1,2026-01-05,,,2,2026-03-02,,ors,client,5,5,5,5,20",
        "oslo,K1,child,F1,2026-01-05,,,1,2026-01-05,,cors,client,5,5,5,5,20",
    )
    assert Client.objects.get(code="K1").age_group == "adolescent"
    assert stored() == [(1, "cors", "child"), (2, "ors", "adolescent")]


def test_an_existing_clients_recorded_group_is_left_as_it_is():
    ClientFactory(service=ServiceFactory(code="oslo"), code="K1", age_group="child")
    do_import("oslo,K1,adolescent,F1,2026-01-05,,,1,2026-03-02,,ors,client,5,5,5,5,20")
    assert Client.objects.get(code="K1").age_group == "child"
    assert stored() == [(1, "ors", "adolescent")]


def test_a_stored_rating_of_another_age_group_is_a_conflict():
    do_import("oslo,K1,adult,F1,2026-01-05,,,1,2026-01-05,,ors,client,5,5,5,5,20")
    with pytest.raises(ImportRejected) as rejected:
        do_import(
            "oslo,K2,adult,F1,2026-01-05,,,1,2026-01-05,,ors,client,5,5,5,5,20",
            "oslo,K1,adolescent,F1,2026-01-05,,,1,2026-01-05,,ors,client,5,5,5,5,20",
        )
    assert rejected.value.errors == [
        (3, "session 1 already has its ors rating stored for age group adult")
    ]
    assert not Client.objects.filter(code="K2").exists()
