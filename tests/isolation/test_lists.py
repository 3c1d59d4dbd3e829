"""The pages that list, search and export, asked by service A's staff: nothing of service B.

The URL walk (test_url_walk) asks for B's objects by id; these pages choose their rows
themselves, so a missing service filter would show B's rows without anyone asking for them.
Each answer is read whole: every page of a list, the PDF's text, the spreadsheet's cells, the
CSV's rows, the JSON; and where a search echoes what was typed (B's client code in the search
box), the answer for B's real code must be the same as for a code that does not exist, so the
answer does not tell whether B has such a client.
"""

import csv
import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from services.clients.models import Client, Episode
from services.dashboards import periods
from services.ratings.models import Rating
from services.sessions.models import Session
from tests import pdftext

from .conftest import b_markers
from .test_url_walk import answer_text

pytestmark = pytest.mark.django_db


def get(browser, user, name, args=(), /, **params):
    browser.force_login(user)
    return browser.get(reverse(name, args=args), params)


def clean(response, *, status=200) -> bytes:
    """The answer's content, after checking it holds nothing of B's."""
    assert response.status_code == status, response.status_code
    content = answer_text(response)
    assert not b_markers(content), sorted(b_markers(content))[:5]
    return content


def test_caseloads_list_a_s_clients_only(client, world):
    a_clients = set(Client.objects.filter(service=world.service_a).values_list("pk", flat=True))
    b_team = world.objects_b["team"]
    for role in ("helper", "leader_with_clients", "supervisor"):
        user = world.users[role]
        for params in ({}, {"team": b_team}, {"sort": "code"}, {"signal": "red"}, {"page": 2}):
            response = get(client, user, "clients:caseload", **params)
            clean(response)
            shown = {row.client_id for row in response.context["page"].object_list}
            assert shown <= a_clients, (role, params)
    # Not vacuous: the leader who sees clients sees A's caseload.
    response = get(client, world.users["leader_with_clients"], "clients:caseload")
    assert len(response.context["page"].object_list) >= 3


def test_searches_answer_b_s_codes_as_they_answer_made_up_ones(client, world):
    """The privacy search and the access log's filters: B's client code, B's staff user."""
    b_at_work(client, world)
    admin = world.users["administrator"]
    b_code, b_user = world.objects_b["client_code"], world.b_users["helper"].username
    searches = [
        ("privacy", "code", b_code, "NABO-K99999"),
        ("audit_log", "client", b_code, "NABO-K99999"),
        ("audit_log", "user", b_user, "nabo-ingen"),
    ]
    for name, field, real, made_up in searches:
        for value in (real, made_up):
            response = get(client, admin, name, **{field: value})
            assert response.status_code == 200, (name, value)
            text = answer_text(response).decode().replace(value, "«typed»")
            assert not b_markers(text), (name, value, b_markers(text))
            # Nothing found either way: the found client, or the access log's rows.
            rows = response.context.get("found") or list(response.context.get("page") or [])
            assert not rows, (name, value)
    found = get(client, admin, "privacy", code=world.objects_a["client_code"])
    assert found.context["found"] is not None  # the search works for A's own codes


def b_at_work(client, world) -> None:
    """B's staff, and the helper who works in both services, log in and read B's clients:
    rows in the same access log as A's."""
    b = world.objects_b
    dual_episode = Episode.objects.filter(service=world.service_b, helpers=world.dual).first()
    for user, name, args in [
        (world.b_users["helper"], "clients:detail", [b["client"]]),
        (world.b_users["administrator"], "access_report", [b["client"]]),
        (world.b_users["administrator"], "export_client", [b["client"]]),
        (world.dual, "clients:detail", [dual_episode.client_id]),
        (world.dual, "clients:caseload", []),
    ]:
        client.logout()
        client.force_login(user)
        assert client.get(reverse(name, args=args)).status_code == 200
    client.logout()


def test_the_access_log_shows_a_s_events_only(client, world):
    """B's staff at work (logins, client pages, an access report) leave rows in the same
    table; every page of A's access log, with and without filters, shows none of them, not
    even of the helper who works in A too."""
    b_at_work(client, world)
    admin = world.users["administrator"]
    pages = 0
    for params in ({}, {"action": "view"}, {"action": "login"}, {"action": "export"}):
        page = 1
        while True:
            response = get(client, admin, "audit_log", **params, page=page)
            clean(response)
            pages += 1
            if not response.context["page"].has_next():
                break
            page += 1
    assert pages >= 4
    # The helper in both services: their logins, and their work in A, not in B.
    response = get(client, admin, "audit_log", user=world.dual.username)
    shown = list(response.context["page"])
    assert shown and {event.service_id for event in shown} <= {world.service_a.pk, None}
    b_clients = Client.objects.filter(service=world.service_b).values_list("pk", flat=True)
    assert set(b_clients).isdisjoint({event.client_id for event in shown})
    report = get(client, admin, "access_report", [world.objects_a["client"]])
    clean(report)
    assert report.context["events"]  # A's own client's report is not empty


def test_dashboards_and_their_exports_are_a_s_figures(client, world):
    today = timezone.localdate()
    period = periods.last_months(today, 12)
    # The pages and the CSV are read by the URL walk (as a leader who sees clients and as an
    # administrator); the spreadsheet needs opening.
    xlsx = get(
        client, world.users["leader"], "dashboards:export_figures", [world.service_a.code, "xlsx"]
    )
    assert xlsx.status_code == 200
    cells = [
        str(value)
        for sheet in load_workbook(io.BytesIO(xlsx.content)).worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    ]
    assert len(cells) > 50 and not b_markers(" ".join(cells))
    # B's team or helper named on A's dashboard: a 404, not B's figures.
    leader = world.users["leader"]
    for params in ({"team": world.objects_b["team"]}, {"helper": world.objects_b["helper"]}):
        for name in ("dashboards:service", "dashboards:monthly_report"):
            response = get(client, leader, name, [world.service_a.code], **params)
            assert response.status_code == 404, (name, params)
    b_team = {"team": world.objects_b["team"]}
    assert (
        get(client, leader, "comments:leader", [world.service_a.code], **b_team).status_code == 404
    )
    # The comments page takes no helper: one named is left aside, and A's words shown.
    helper = {"helper": world.objects_b["helper"]}
    clean(get(client, leader, "comments:leader", [world.service_a.code], **helper))
    # The ratings CSV: A's rows only, every one of them.
    response = get(client, leader, "dashboards:export_ratings", [world.service_a.code])
    rows = list(csv.DictReader(io.StringIO(clean(response).decode())))
    assert {row["service"] for row in rows} == {world.service_a.code}
    assert len(rows) == (
        Rating.objects.filter(
            session__episode__service=world.service_a,
            session__date__gte=period.start,
            session__date__lte=period.end,
        ).count()
    )


def test_the_monthly_report_is_a_s(client, world):
    month = periods.last_full_month(timezone.localdate())
    response = get(
        client,
        world.users["leader"],
        "dashboards:monthly_report",
        [world.service_a.code],
        month=month.key,
    )
    assert response.status_code == 200
    text = pdftext.text(response.content)
    assert world.service_a.name in text or world.service_a.name in pdftext.title(response.content)
    assert not b_markers(text)


def test_own_results_and_the_other_service_s_code(client, world):
    helper = world.users["helper"]
    clean(get(client, helper, "dashboards:own_results"))
    assert get(client, helper, "dashboards:own_results", service="nabo").status_code == 404


def test_the_client_json_export_holds_one_client_of_a(client, world):
    response = get(
        client, world.users["administrator"], "export_client", [world.objects_a["client"]]
    )
    data = json.loads(clean(response))
    a_sessions = set(
        Session.objects.filter(episode__service=world.service_a).values_list("pk", flat=True)
    )
    assert data["client"]["code"] == world.objects_a["client_code"]
    text = json.dumps(data)
    assert world.service_b.code not in text.lower()
    sessions = [s for e in data["episodes"] for s in e.get("sessions", [])]
    assert {s["id"] for s in sessions if "id" in s} <= a_sessions


def test_the_fhir_and_ratings_commands_export_one_service(world, capsys):
    call_command("export_fhir", service=world.service_a.code)
    bundle = json.loads(capsys.readouterr().out)
    assert bundle["entry"]
    assert not b_markers(json.dumps(bundle, ensure_ascii=False))
    with pytest.raises(Exception, match="No client"):
        call_command(
            "export_fhir", service=world.service_a.code, client=world.objects_b["client_code"]
        )
    call_command("export_ratings", service=world.service_a.code)
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows and {row["service"] for row in rows} == {world.service_a.code}
    assert not b_markers(json.dumps(rows))


def test_a_s_api_key_lists_a_s_rows_only(client, world):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {world.key_a}"}
    a_clients = set(Client.objects.filter(service=world.service_a).values_list("pk", flat=True))
    a_sessions = set(
        Session.objects.filter(episode__service=world.service_a).values_list("pk", flat=True)
    )
    seen = {}
    for name in ("api:client-list", "api:episode-list", "api:session-list", "api:rating-list"):
        url, rows = reverse(name), []
        while url:
            response = client.get(url, **headers)
            clean(response)
            rows += response.json()["results"]
            url = response.json()["next"]
        seen[name] = rows
    assert {row["id"] for row in seen["api:client-list"]} == a_clients
    assert {row["id"] for row in seen["api:session-list"]} == a_sessions
    assert {row["session"] for row in seen["api:rating-list"]} <= a_sessions
    assert (
        len(seen["api:rating-list"])
        == Rating.objects.filter(session__episode__service=world.service_a).count()
    )
    clean(client.get(reverse("api:report"), **headers))
    today = timezone.localdate()
    year = {"from": (today - datetime.timedelta(days=300)).isoformat(), "to": today.isoformat()}
    bundle = client.get(reverse("api:fhir-bundle"), year, **headers)
    assert clean(bundle).count(b'"QuestionnaireResponse"') > 10
