"""Notes by theme on the leader's dashboard (issue #18): counted in one query, spam and other
services left out, by month for a short period and by quarter for a longer one."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from services.suggestions.counts import bucket_kind, buckets, count_rows, theme_counts
from tests.factories import ServiceFactory

from .conftest import note

pytestmark = pytest.mark.django_db


def test_short_periods_count_by_month_and_longer_ones_by_quarter():
    start = datetime.date(2026, 1, 1)
    assert bucket_kind(start, datetime.date(2026, 6, 30)) == "month"
    assert bucket_kind(start, datetime.date(2026, 12, 31)) == "quarter"
    assert buckets(datetime.date(2026, 2, 10), datetime.date(2026, 4, 3), "month") == [
        datetime.date(2026, 2, 1),
        datetime.date(2026, 3, 1),
        datetime.date(2026, 4, 1),
    ]
    assert buckets(datetime.date(2025, 11, 5), datetime.date(2026, 5, 1), "quarter") == [
        datetime.date(2025, 10, 1),
        datetime.date(2026, 1, 1),
        datetime.date(2026, 4, 1),
    ]


def test_notes_are_counted_by_theme_and_month_in_one_query(
    service, themes, django_assert_num_queries
):
    hours, walks = themes
    for day, theme in [(3, hours), (4, hours), (5, walks), (40, walks), (41, None)]:
        note(service, day=datetime.date(2026, 1, 1) + datetime.timedelta(days=day), theme=theme)
    note(service, day=datetime.date(2026, 1, 9), theme=hours, is_spam=True)
    note(service, day=datetime.date(2025, 12, 31), theme=hours)  # before the period
    note(ServiceFactory(code="bergen"), day=datetime.date(2026, 1, 9))
    start, end = datetime.date(2026, 1, 1), datetime.date(2026, 3, 31)
    with django_assert_num_queries(1):
        rows = count_rows(service.pk, start, end, "month")
    table = theme_counts(rows, start, end, "month", "en", "No theme yet")
    assert [(row.name, row.counts, row.total) for row in table.rows] == [
        ("Opening hours", (2, 0, 0), 2),
        ("Activities", (1, 1, 0), 2),
        ("No theme yet", (0, 1, 0), 1),
    ]
    assert (table.totals, table.total) == ((3, 2, 0), 5)
    nb = theme_counts(rows, start, end, "month", "nb", "Uten tema")
    assert [row.name for row in nb.rows] == ["Åpningstider", "Aktiviteter", "Uten tema"]
    with translation.override("nb"):
        labels = theme_counts(rows, start, end, "month", "nb", "-").labels
    assert labels == ("Jan 2026", "Feb 2026", "Mar 2026")


def test_quarters_are_labelled_as_the_dashboard_labels_them(service, themes):
    note(service, day=datetime.date(2026, 5, 2), theme=themes[0])
    start, end = datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)
    rows = count_rows(service.pk, start, end, "quarter")
    table = theme_counts(rows, start, end, "quarter", "en", "-")
    assert table.labels == ("Q1 2026", "Q2 2026", "Q3 2026", "Q4 2026")
    assert table.rows[0].counts == (0, 1, 0, 0)


def test_the_leaders_dashboard_shows_the_counts_for_the_service_only(
    client, leader, service, team, themes
):
    today = timezone.localdate()
    note(service, day=today, theme=themes[0])
    note(service, day=today, theme=themes[0], is_spam=True)
    client.force_login(leader)
    address = reverse("dashboards:service", args=[service.code])
    response = client.get(address, {"period": "3m"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="suggestion-counts"' in page
    assert reverse("suggestions:staff_list", args=[service.code]) in page
    section = page.split('id="suggestion-counts"')[1].split("</section>")[0]
    assert "Åpningstider" in section
    assert section.count('<td class="text-end">1</td>') >= 2  # the theme's total and all notes
    team_view = client.get(address, {"period": "3m", "team": team.pk}).content.decode()
    assert 'id="suggestion-counts"' not in team_view


def test_the_dashboard_period_decides_month_or_quarter(client, leader, service):
    client.force_login(leader)
    address = reverse("dashboards:service", args=[service.code])
    note(service, day=timezone.localdate())
    for period, columns in (("3m", 3), ("12m", 4)):
        page = client.get(address, {"period": period}).content.decode()
        section = page.split('id="suggestion-counts"')[1].split("</section>")[0]
        header = section.split("</thead>")[0]
        # A column per month or quarter, and the total.
        assert header.count('<th scope="col" class="text-end">') - 1 >= columns, period
    assert "kv." in header  # "1. kv. 2026", as the dashboard's charts label quarters
