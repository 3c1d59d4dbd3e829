"""Issue #16 item 2: the monthly report follows the service, team or helper and the period a
leader chose, names them in the button, the title and the file name, and refuses months that
cannot have a report; the figures downloads of a team and of the service have different names.
Item 5: the figures CSV is written for Excel set up for Norway."""

import csv
import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from services.accounts.models import Service, Team, User
from services.audit.models import Action, AuditEvent
from services.dashboards import archive, exports, periods
from services.dashboards.figures import build_dashboard
from services.dashboards.models import MonthlyReportFile
from tests import pdftext
from tests.factories import ServiceFactory, TeamFactory

pytestmark = pytest.mark.django_db

NB_MONTHS = [
    "januar",
    "februar",
    "mars",
    "april",
    "mai",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "desember",
]


@pytest.fixture
def demo():
    call_command("seed_demo", clients=40, service="demo", seed=2, stdout=None)
    return Service.objects.get(code="demo")


@pytest.fixture
def leader(demo, client):
    user = User.objects.get(username="leder")
    client.force_login(user)
    return user


@pytest.fixture
def demo_team(demo):
    return Team.objects.filter(service=demo).order_by("name").first()


@pytest.fixture
def demo_helper(demo, demo_team):
    return User.objects.filter(
        memberships__service=demo, memberships__role="helper", memberships__team=demo_team
    ).first()


def last_month() -> datetime.date:
    return periods.add_months(timezone.localdate().replace(day=1), -1)


def named(day: datetime.date) -> str:
    """ "november 2026": how the report names a month in bokmål."""
    return f"{NB_MONTHS[day.month - 1]} {day.year}"


def report(client, service, **params):
    return client.get(reverse("dashboards:monthly_report", args=[service.code]), params)


def file_name(response) -> str:
    return re.search(r'filename="([^"]+)"', response["Content-Disposition"]).group(1)


# -- the report follows the team and the helper -------------------------------------------------


def test_the_team_report_is_the_team_s_not_the_service_s(client, demo, leader, demo_team):
    month = last_month()
    whole = report(client, demo, month=f"{month:%Y-%m}")
    team = report(client, demo, month=f"{month:%Y-%m}", team=demo_team.pk)
    assert whole.status_code == team.status_code == 200
    assert team.content.startswith(b"%PDF")
    assert team.content != whole.content  # issue #16: the two were byte-identical
    title = pdftext.title(team.content)
    assert demo_team.name in title and named(month) in title
    text = pdftext.text(team.content)
    assert demo_team.name in text and named(month) in text
    assert demo_team.name not in pdftext.title(whole.content)
    assert file_name(team) == f"demo-{demo_team.code}-rapport-{month:%Y-%m}.pdf"
    assert file_name(whole) == f"demo-rapport-{month:%Y-%m}.pdf"
    details = list(
        AuditEvent.objects.filter(action=Action.EXPORT).order_by("pk").values_list("detail")
    )
    assert details == [
        (f"monthly report pdf {month:%Y-%m}",),
        (f"monthly report pdf {month:%Y-%m} team={demo_team.pk} ({demo_team.name})",),
    ]


def test_the_helper_report_is_the_helper_s(client, demo, leader, demo_team, demo_helper):
    month = last_month()
    response = report(client, demo, month=f"{month:%Y-%m}", helper=demo_helper.pk)
    assert response.status_code == 200
    assert str(demo_helper) in pdftext.title(response.content)
    assert file_name(response) == f"demo-hjelper-{demo_helper.pk}-rapport-{month:%Y-%m}.pdf"
    event = AuditEvent.objects.get(action=Action.EXPORT)
    assert event.detail.endswith(f"helper={demo_helper.pk} ({demo_helper})")


def test_a_team_or_helper_the_dashboard_would_refuse_is_404(client, demo, leader):
    other = TeamFactory(service=ServiceFactory(code="bergen"))
    assert report(client, demo, team=other.pk).status_code == 404
    assert report(client, demo, team="x").status_code == 404
    demo.helper_comparison = False
    demo.save()
    helper = User.objects.get(username="hjelper")
    assert report(client, demo, helper=helper.pk).status_code == 404
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()


def test_a_stored_report_is_served_for_the_service_only(client, demo, leader, demo_team):
    month = last_month()
    MonthlyReportFile.objects.create(service=demo, month=month, language="nb", pdf=b"%PDF stored")
    assert report(client, demo, month=f"{month:%Y-%m}").content == b"%PDF stored"
    team = report(client, demo, month=f"{month:%Y-%m}", team=demo_team.pk)
    assert team.content.startswith(b"%PDF") and team.content != b"%PDF stored"
    with translation.override("nb"):
        drawn = archive.monthly_pdf(demo, periods.month(month.year, month.month), team=demo_team)
    assert drawn == team.content


# -- which month --------------------------------------------------------------------------------


@pytest.mark.parametrize("month", ["bad", "2030-01", "2026-13", "26-03", "2026-3-1", "next"])
def test_impossible_months_are_refused_with_a_message(client, demo, leader, month):
    response = report(client, demo, month=month)
    assert response.status_code == 400  # issue #16: any month= gave a report
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "månedsrapport" in page.lower()
    assert reverse("dashboards:service", args=[demo.code]) in page
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()


def test_this_month_is_not_over_and_has_no_report_yet(client, demo, leader):
    today = timezone.localdate()
    response = report(client, demo, month=f"{today:%Y-%m}")
    assert response.status_code == 400
    assert named(today) in response.content.decode()
    assert report(client, demo, month=f"{last_month():%Y-%m}").status_code == 200


def test_the_month_follows_the_chosen_period(client, demo, leader):
    year = timezone.localdate().year - 1
    cases = [
        ({}, last_month()),
        ({"period": "3m"}, last_month()),
        ({"period": f"{year}-q3"}, datetime.date(year, 9, 1)),
        ({"period": "custom", "from": f"{year}-05-03", "to": f"{year}-05-20"}, (year, 5)),
        ({"period": "nonsense"}, last_month()),
    ]
    for params, month in cases:
        month = datetime.date(*month, 1) if isinstance(month, tuple) else month
        response = report(client, demo, **params)
        assert response.status_code == 200, params
        assert file_name(response) == f"demo-rapport-{month:%Y-%m}.pdf", params


def test_report_month_is_the_month_the_period_ends_in_once_it_is_over():
    today = datetime.date(2026, 12, 1)
    assert periods.report_month(periods.last_months(today, 12), today).key == "2026-11"
    assert periods.report_month(periods.quarter(2026, 3), today).key == "2026-09"
    assert periods.report_month(periods.quarter(2026, 4), today).key == "2026-11"
    custom = periods.custom(datetime.date(2025, 5, 3), datetime.date(2025, 5, 20))
    assert periods.report_month(custom, today).key == "2025-05"
    assert periods.ended_month("2026-11", today) == periods.month(2026, 11)
    for value in ("2026-12", "2030-01"):
        with pytest.raises(periods.MonthNotOver):
            periods.ended_month(value, today)
    for value in ("bad", "2026-13", "", "2026-1"):
        with pytest.raises(periods.UnreadableMonth):
            periods.ended_month(value, today)


def test_the_button_names_the_month_the_team_and_keeps_the_choice(client, demo, leader, demo_team):
    month = last_month()
    page = client.get(
        reverse("dashboards:service", args=[demo.code]), {"team": demo_team.pk}
    ).content.decode()
    assert f"Månedsrapport for {named(month)}, {demo_team.name} (PDF)" in page
    link = re.search(r'href="([^"]*manedsrapport\.pdf[^"]*)"', page).group(1)
    assert f"team={demo_team.pk}" in link and f"month={month:%Y-%m}" in link
    older = periods.add_months(month, -1)
    assert f"month={older:%Y-%m}" in page  # another month can be chosen
    whole = client.get(reverse("dashboards:service", args=[demo.code])).content.decode()
    assert f"Månedsrapport for {named(month)} (PDF)" in whole


# -- the figures downloads ----------------------------------------------------------------------


def test_team_and_service_figures_files_have_different_names(client, demo, leader, demo_team):
    url = reverse("dashboards:export_figures", args=[demo.code, "csv"])
    whole = file_name(client.get(url))
    team = file_name(client.get(url, {"team": demo_team.pk}))
    assert whole != team  # issue #16: both were demo-<from>-<to>.csv
    assert demo_team.code in team
    helper = User.objects.get(username="hjelper")
    assert f"hjelper-{helper.pk}" in file_name(client.get(url, {"helper": helper.pk}))
    xlsx = reverse("dashboards:export_figures", args=[demo.code, "xlsx"])
    assert file_name(client.get(xlsx, {"team": demo_team.pk})) == team[:-3] + "xlsx"
    event = AuditEvent.objects.filter(action=Action.EXPORT).order_by("pk")[1]
    assert f"team={demo_team.pk} ({demo_team.name})" in event.detail


def test_the_figures_csv_opens_in_norwegian_excel(client, demo, leader):
    response = client.get(reverse("dashboards:export_figures", args=[demo.code, "csv"]))
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, so Excel does not guess cp1252
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["section", "group", "figure"]
    values = [row[6] for row in rows[1:]]
    shares = [v for v in values if re.fullmatch(r"0,\d+", v)]
    assert shares, "shares are written with a decimal comma"
    assert not [v for v in values if re.fullmatch(r"-?\d+\.\d+", v)]


def test_numbers_in_the_csv_have_a_decimal_comma_and_a_plain_minus(demo):
    dashboard = build_dashboard(demo, periods.last_months(timezone.localdate(), 12))
    assert exports.csv_number(-0.25) == "-0,25"  # U+2212 would make Excel read text
    assert exports.csv_number(0.1 + 0.2) == "0,30000000000000004"
    assert exports.csv_number(1e-7) == "0,0000001"
    assert exports.csv_number(12) == "12"
    assert exports.csv_number("Team 1.5") == "Team 1.5"
    assert exports.figures_csv(dashboard).startswith("\ufeffsection;group;figure;")
