"""The research export of the demo data: k-anonymous by a count written here, independently of
services.research; nothing in it that names a client or a day; ids that hold in one project
only; one audit row per export and none about a client."""

import datetime
import re
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from services.accounts.models import Role, User
from services.audit.models import Action, AuditEvent
from services.clients.models import Client, Episode
from services.comments.models import SessionComment
from services.goals.models import Goal
from services.research import dataset
from services.sessions.models import Session

from .conftest import csv_rows, make_project, read_zip

pytestmark = pytest.mark.django_db

QUASI_IDENTIFIERS = ("service", "team", "age_group", "start_quarter", "end_quarter")
AS_THE_ISSUE_NAMES_THEM = ("age_group", "service", "start_quarter", "team")
DATE = re.compile(r"\d{4}-\d{2}-\d{2}|\d{1,2}\.\d{1,2}\.\d{2,4}")


def download(client, leader, project) -> dict[str, str]:
    client.force_login(leader)
    response = client.get(reverse("research:download", args=[project.service.code, project.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    return read_zip(response.content)


def test_the_demo_export_passes_an_independent_k_anonymity_check(client, demo):
    service, leader = demo
    project = make_project(service, leader)
    files = download(client, leader, project)
    assert set(files) == {"data.csv", "dictionary.csv", "README.txt"}
    rows = csv_rows(files["data.csv"])
    started = Episode.objects.filter(
        service=service, start_date__range=(project.period_start, project.period_end)
    ).count()
    assert 0.5 * started <= len(rows) <= started  # most rows kept, none made up
    for columns in (QUASI_IDENTIFIERS, AS_THE_ISSUE_NAMES_THEM):
        groups = Counter(tuple(row[column] for column in columns) for row in rows)
        assert min(groups.values()) >= 5, sorted(groups.items(), key=lambda item: item[1])[:3]
    assert len({row["project_id"] for row in rows}) == len(rows)
    # The check has teeth: the same episodes before k-anonymity fail it.
    raw = Counter(tuple(row[c] for c in QUASI_IDENTIFIERS) for row in dataset.episode_rows(project))
    assert min(raw.values()) < 5
    # The README says how many rows went, and they add up to the episodes of the period.
    left_out = re.search(r"Rows left out \(suppressed\): (\d+) of (\d+)", files["README.txt"])
    assert int(left_out[2]) == started
    assert int(left_out[1]) == started - len(rows)
    assert_names_nobody(files, service)


def assert_names_nobody(files: dict[str, str], service) -> None:
    """No cell names a client, a helper or a day, and no one's own words are in the data."""
    cells = {cell for row in csv_rows(files["data.csv"]) for cell in row.values()}
    codes = set(Client.objects.filter(service=service).values_list("code", flat=True))
    codes |= set(Episode.objects.filter(service=service).values_list("code", flat=True))
    names = set(Client.objects.filter(service=service).values_list("display_name", flat=True))
    words = set(SessionComment.objects.values_list("text", flat=True))
    words |= set(Goal.objects.values_list("text", flat=True))
    assert codes and names and words  # the demo has them, so the checks below can fail
    assert not cells & codes
    text = "\n".join(files.values())
    for name in names - {""}:
        assert name not in text
    for said in words:
        assert said not in files["data.csv"]
    assert not DATE.search(files["data.csv"])
    days = {day.isoformat() for day in Session.objects.values_list("date", flat=True)}
    assert not any(day in files["data.csv"] for day in days)
    assert not re.search(r"\bK\d{5}\b", text)  # the demo's client codes, anywhere in the ZIP
    helpers = User.objects.filter(memberships__service=service, memberships__role=Role.HELPER)
    assert not cells & set(helpers.values_list("username", flat=True))
    for helper in helpers:
        assert helper.get_full_name() not in text


def test_an_episode_has_unrelated_ids_in_two_projects(demo):
    service, leader = demo
    first, second = make_project(service, leader), make_project(service, leader)
    rows_first = dataset.episode_rows(first)
    rows_second = dataset.episode_rows(second)
    assert len(rows_first) == len(rows_second) > 0
    for a, b in zip(rows_first, rows_second, strict=True):  # same episode, same order
        assert a[dataset.PERSON] == b[dataset.PERSON]
        assert a["project_id"] != b["project_id"]
    assert not {r["project_id"] for r in rows_first} & {r["project_id"] for r in rows_second}
    # …and the same id in every export of one project.
    again = dataset.episode_rows(first)
    assert [r["project_id"] for r in again] == [r["project_id"] for r in rows_first]
    episode_ids = {str(pk) for pk in Episode.objects.values_list("pk", flat=True)}
    assert not {r["project_id"] for r in rows_first} & episode_ids


def test_each_export_is_one_audit_row_and_never_finer_than_the_last(client, demo):
    service, leader = demo
    project = make_project(service, leader)
    before = AuditEvent.objects.exclude(action=Action.LOGIN).count()
    download(client, leader, project)
    project.exports.update(level=3)  # as if the first had needed three steps
    second = csv_rows(download(client, leader, project)["data.csv"])
    events = AuditEvent.objects.exclude(action=Action.LOGIN).order_by("pk")[before:]
    assert [(e.action, e.detail, e.object_type, e.object_id) for e in events] == [
        (Action.EXPORT, f"research export {project.pk}", "researchproject", str(project.pk))
    ] * 2
    assert all(e.client_id is None and e.user == leader for e in events)
    assert all(e.service_id == service.pk for e in events)
    assert project.exports.count() == 2
    made = project.exports.first()  # the newest
    assert made.rows + made.suppressed_rows == made.generalised["rows_in"]
    assert made.level >= 3
    assert made.generalised["steps"][:3] == ["team", "quarter_to_year", "year_to_period"]
    assert {row["team"] for row in second} == {"all"}
    assert {row["start_quarter"] for row in second} == {"all"}


def test_the_builder_costs_the_same_few_queries_for_any_size(demo, django_assert_max_num_queries):
    service, leader = demo
    big = make_project(service, leader)
    small = make_project(
        service,
        leader,
        period_start=big.period_end - datetime.timedelta(days=45),
        period_end=big.period_end,
    )
    counts = []
    for project in (small, big):
        project.refresh_from_db()  # nothing cached on it
        with CaptureQueriesContext(connection) as queries:
            rows = dataset.episode_rows(project)
        counts.append((len(rows), len(queries.captured_queries)))
    assert 0 < counts[0][0] < counts[1][0] / 4
    assert counts[0][1] == counts[1][1]
    with django_assert_max_num_queries(5):
        dataset.build(big)
