"""The leaders' pages: who may see what, what the exports hold, and what every page costs."""

import csv
import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from services.accounts.models import Role, Service, User
from services.audit.models import Action, AuditEvent
from services.clients.models import Client
from services.dashboards import periods
from services.dashboards.exports import figure_rows, pseudonym
from services.dashboards.figures import build_dashboard
from services.ratings.interchange import COLUMNS
from services.ratings.models import Rating
from tests.dashboards import excel_csv
from tests.factories import MembershipFactory, ServiceFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("seed_demo", clients=60, service="demo", seed=5, stdout=None)
    return Service.objects.get(code="demo")


@pytest.fixture
def demo_leader(demo):
    return User.objects.get(username="leder")


def url(name, service, **kwargs):
    return reverse(f"dashboards:{name}", kwargs={"code": service.code, **kwargs})


def test_a_leader_sees_the_dashboard_in_bokmal_without_client_codes(client, demo, demo_leader):
    client.force_login(demo_leader)
    response = client.get(url("service", demo))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<svg" in page and 'role="img"' in page
    for code, name in Client.objects.filter(service=demo).values_list("code", "display_name"):
        assert code not in page
        assert name not in page
    assert "Team voksne" in page
    assert "Kari Nordmann" in page  # helpers compared: staff are named, clients never


def test_the_index_sends_a_leader_of_one_service_straight_there(client, demo, demo_leader):
    client.force_login(demo_leader)
    assert client.get(reverse("dashboards:index")).url == url("service", demo)


def test_the_nav_shows_the_overview_to_leaders_only(client, leader, helper):
    # The link itself, not the address as a prefix: a helper's "My results" page lives under
    # the overview's address (/oversikt/mine-resultater/, issue #16).
    link = f'href="{reverse("dashboards:index")}"'
    client.force_login(leader)
    assert link in client.get(reverse("home")).content.decode()
    client.force_login(helper)
    assert link not in client.get(reverse("home")).content.decode()


NAMES = [
    ("service", {}),
    ("export_figures", {"fmt": "csv"}),
    ("export_figures", {"fmt": "xlsx"}),
    ("export_ratings", {}),
    ("monthly_report", {}),
]


@pytest.mark.parametrize(("name", "kwargs"), NAMES)
def test_a_leader_of_another_service_sees_nothing(client, demo, name, kwargs):
    stranger = UserFactory(username="annen-leder")
    MembershipFactory(user=stranger, service=ServiceFactory(code="bergen"), role=Role.LEADER)
    client.force_login(stranger)
    assert client.get(url(name, demo, **kwargs)).status_code == 404
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()


@pytest.mark.parametrize(("name", "kwargs"), NAMES)
def test_a_helper_without_the_leader_role_sees_nothing(client, demo, name, kwargs):
    client.force_login(User.objects.get(username="hjelper"))
    assert client.get(url(name, demo, **kwargs)).status_code == 404


def test_anonymous_users_are_sent_to_log_in(client, demo):
    response = client.get(url("service", demo))
    assert response.status_code == 302
    assert reverse("login") in response.url


def test_an_administrator_of_the_service_may_look(client, demo):
    client.force_login(User.objects.get(username="admin"))
    assert client.get(url("service", demo)).status_code == 200
    assert client.get(reverse("dashboards:index")).status_code == 302


def test_teams_and_helpers_of_other_services_are_404(client, demo, demo_leader):
    other = TeamFactory(service=ServiceFactory(code="bergen"))
    outsider = UserFactory(username="ute")
    MembershipFactory(user=outsider, service=other.service, role=Role.HELPER)
    client.force_login(demo_leader)
    assert client.get(url("service", demo), {"team": other.pk}).status_code == 404
    assert client.get(url("service", demo), {"helper": outsider.pk}).status_code == 404
    assert client.get(url("service", demo), {"team": "x"}).status_code == 404


def test_helper_comparison_can_be_switched_off(client, demo, demo_leader):
    helper = User.objects.get(username="hjelper")
    client.force_login(demo_leader)
    assert client.get(url("service", demo), {"helper": helper.pk}).status_code == 200
    demo.helper_comparison = False
    demo.save()
    assert client.get(url("service", demo), {"helper": helper.pk}).status_code == 404
    page = client.get(url("service", demo)).content.decode()
    assert "Kari Nordmann" not in page
    assert "Team voksne" in page


def test_levels_service_team_helper(client, demo, demo_leader):
    team = demo.teams.get(code="voksne")
    helper = User.objects.get(username="hjelper")
    client.force_login(demo_leader)
    team_page = client.get(url("service", demo), {"team": team.pk}).content.decode()
    assert "Ali Hassan" in team_page  # a helper of the team
    assert "Jonas Lie" not in team_page  # a helper of another team
    helper_page = client.get(url("service", demo), {"team": team.pk, "helper": helper.pk})
    assert helper_page.status_code == 200
    assert "Kari Nordmann" in helper_page.content.decode()


def test_a_bad_period_falls_back_to_twelve_months(client, demo, demo_leader):
    client.force_login(demo_leader)
    response = client.get(url("service", demo), {"period": "custom", "from": "x"})
    assert response.status_code == 200
    assert response.context["dashboard"].period.key == "12m"


def test_small_services_show_too_few_to_show(client, service, leader, team, helper):
    client.force_login(leader)
    page = client.get(url("service", service)).content.decode()
    assert "For få til å vise" in page or "Too few to show" in page


@pytest.mark.parametrize("clients", [15, 90])
def test_the_page_costs_a_constant_number_of_queries(
    client, clients, django_assert_max_num_queries
):
    call_command("seed_demo", clients=clients, service="demo", seed=5, stdout=None)
    service = Service.objects.get(code="demo")
    client.force_login(User.objects.get(username="leder"))
    # The login session, user, service, instruments, teams, helpers, four statements, roles for
    # the menu, and saving the session.
    # 16, was 15: issue #16 item 8 adds the share of signals followed up, one statement outside
    # the kept figures (helpers note follow-ups at any time; services/supervision).
    # 18: issue #17 adds goals and offers talked about, two statements outside the kept figures
    # for the same reason (helpers write goals, scores and ticks at any time; goals_offers).
    # 19: issue #18 adds the suggestion box's notes by theme, one statement on the notes
    # themselves (anonymous notes arrive at any time; services/suggestions/counts.py).
    # 20: issue #18 groups adds the service's group figures, one statement over the meetings,
    # attendances and group alliance answers, which arrive at every meeting and are not kept
    # with the figures (services/dashboards/group_figures.py).
    # 23 on the first view after a group meeting of the period has closed (here: the demo's,
    # just made): the group figures read a meeting's mean only once it is frozen, so that view
    # finds and freezes the closed meetings (two statements, whatever their number) and makes
    # its statement again; every later view is back at 20 (services/groups/figures.py).
    # One more each: issue #20 asks whether the service is in a network, for the link to its
    # figures beside the network's (services/network; membership changes at any time).
    with django_assert_max_num_queries(24):
        assert client.get(url("service", service)).status_code == 200
    with django_assert_max_num_queries(21):
        assert client.get(url("service", service)).status_code == 200


def test_the_figures_csv_holds_the_page_figures_and_is_audited(client, demo, demo_leader):
    client.force_login(demo_leader)
    response = client.get(url("export_figures", demo, fmt="csv"), {"period": "6m"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv"
    # Issue #16: the figures CSV is written for Norwegian Excel; excel_csv reads it so.
    rows = excel_csv.rows(response.content)
    period = periods.last_months(timezone.localdate(), 6)
    dashboard = build_dashboard(demo, period)
    want = figure_rows(dashboard)
    assert len(rows) == len(want)
    by_key = {(r["section"], r["group"], r["figure"]): r for r in rows}
    for row in dashboard.rows:
        got = by_key[("summary", "current", row.key)]
        if row.current.shown:
            assert float(got["value"]) == pytest.approx(row.current.value)
        elif row.current.suppressed:
            assert got["value"] == "For få til å vise"
        assert got["from"] == period.start.isoformat()
    event = AuditEvent.objects.get(action=Action.EXPORT)
    assert event.user == demo_leader
    assert event.service_id == demo.pk
    assert "dashboard figures csv" in event.detail
    body = response.content.decode()
    for code in Client.objects.filter(service=demo).values_list("code", flat=True):
        assert code not in body


def test_the_figures_workbook_has_the_same_rows(client, demo, demo_leader):
    client.force_login(demo_leader)
    response = client.get(url("export_figures", demo, fmt="xlsx"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    want = figure_rows(build_dashboard(demo, periods.last_months(timezone.localdate(), 12)))
    assert rows[0][0] == "section"
    assert len(rows) == len(want) + 1
    clients = next(r for r in rows if r[:3] == ("summary", "current", "clients"))
    assert isinstance(clients[6], int)
    assert AuditEvent.objects.filter(action=Action.EXPORT, detail__contains="xlsx").count() == 1


def test_unknown_export_formats_are_404_and_not_audited(client, demo, demo_leader):
    client.force_login(demo_leader)
    assert client.get(url("export_figures", demo, fmt="pdf")).status_code == 404
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()
    response = client.get(url("export_figures", demo, fmt="csv"))
    assert response["Content-Disposition"].endswith('.csv"')


def test_the_ratings_export_is_pseudonymised_interchange_csv(client, demo, demo_leader):
    client.force_login(demo_leader)
    response = client.get(url("export_ratings", demo), {"period": "3m"})
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()
    rows = list(csv.reader(io.StringIO(body)))
    assert tuple(rows[0]) == COLUMNS
    period = periods.last_months(timezone.localdate(), 3)
    expected = Rating.objects.filter(
        session__episode__service=demo,
        session__date__gte=period.start,
        session__date__lte=period.end,
    ).count()
    assert len(rows) - 1 == expected > 0
    codes = set(Client.objects.filter(service=demo).values_list("code", flat=True))
    exported = {row[1] for row in rows[1:]}
    assert not exported & codes
    assert exported <= {pseudonym(demo, code) for code in codes}
    assert all(period.start.isoformat() <= row[8] <= period.end.isoformat() for row in rows[1:])
    assert AuditEvent.objects.filter(
        action=Action.EXPORT, detail__contains="pseudonymised ratings"
    ).exists()


def test_the_ratings_export_leaves_helpers_out_when_comparison_is_off(client, demo, demo_leader):
    demo.helper_comparison = False
    demo.save()
    client.force_login(demo_leader)
    body = b"".join(client.get(url("export_ratings", demo)).streaming_content).decode()
    rows = list(csv.reader(io.StringIO(body)))[1:]
    assert rows and all(row[COLUMNS.index("helper")] == "" for row in rows)


def test_the_monthly_report_downloads_as_pdf_and_is_audited(client, demo, demo_leader):
    client.force_login(demo_leader)
    last = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).strftime("%Y-%m")
    response = client.get(url("monthly_report", demo), {"month": last})
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert response["Content-Type"] == "application/pdf"
    assert AuditEvent.objects.filter(action=Action.EXPORT, detail=f"monthly report pdf {last}")
