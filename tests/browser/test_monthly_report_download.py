"""Issue #16 item 2, as a leader does it in Chromium: open the dashboard, choose a team and a
month, click the report and get that team's report for that month, not the service's."""

import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import formats, timezone, translation

from services.accounts.models import Service, Team, User
from services.dashboards import periods
from tests import pdftext

from .conftest import logged_in_context

pytestmark = pytest.mark.browser
DESKTOP = {"viewport": {"width": 1280, "height": 900}, "accept_downloads": True}
SHOTS = Path(os.environ.get("SHOTS", "/tmp/shots"))


def month_name(month: periods.Period) -> str:
    with translation.override("nb"):
        return formats.date_format(month.start, "F Y")


def test_the_report_follows_the_team_and_month_chosen(browser, live_server):
    call_command("seed_demo", clients=40, service="demo", seed=2, stdout=None)
    demo = Service.objects.get(code="demo")
    team = Team.objects.filter(service=demo).order_by("name").first()
    today = timezone.localdate()
    newest, chosen = periods.ended_months(today, 2)
    context = logged_in_context(browser, live_server, User.objects.get(username="leder"), **DESKTOP)
    page = context.new_page()
    dashboard = live_server.url + reverse("dashboards:service", args=[demo.code])
    page.goto(dashboard)

    page.locator(f'a[href*="team={team.pk}"]').first.click()
    page.wait_for_url(f"**team={team.pk}*")
    button = page.locator('a[href*="manedsrapport.pdf"]').first
    label = button.inner_text()
    assert month_name(newest) in label and team.name in label, label

    page.locator('details:has(a[href*="manedsrapport.pdf"]) > summary').click()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "reports_buttons.png"))
    with page.expect_download() as waiting:
        page.get_by_role("link", name=month_name(chosen), exact=True).click()
    download = waiting.value
    team_pdf = Path(download.path()).read_bytes()

    report = live_server.url + reverse("dashboards:monthly_report", args=[demo.code])
    whole = context.request.get(f"{report}?month={chosen.key}")
    assert whole.ok
    assert team_pdf.startswith(b"%PDF") and whole.body().startswith(b"%PDF")
    assert team_pdf != whole.body()
    title = pdftext.title(team_pdf)
    assert team.name in title and month_name(chosen) in title, title
    text = pdftext.text(team_pdf)
    assert team.name in text and month_name(chosen) in text
    assert team.name not in pdftext.title(whole.body())
    name = download.suggested_filename
    assert name.startswith(f"demo-{team.code}-") and name.endswith(f"-{chosen.key}.pdf"), name
    context.close()
