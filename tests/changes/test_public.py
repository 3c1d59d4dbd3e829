"""The public "Dere sa – vi gjorde": no login, only the service's published entries, newest
change first, the month and year in the reader's language, in a few queries.

Privacy: no client data is involved. An entry is the service's own words about itself, written
by staff; the page shows its texts, theme, source and month, never who wrote it, and reads or
starts no session."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse

from services.changes import public_views
from services.changes.models import ChangeMade
from tests.handovers import in_language

from .conftest import change

pytestmark = pytest.mark.django_db


def public(client, code="oslo", language=None, **query):
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.get(reverse("changes:public", args=[code]), query)


def test_anyone_reads_the_published_entries_of_that_service_only(client, changes):
    response = public(client)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Åpent til kl. 19 på tirsdager" in page and "Egen telefonvakt kl. 9–11" in page
    assert "Vanskelig å få time etter arbeid" in page
    assert "Ny kaffetrakter i venterommet" not in page  # a draft
    assert "Bergens endring" not in page  # another service
    assert page.index("Åpent til kl. 19") < page.index("Egen telefonvakt")  # newest first


def test_the_month_and_year_in_norwegian_with_theme_and_source(client, changes):
    page = public(client).content.decode()
    assert "Mars 2026" in page and "November 2025" in page
    assert 'lang="nb">Åpningstider<' in page
    assert in_language("nb", "From the suggestion box") in page
    assert in_language("nb", "From comments after conversations") in page


def test_nynorsk_readers_see_nynorsk_where_written_and_bokmal_elsewhere(client, changes):
    page = public(client, language="nn").content.decode()
    assert '<html lang="nn">' in page
    assert 'lang="nn">Vanskeleg å få time etter arbeid<' in page
    assert 'lang="nb">Åpent til kl. 19 på tirsdager<' in page
    assert 'lang="nn">Opningstider<' in page
    assert "Mars 2026" in page


def test_english_readers_see_english_where_written(client, changes):
    page = public(client, language="en").content.decode()
    assert 'lang="en">Open until 7 pm on Tuesdays<' in page
    assert "March 2026" in page
    assert 'name="language" value="nb"' in page  # the language switch


def test_the_page_names_no_one(client, changes, leader):
    ChangeMade.objects.update(created_by=leader)
    page = public(client).content.decode()
    assert leader.username not in page and str(leader) not in page


def test_an_unknown_service_is_not_found(client, changes):
    assert public(client, "finnes-ikke").status_code == 404


def test_a_service_with_nothing_published_says_so_calmly(client, service):
    response = public(client)
    assert response.status_code == 200
    message = (
        "Nothing is published here yet. Tell us what we should do better: ask your helper "
        "or use the suggestion box."
    )
    assert in_language("nb", message) in response.content.decode()


def test_the_page_is_paged(client, service, monkeypatch):
    monkeypatch.setattr(public_views, "PAGE_SIZE", 2)
    for month in range(1, 6):
        change(
            service, f"sa {month}", f"gjorde {month}", datetime.date(2026, month, 1), published=True
        )
    first = public(client).content.decode()
    assert "gjorde 5" in first and "gjorde 4" in first and "gjorde 3" not in first
    assert '?page=2"' in first
    last = public(client, page="3").content.decode()
    assert "gjorde 1" in last and "gjorde 2" not in last
    assert public(client, page="nonsense").status_code == 200


def test_the_page_takes_three_queries_however_many_entries(
    client, changes, service, django_assert_max_num_queries
):
    for number in range(8):
        change(service, f"sa {number}", f"gjorde {number}", "2026-01-01", published=True)
    with django_assert_max_num_queries(3):  # the service, the count, the page
        assert public(client).status_code == 200


def test_reading_the_page_starts_no_session(client, changes):
    response = public(client)
    assert settings.SESSION_COOKIE_NAME not in response.cookies
