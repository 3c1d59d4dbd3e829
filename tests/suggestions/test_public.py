"""The public suggestion box (issue #18): anyone leaves a short note, nothing that identifies
the writer is kept (not in the row, not in a cookie or session, not in the logs), the soft
check warns and lets the writer send anyway, and only public replies are shown."""

import datetime
import io
import json
import logging

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from feedback.log_config import json_formatter
from feedback.request_log import RequestContextFilter
from services.audit.models import AuditEvent
from services.suggestions import public_views
from services.suggestions.models import MAX_TEXT, Note
from tests.factories import ServiceFactory

from .conftest import note

pytestmark = pytest.mark.django_db

ADDRESS = "203.0.113.7"
TEXT = "Ønsker meg kaffe før gruppa på onsdager"


def url(service, place=None, **query):
    args = [service.code] + ([place.slug] if place else [])
    address = reverse("suggestions:place" if place else "suggestions:public", args=args)
    return address + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def send(client, service, text=TEXT, place=None, **data):
    return client.post(url(service, place), {"text": text, **data}, REMOTE_ADDR=ADDRESS)


@pytest.fixture
def log_lines():
    """What the production handler writes: the project's filter and JSON formatter, at DEBUG."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestContextFilter())
    handler.setFormatter(json_formatter())
    root = logging.getLogger()
    root.addHandler(handler)
    level = root.level
    root.setLevel(logging.DEBUG)
    try:
        yield lambda: stream.getvalue()
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


def test_anyone_opens_the_page_and_sees_the_warning_and_the_form(client, service):
    response = client.get(url(service))
    assert response.status_code == 200
    page = response.content.decode()
    assert service.name in page
    assert 'name="text"' in page and f'maxlength="{MAX_TEXT}"' in page
    assert 'id="note-warning"' in page
    assert response.context["form"] is not None


def test_a_note_is_stored_with_its_text_and_day_only(client, service, log_lines):
    response = send(client, service)
    assert response.status_code == 302
    assert response["Location"] == url(service, sendt=1)
    stored = Note.objects.get()
    assert (stored.service, stored.place, stored.text) == (service, None, TEXT)
    assert stored.received_on == timezone.localdate()
    # The row has no column that could hold the writer: no time, address, browser or session.
    columns = {field.name for field in Note._meta.concrete_fields}
    assert columns == {
        "id",
        "service",
        "place",
        "text",
        "received_on",
        "theme",
        "is_spam",
        "reply",
        "replied_on",
        "replied_by",
        "reply_public",
    }
    assert Note._meta.get_field("received_on").get_internal_type() == "DateField"
    assert ADDRESS not in json.dumps(list(Note.objects.values()), default=str)
    # No access-log row either: it would keep the address.
    assert not AuditEvent.objects.exists()
    # The request log line names the route, never the note or the address.
    written = log_lines()
    lines = [json.loads(line) for line in written.splitlines()]
    routes = [line["route"] for line in lines if line["logger"] == "feedback.request"]
    assert routes == ["/forslag/<slug:code>/"]
    assert TEXT not in written and "kaffe" not in written and ADDRESS not in written
    assert [line["user_id"] for line in lines if line["logger"] == "feedback.request"] == [None]


def test_a_refused_note_leaves_nothing_of_itself_in_the_logs(client, service, log_lines):
    marker = "Kari Nordmann bor i Storgata 1"
    assert send(client, service, marker + "x" * MAX_TEXT).status_code == 400
    assert send(client, service, marker + " 912 34 567").status_code == 200  # the warning
    written = log_lines()
    assert "feedback.request" in written
    assert "Kari" not in written and "Storgata" not in written and ADDRESS not in written
    assert not Note.objects.exists()


def test_the_page_sets_no_cookie_but_csrf_and_starts_no_session(client, service):
    shown = client.get(url(service))
    assert set(shown.cookies) <= {settings.CSRF_COOKIE_NAME}
    sent = send(client, service)
    assert sent.status_code == 302
    assert set(sent.cookies) <= {settings.CSRF_COOKIE_NAME}
    assert settings.SESSION_COOKIE_NAME not in client.cookies
    thanks = client.get(sent["Location"])
    assert thanks.context["sent"] is True
    assert set(thanks.cookies) <= {settings.CSRF_COOKIE_NAME}
    assert settings.SESSION_COOKIE_NAME not in client.cookies


def test_the_page_works_behind_csrf_checks(service):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    page = browser.get(url(service))
    token = page.cookies[settings.CSRF_COOKIE_NAME].value
    response = browser.post(url(service), {"text": TEXT, "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert Note.objects.count() == 1
    assert settings.SESSION_COOKIE_NAME not in browser.cookies


@pytest.mark.parametrize("text", ["", "   ", "x" * (MAX_TEXT + 1), "nul\x00byte"])
def test_an_empty_or_too_long_note_is_a_400_with_the_reason_and_nothing_stored(
    client, service, text
):
    response = send(client, service, text)
    assert response.status_code == 400
    assert response.context["form"].errors["text"]
    assert 'aria-invalid="true"' in response.content.decode()
    assert not Note.objects.exists()


def test_a_note_at_the_limit_is_stored(client, service):
    assert send(client, service, "x" * MAX_TEXT).status_code == 302
    assert len(Note.objects.get().text) == MAX_TEXT


def test_too_many_notes_from_one_address_get_a_429(client, service):
    for _ in range(public_views.POSTS_PER_TEN_MINUTES):
        assert send(client, service).status_code == 302
    response = send(client, service)
    assert response.status_code == 429
    assert response.context["message"]
    assert Note.objects.count() == public_views.POSTS_PER_TEN_MINUTES
    other = client.post(url(service), {"text": TEXT}, REMOTE_ADDR="198.51.100.1")
    assert other.status_code == 302


def test_a_note_that_looks_personal_is_warned_about_then_sent_anyway(client, service):
    text = "Ring meg på 912 34 567, hilsen Kari"
    warned = send(client, service, text)
    assert warned.status_code == 200
    assert not Note.objects.exists()
    page = warned.content.decode()
    assert 'id="note-check"' in page and 'name="confirmed"' in page
    assert [str(kind) for kind in warned.context["warning"]] == ["a phone number"]
    assert "912 34 567" in page  # the text is kept for the writer to change
    sent = send(client, service, text, confirmed="1")
    assert sent.status_code == 302
    assert Note.objects.get().text == text  # stored as written


def test_a_changed_note_is_checked_again(client, service):
    assert send(client, service, "Skriv til kari@example.no").status_code == 200
    assert send(client, service, "Skriv til meg her").status_code == 302
    assert Note.objects.get().text == "Skriv til meg her"


def test_a_place_has_its_own_page_and_its_notes_are_marked_with_it(client, service, place):
    response = client.get(url(service, place))
    assert response.status_code == 200
    assert "Dagsenteret" in response.content.decode()
    assert send(client, service, place=place).status_code == 302
    assert Note.objects.get().place == place


def test_an_unknown_service_or_place_is_not_found(client, service, place):
    assert client.get(reverse("suggestions:public", args=["nowhere"])).status_code == 404
    missing = reverse("suggestions:place", args=[service.code, "nowhere"])
    assert client.get(missing).status_code == 404
    other = ServiceFactory(code="bergen")
    elsewhere = reverse("suggestions:place", args=[other.code, place.slug])
    assert client.get(elsewhere).status_code == 404
    assert client.post(elsewhere, {"text": TEXT}).status_code == 404
    assert not Note.objects.exists()


def test_only_public_replies_are_shown_with_the_month_and_never_spam(client, service, place):
    note(service, "Mer kaffe", reply="Nå er det kaffe hver dag.", reply_public=True)
    note(service, "Åpent lenger", reply="Vi ser på det.", reply_public=False)
    note(service, "Kjøp klokker", reply="Nei.", reply_public=True, is_spam=True)
    note(service, "Uten svar", reply_public=True)
    note(
        service,
        "Bedre stoler",
        place=place,
        reply="Kjøpt inn.",
        reply_public=True,
        day=datetime.date(2026, 1, 20),
    )
    note(ServiceFactory(code="bergen"), "Andre steder", reply="Ja.", reply_public=True)
    page = client.get(url(service)).content.decode()
    assert "Mer kaffe" in page and "Nå er det kaffe hver dag." in page
    assert "Bedre stoler" in page
    for hidden in ("Åpent lenger", "Vi ser på det.", "Kjøp klokker", "Uten svar", "Andre steder"):
        assert hidden not in page
    assert "02.03.2026" not in page and "2. mars" not in page  # the month, never the day
    assert "Mars 2026" in page or "March 2026" in page
    at_place = client.get(url(service, place)).content.decode()
    assert "Bedre stoler" in at_place and "Mer kaffe" not in at_place


def test_the_language_is_chosen_with_a_link_and_sets_no_cookie(client, service, place):
    response = client.get(url(service, place, lang="en"))
    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    page = response.content.decode()
    assert '<html lang="en">' in page
    assert "The day centre" in page
    assert 'action="/forslag/oslo/dagsenteret/?lang=en"' in page
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    sent = client.post(url(service, place, lang="en"), {"text": TEXT})
    assert sent["Location"] == url(service, place, lang="en", sendt=1)
    unknown = client.get(url(service, lang="xx"))
    assert unknown.status_code == 200 and unknown["Content-Language"] == "nb"


def test_the_page_takes_a_constant_number_of_queries(client, service, django_assert_num_queries):
    for number in range(30):
        note(service, f"Lapp {number}", reply="Svar", reply_public=True)
    # The service, the public notes.
    with django_assert_num_queries(2):
        assert client.get(url(service)).status_code == 200
    # The service, the insert.
    with django_assert_num_queries(2):
        assert send(client, service).status_code == 302


def test_only_get_and_post_are_answered(client, service):
    assert client.put(url(service)).status_code == 405
    assert client.post(reverse("suggestions:poster", args=[service.code])).status_code == 405
