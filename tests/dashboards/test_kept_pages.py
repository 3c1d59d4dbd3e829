"""Dashboard pages kept until the facts change (`freshness`), and never older than the data.

Transactional: a kept page's generation starts only when a rebuild has committed.
"""

import datetime

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from services.accounts.models import Role, Service, User
from services.dashboards import facts, freshness, periods, visuals
from services.dashboards.exports import figure_rows
from services.dashboards.figures import build_dashboard
from services.sessions.models import Session
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def shared_cache(settings, tmp_path):
    """A cache every process sees, as Redis is in production: only there are pages kept."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
        }
    }
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def demo():
    call_command("seed_demo", clients=40, service="demo", seed=5, stdout=None)
    return Service.objects.get(code="demo")


@pytest.fixture
def leader(demo):
    return User.objects.get(username="leder")


def url(service) -> str:
    return reverse("dashboards:service", kwargs={"code": service.code})


def shown(response) -> list:
    """The figures of a page, as the CSV download has them, in the page's language."""
    with translation.override(response.context["request"].LANGUAGE_CODE):
        return figure_rows(response.context["dashboard"])


def fresh(response) -> list:
    """The same page's figures as they are in the database now, built without any cache."""
    page = response.context["dashboard"]
    dashboard = build_dashboard(
        page.service, page.period, team_id=page.scope.team_id, helper_id=page.scope.helper_id
    )
    with translation.override(response.context["request"].LANGUAGE_CODE):
        return figure_rows(dashboard)


def test_a_repeated_view_of_an_unchanged_dashboard_reads_no_facts(
    client, shared_cache, leader, demo, django_assert_max_num_queries
):
    client.force_login(leader)
    first = client.get(url(demo))
    # The login session and user, the service, the teams and helpers compared, the forms, the
    # two checks for changes, the viewer's roles, the menu's roles, and saving the session (in
    # a transaction of its own): no statement over the facts. 14, was 13: issue #18 counts the
    # suggestion box's notes by theme on the service's view, one statement over the anonymous
    # notes, which arrive at any time and are not kept with the figures. 15: issue #18 groups
    # adds the group figures, one statement over the meetings and their answers, for the same
    # reason (services/dashboards/group_figures.py). 16: issue #20 asks whether the service is
    # in a network, for the link to its figures beside the network's (services/network).
    with django_assert_max_num_queries(16) as queries:
        again = client.get(url(demo))
    statements = " ".join(query["sql"] for query in queries.captured_queries)
    for table in ("sessionfact", "dailyactivity", "collateralfact", "episode_helpers"):
        assert table not in statements
    assert again.context["charts"] == first.context["charts"]
    assert shown(again) == shown(first)


@pytest.mark.parametrize("rebuilt_by", ["the page", "the job worker"])
def test_a_change_is_on_the_next_view(client, shared_cache, leader, demo, rebuilt_by):
    client.force_login(leader)
    before = client.get(url(demo))
    sessions = before.context["dashboard"].row("sessions").current.value
    episode = demo.episodes.filter(end_date__isnull=True).order_by("pk").first()
    Session.objects.create(
        episode=episode,
        number=episode.sessions.count() + 1,
        date=timezone.localdate(),
        helper=episode.helpers.first(),
    )
    if rebuilt_by == "the job worker":
        assert facts.refresh_outdated() == 1
    after = client.get(url(demo))
    assert after.context["dashboard"].row("sessions").current.value == sessions + 1
    assert shown(after) == fresh(after)


def test_every_scope_is_kept_apart(client, shared_cache, leader, demo):
    """Service, team and helper pages, periods and languages: each page's own figures."""
    team = demo.teams.get(code="voksne")
    helper = User.objects.get(username="hjelper")
    pages = [
        {},
        {"team": team.pk},
        {"team": team.pk, "helper": helper.pk},
        {"helper": helper.pk},
        {"period": "3m"},
        {"period": "custom", "from": "2025-11-03", "to": "2026-02-17"},
    ]
    client.force_login(leader)
    for query in pages:  # every page kept once
        client.get(url(demo), query)
    for query in pages:
        response = client.get(url(demo), query)
        assert shown(response) == fresh(response)
    norwegian = client.get(url(demo))
    client.cookies["django_language"] = "en"
    english = client.get(url(demo))
    assert "Sessions with ORS" in english.context["charts"]["completeness"]
    assert "Sessions with ORS" not in norwegian.context["charts"]["completeness"]


def test_an_administrator_is_kept_apart_from_a_leader(client, shared_cache, leader, demo):
    client.force_login(leader)
    client.get(url(demo))
    client.get(url(demo))
    client.force_login(User.objects.get(username="admin"))
    with CaptureQueriesContext(connection) as queries:
        client.get(url(demo))
    assert any(query["sql"].startswith("WITH") for query in queries.captured_queries)


def test_staff_renamed_are_shown_at_once(client, shared_cache, leader, demo):
    client.force_login(leader)
    assert "Team voksne" in client.get(url(demo)).content.decode()
    demo.teams.filter(code="voksne").update(name="Team vaksne")
    page = client.get(url(demo)).content.decode()
    assert "Team vaksne" in page and "Team voksne" not in page
    newcomer = UserFactory(username="ny", first_name="Ny", last_name="Hjelper")
    MembershipFactory(user=newcomer, service=demo, role=Role.HELPER)
    assert "Ny Hjelper" in client.get(url(demo)).content.decode()


def test_a_rebuild_is_unsettled_until_it_commits(shared_cache):
    """While a rebuild's transaction is open the facts may change underneath: no page is kept
    (`generation` is None); its commit starts a new generation."""
    first = freshness.generation()
    assert first is not None
    with transaction.atomic():
        freshness.facts_changed()
        assert freshness.generation() is None
    second = freshness.generation()
    assert second not in (None, first)


def test_a_rolled_back_rebuild_is_lifted_by_the_next_one(shared_cache):
    with pytest.raises(RuntimeError), transaction.atomic():
        freshness.facts_changed()
        raise RuntimeError("the rebuild met data deleted under it")
    assert freshness.generation() is None
    with transaction.atomic():
        freshness.facts_changed()
    assert freshness.generation() is not None


def test_a_rebuild_of_nothing_still_starts_a_generation(shared_cache, demo):
    """A reader that waited for another reader's rebuild finds no changes left of its own, and
    must still not be given a page kept before that rebuild."""
    first = freshness.generation()
    facts.mark_days([(demo.pk, datetime.date(2026, 1, 5))])
    facts.refresh_outdated()
    assert freshness.generation() not in (None, first)


def test_a_cache_of_each_process_keeps_nothing():
    """Each process's own memory would not hear of a rebuild in another (the job worker)."""
    assert not freshness.shared()
    assert freshness.generation() is None
    calls = []
    assert freshness.kept(("x",), lambda: calls.append(1) or "built") == "built"
    assert freshness.kept(("x",), lambda: calls.append(1) or "built") == "built"
    assert calls == [1, 1]


def test_facts_rebuilt_unchanged_give_the_same_charts(shared_cache, demo):
    """Scores are summed exactly, so rebuilding facts without a change (which moves their rows
    in the table, and so the order they are summed in) cannot change a figure in its last bit,
    and no chart is drawn again."""
    period = periods.last_months(datetime.date(2026, 12, 1), 12)
    before = build_dashboard(demo, period)
    facts.mark_outdated(demo.clients.order_by("pk").values_list("pk", flat=True)[::2])
    facts.refresh_outdated()
    after = build_dashboard(demo, period)
    for kind in ("team", "helper"):
        assert repr(visuals.caterpillar(after, kind)) == repr(visuals.caterpillar(before, kind))
    assert repr(after.units) == repr(before.units)
    assert repr(after.reference) == repr(before.reference)


def test_the_job_worker_draws_the_default_page_charts(
    client, shared_cache, leader, demo, monkeypatch
):
    """After the worker took in a change, the first leader to open the default page finds every
    chart drawn already (issue #14: no drawing on the page after a change)."""
    from services.charts import dashboard as chart_drawing
    from services.jobs.tasks import rebuild_dashboard_facts

    client.force_login(leader)
    episode = demo.episodes.filter(end_date__isnull=True).order_by("pk").first()
    Session.objects.create(
        episode=episode,
        number=episode.sessions.count() + 1,
        date=timezone.localdate(),
        helper=episode.helpers.first(),
    )
    assert rebuild_dashboard_facts() >= 1

    def no_drawing(*args, **kwargs):
        raise AssertionError("a chart was drawn on the page")

    monkeypatch.setattr(chart_drawing, "figure_bytes", no_drawing)
    after = client.get(url(demo))
    assert after.status_code == 200
    assert all(after.context["charts"].values())
