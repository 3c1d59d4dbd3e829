"""The public list: no login, only the service's active offers, in the reader's language."""

import pytest
from django.conf import settings
from django.urls import reverse

from tests.handovers import in_language

pytestmark = pytest.mark.django_db


def public(client, code="oslo", language=None):
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.get(reverse("offers:public", args=[code]))


def test_anyone_reads_the_active_offers_of_that_service_only(client, offers):
    response = public(client)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Kurs i mestring av depresjon" in page
    assert "Turgruppe" in page and "Selvhjelpsgruppe" in page
    assert "Nedlagt samtalegruppe" not in page
    assert "Bergens eget kurs" not in page
    assert in_language("nb", "No referral needed") in page
    assert "Selvhjelp Norge, tlf. 22 00 00 00" in page
    assert 'href="https://www.selvhjelp.no/"' in page


def test_the_page_carries_a_qr_code_to_its_own_address(client, offers):
    page = public(client).content.decode()
    assert 'src="data:image/svg+xml' in page
    assert "http://testserver/tilbud/oslo/" in page
    assert "data-print" in page


def test_an_unknown_service_is_not_found(client, offers):
    assert public(client, "finnes-ikke").status_code == 404


def test_a_service_without_offers_says_so_calmly(client, service):
    response = public(client)
    assert response.status_code == 200
    message = "No offers are listed here yet. Ask your helper."
    assert in_language("nb", message) in response.content.decode()


def test_nynorsk_readers_see_nynorsk_where_written_and_bokmal_elsewhere(client, offers):
    page = public(client, language="nn").content.decode()
    assert '<html lang="nn">' in page
    assert 'lang="nn">Kurs i meistring av depresjon<' in page
    assert 'lang="nb">Turgruppe<' in page


def test_english_readers_see_english_titles_where_written(client, offers):
    page = public(client, language="en").content.decode()
    assert 'lang="en">Self-help group<' in page
    assert 'lang="nb">Kurs i mestring av depresjon<' in page
    assert in_language("en", "No referral needed") in page


def test_the_page_takes_two_queries_however_many_offers(
    client, offers, django_assert_max_num_queries
):
    with django_assert_max_num_queries(2):
        assert public(client).status_code == 200


def test_reading_the_list_starts_no_session(client, offers):
    response = public(client)
    assert settings.SESSION_COOKIE_NAME not in response.cookies
