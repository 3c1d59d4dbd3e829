"""The monthly report: a PDF from the command and the same bytes for the same data."""

import re

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from services.accounts.models import Service
from services.audit.models import Action, AuditEvent
from services.dashboards.report import default_month, monthly_report, parse_month

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("seed_demo", clients=40, service="demo", seed=2, stdout=None)
    return Service.objects.get(code="demo")


def test_the_command_writes_an_audited_pdf(demo, tmp_path, capsys):
    target = tmp_path / "report.pdf"
    year, month = default_month(timezone.localdate())
    call_command("monthly_report", "--service", "demo", "-o", str(target))
    pdf = target.read_bytes()
    assert pdf.startswith(b"%PDF")
    # figures, charts, what the outcome figures count (issue #12 items 5, 7, 8). Issue #16: no
    # team's or helper's effect size can be shown for one month of 40 clients, and a comparison
    # with fewer than two to show is not drawn, so there is no page of empty comparison boxes.
    assert len(re.findall(rb"/Type /Page\b", pdf)) == 3
    assert f"{year}-{month:02d}" in capsys.readouterr().out
    event = AuditEvent.objects.get(action=Action.EXPORT)
    assert event.actor == "monthly_report"
    assert event.service_id == demo.pk


def test_the_report_is_byte_stable_and_dateless(demo):
    year, month = default_month(timezone.localdate())
    first = monthly_report(demo, year, month)
    assert first == monthly_report(demo, year, month)
    assert b"CreationDate" not in first


def test_without_helper_comparison_only_teams_are_compared(demo):
    demo.helper_comparison = False
    demo.save()
    pdf = monthly_report(demo, *default_month(timezone.localdate()))
    # issue #12: a page on outcomes; issue #16: no page of empty comparison boxes
    assert len(re.findall(rb"/Type /Page\b", pdf)) == 3


def test_command_options_are_checked(demo, tmp_path):
    with pytest.raises(CommandError, match="No service"):
        call_command("monthly_report", "--service", "nowhere", "-o", str(tmp_path / "x.pdf"))
    with pytest.raises(CommandError, match="not a month"):
        call_command(
            "monthly_report", "--service", "demo", "--month", "2026-13", "-o", str(tmp_path / "x")
        )


def test_parse_month():
    assert parse_month("2026-03") == (2026, 3)
    for bad in ("2026-3-1", "26-03", "2026-00", ""):
        with pytest.raises(ValueError):
            parse_month(bad)
