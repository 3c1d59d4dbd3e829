"""The dashboard facts stay true to the clients' data, whatever path changed it."""

import datetime
import io
import threading
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from services.clients.episodes import close_episode
from services.clients.privacy import apply_retention, erase_client
from services.dashboards import facts, queries
from services.dashboards.figures import build_dashboard
from services.dashboards.models import (
    CollateralFact,
    DailyActivity,
    EpisodeFact,
    EpisodeSummary,
    PendingChange,
    SessionFact,
)
from services.dashboards.periods import custom
from services.measures.definitions import Norms
from services.measures.models import Instrument
from services.ratings.recording import record_rating
from services.sessions.models import Session
from services.sessions.recording import create_session
from tests.factories import (
    ClientFactory,
    EpisodeFactory,
    MembershipFactory,
    RatingFactory,
    ServiceFactory,
    SessionFactory,
    TeamFactory,
    UserFactory,
    instrument,
    items_for,
)

D = datetime.date
pytestmark = pytest.mark.django_db

ADULT = facts.Rules(
    {(1, "adult"): Norms(cutoff=Decimal(25), reliable_change=Decimal(5))},
    {7: Decimal(36)},
    {1: "ors", 7: "srs"},
)


# The caseload's summaries are rebuilt with the facts (issue #14), so every write path below
# checks them too.
FACTS = (SessionFact, EpisodeFact, CollateralFact, DailyActivity, EpisodeSummary)


def snapshot() -> dict:
    """Every fact row, as plain values, in a fixed order."""
    return {
        model.__name__: sorted(
            tuple(sorted((k, str(v)) for k, v in row.items() if k != "id"))
            for row in model.objects.values()
        )
        for model in FACTS
    }


def assert_facts_are_true():
    """What the application kept equals facts built from nothing."""
    facts.refresh_outdated()
    kept = snapshot()
    for model in FACTS:
        model.objects.all().delete()
    facts.rebuild_all()
    assert kept == snapshot()
    assert not PendingChange.objects.exists()


# -- the pure part ----------------------------------------------------------------------------


def test_previous_sessions_and_first_in_month_are_counted_per_level():
    episodes = [
        facts.EpisodeRow(1, 10, 5, 7, D(2026, 1, 1), None, ""),
        facts.EpisodeRow(2, 10, 5, 8, D(2026, 2, 1), None, ""),
    ]
    sessions = [
        facts.SessionRow(11, 1, 1, D(2026, 1, 10), 100),
        facts.SessionRow(12, 1, 2, D(2026, 1, 20), 101),
        facts.SessionRow(21, 2, 1, D(2026, 2, 3), 100),
        facts.SessionRow(22, 2, 2, D(2026, 2, 3), 100),  # two sessions on one day
    ]
    session_facts, _, _ = facts.build(episodes, sessions, [], ADULT)
    by_id = {f.session_id: f for f in session_facts}
    assert [by_id[i].previous_any for i in (11, 12, 21, 22)] == [
        None,
        D(2026, 1, 10),
        D(2026, 1, 20),
        D(2026, 2, 3),
    ]
    assert [by_id[i].previous_in_team for i in (11, 12, 21, 22)] == [
        None,
        D(2026, 1, 10),
        None,  # the first in team 8
        D(2026, 2, 3),
    ]
    assert [by_id[i].previous_with_helper for i in (11, 12, 21, 22)] == [
        None,
        None,  # the first with helper 101
        D(2026, 1, 10),
        D(2026, 2, 3),
    ]
    assert [by_id[i].first_in_month_any for i in (11, 12, 21, 22)] == [1, 0, 1, 0]
    assert [by_id[i].first_in_month_with_helper for i in (11, 12, 21, 22)] == [1, 1, 1, 0]
    assert {f.month for f in session_facts} == {D(2026, 1, 1), D(2026, 2, 1)}


def test_an_episode_is_judged_by_its_first_and_last_client_ors():
    moment = timezone.now()
    episodes = [facts.EpisodeRow(1, 10, 5, None, D(2026, 1, 1), D(2026, 3, 1), "planned")]
    sessions = [
        facts.SessionRow(11, 1, 2, D(2026, 1, 10), None),
        facts.SessionRow(12, 1, 1, D(2026, 1, 10), None),  # same day, lower number: first
        facts.SessionRow(13, 1, 3, D(2026, 2, 10), None),
    ]
    ratings = [
        facts.RatingRow(1, 11, "outcome", Decimal("22.0"), moment, 1, "adult"),
        facts.RatingRow(2, 12, "outcome", Decimal("18.0"), moment, 1, "adult"),
        facts.RatingRow(3, 13, "outcome", Decimal("30.0"), moment, 1, "adult"),
        facts.RatingRow(4, 13, "alliance", Decimal("30.0"), moment, 7, "adult"),  # below 36
        facts.RatingRow(5, 99, "outcome", Decimal("1.0"), moment, 1, "adult"),  # not these sessions
    ]
    session_facts, (episode,), _ = facts.build(episodes, sessions, ratings, ADULT)
    assert (episode.intake, episode.end, episode.change) == (18.0, 30.0, 12.0)
    assert (episode.ors_count, episode.sessions, episode.paired) == (3, 3, 1)
    assert (episode.clinical, episode.recovered, episode.improved, episode.deteriorated) == (
        1,
        1,
        1,
        0,
    )
    assert episode.band == 3
    assert (episode.end_month, episode.end_quarter) == (D(2026, 3, 1), D(2026, 1, 1))
    flagged = {f.session_id: (f.srs_total, f.srs_flagged) for f in session_facts}
    assert flagged[13] == (Decimal("30.0"), 1)
    assert flagged[11] == (None, 0)


def test_an_age_group_without_norms_is_never_in_a_category():
    episodes = [facts.EpisodeRow(1, 10, 5, None, D(2026, 1, 1), D(2026, 3, 1), "other")]
    sessions = [facts.SessionRow(11, 1, 1, D(2026, 1, 1), None)]
    ratings = [facts.RatingRow(1, 11, "outcome", Decimal("3.0"), timezone.now(), 1, "child")]
    _, (episode,), _ = facts.build(episodes, sessions, ratings, ADULT)
    # Issue #12 item 6: a form without norms for the age group is unscored, so it has no
    # intake band either (it used to count in band 0) and is left out of the outcome figures.
    assert (episode.clinical, episode.improved, episode.band) == (0, 0, None)
    assert (episode.scored, episode.paired, episode.ors_count) == (0, 0, 1)


# -- kept true on every path ------------------------------------------------------------------


@pytest.fixture
def caseload():
    """Two clients in two teams with a few rated sessions each."""
    service = ServiceFactory(code="facts")
    teams = [TeamFactory(service=service), TeamFactory(service=service)]
    helpers = [UserFactory(), UserFactory()]
    episodes = []
    for index in range(2):
        episode = EpisodeFactory(
            client__service=service, team=teams[index], start_date=D(2026, 1, 5)
        )
        episode.helpers.add(helpers[index])
        for number, (day, score) in enumerate(
            [(D(2026, 1, 5), 15), (D(2026, 2, 2), 21), (D(2026, 3, 2), 27)], start=1
        ):
            session = SessionFactory(
                episode=episode, number=number, date=day, helper=helpers[index]
            )
            RatingFactory(session=session, score=score)
            RatingFactory(session=session, key="srs", score=30 + number)
        episodes.append(episode)
    return episodes


def test_facts_made_as_the_data_came_in_match_a_rebuild(caseload):
    assert_facts_are_true()
    assert SessionFact.objects.count() == 6
    assert EpisodeFact.objects.count() == 2
    assert DailyActivity.objects.count() == 6  # three days, two teams


def test_recording_a_rating_and_a_session(caseload):
    episode = caseload[0]
    session = create_session(episode, date=D(2026, 3, 30), helper=None)
    record_rating(
        session=session,
        instrument=instrument("ors"),
        submission_key="6b1f5a5c-1111-4a8e-9d4e-3b1c1d1e1f10",
        method="tablet",
        items=items_for("ors", 33),
    )
    assert_facts_are_true()
    assert EpisodeFact.objects.get(episode=episode).end == 33.0


def test_closing_an_episode(caseload):
    close_episode(caseload[0], end_date=D(2026, 3, 2), end_reason="planned")
    assert_facts_are_true()
    assert EpisodeFact.objects.get(episode=caseload[0]).paired == 1


def test_edits_in_the_admin(caseload):
    session = caseload[0].sessions.get(number=2)
    session.date = D(2026, 4, 20)  # now after session 3
    session.save()
    episode = caseload[1]
    episode.team = TeamFactory(service=episode.service)
    episode.save()
    client = caseload[0].client
    client.age_group = "adolescent"
    client.save()
    assert_facts_are_true()


def test_deleting_a_rating_a_session_and_a_client(caseload):
    caseload[0].sessions.get(number=1).ratings.get(purpose="outcome").delete()
    caseload[0].sessions.get(number=3).delete()
    erase_client(caseload[1].client)
    assert_facts_are_true()
    assert not SessionFact.objects.filter(client=caseload[1].client_id).exists()


def test_moving_an_episode_to_another_client(caseload):
    episode = caseload[0]
    episode.client = ClientFactory(service=episode.service)
    episode.save()
    assert_facts_are_true()


def test_moving_a_rating_to_another_session(caseload):
    rating = caseload[0].sessions.get(number=1).ratings.get(purpose="outcome")
    rating.session = caseload[1].sessions.get(number=1)
    rating.session.ratings.filter(purpose="outcome").delete()
    rating.save()
    assert_facts_are_true()


def test_a_day_whose_only_session_went_is_summed_anew(caseload):
    facts.refresh_outdated()
    session = create_session(caseload[0], date=D(2026, 6, 1), helper=None)
    facts.refresh_outdated()
    assert DailyActivity.objects.filter(day=D(2026, 6, 1)).exists()
    session.delete()
    facts.refresh_outdated()
    assert not DailyActivity.objects.filter(day=D(2026, 6, 1)).exists()
    erase_client(caseload[1].client)
    facts.refresh_outdated()
    assert sum(DailyActivity.objects.values_list("sessions", flat=True)) == 3
    assert_facts_are_true()


def test_a_helpers_clients_on_a_team_page_count_that_team_only():
    """The same client with the same helper, first in one team and then in another."""
    service = ServiceFactory(code="two-teams")
    teams = [TeamFactory(service=service), TeamFactory(service=service)]
    helper = UserFactory()
    client = ClientFactory(service=service)
    for team, day in zip(teams, (D(2026, 1, 5), D(2026, 1, 10)), strict=True):
        episode = EpisodeFactory(client=client, team=team, start_date=day)
        episode.helpers.add(helper)
        SessionFactory(episode=episode, number=1, date=day, helper=helper)
    facts.refresh_outdated()
    request = queries.Request(
        service.pk,
        {"current": (D(2026, 1, 1), D(2026, 1, 31))},
        team_id=teams[1].pk,
        units=("helper",),
        comparison=(D(2026, 1, 1), D(2026, 1, 31)),
        trend=(D(2026, 1, 1), D(2026, 1, 31)),
    )
    result = queries.collect(request, list(Instrument.objects.all()))
    assert result.periods["current"]["clients"] == 1
    assert result.helper[helper.pk]["clients"] == 1
    assert result.months[D(2026, 1, 1)]["clients"] == 1
    helper_page = queries.Request(
        service.pk,
        {"current": (D(2026, 1, 1), D(2026, 1, 31))},
        team_id=teams[1].pk,
        helper_id=helper.pk,
    )
    assert (
        queries.collect(helper_page, list(Instrument.objects.all())).periods["current"]["clients"]
        == 1
    )


def test_a_new_alliance_threshold_flags_anew(caseload):
    facts.refresh_outdated()
    assert sum(SessionFact.objects.values_list("srs_flagged", flat=True)) == 6  # 31–33 < 36
    srs = Instrument.objects.get(key="srs", version=1)
    definition = srs.definition
    definition["alliance"]["threshold"] = 32
    Instrument.objects.filter(pk=srs.pk).update(definition=definition)
    facts.refresh_outdated()
    assert sum(SessionFact.objects.values_list("srs_flagged", flat=True)) == 2  # the 31s


def test_deleting_a_helper_and_a_team(caseload):
    facts.refresh_outdated()
    caseload[0].sessions.first().helper.delete()
    caseload[1].team.delete()
    assert_facts_are_true()


@pytest.mark.parametrize("delete", [False, True])
def test_retention(caseload, delete):
    old = caseload[0]
    close_episode(old, end_date=D(2026, 3, 2), end_reason="planned")
    EpisodeFactory(client=old.client, start_date=D(2026, 5, 4))  # still being helped
    apply_retention(old.service, D(2040, 1, 1), delete=delete)
    assert_facts_are_true()


def test_importing_ratings(caseload, tmp_path):
    path = tmp_path / "ratings.csv"
    call_command("export_ratings", "--service", "facts", "--output", str(path))
    for episode in caseload:
        # Import links only accounts that are helpers in the row's service (issue #11).
        MembershipFactory(user=episode.helpers.get(), service=episode.service)
        erase_client(episode.client)
    call_command("import_ratings", str(path), stdout=io.StringIO())
    assert not SessionFact.objects.exists()  # not yet: the next read rebuilds them
    assert_facts_are_true()
    assert SessionFact.objects.count() == 6


def test_a_dashboard_read_takes_in_every_change_before_it_counts(caseload):
    service = caseload[0].service
    period = custom(D(2026, 1, 1), D(2026, 12, 31))
    before = build_dashboard(service, period).report["sessions"]
    for index in range(3):
        create_session(caseload[0], date=D(2026, 4, 6 + index), helper=None)
    assert PendingChange.objects.exists()
    assert build_dashboard(service, period).report["sessions"] == before + 3
    assert not PendingChange.objects.exists()


def test_facts_judged_under_other_norms_are_rebuilt(caseload):
    service = caseload[0].service
    for episode in caseload:
        close_episode(episode, end_date=D(2026, 3, 2), end_reason="planned")
    facts.refresh_outdated()
    assert set(EpisodeFact.objects.values_list("clinical", flat=True)) == {1}  # 15 < 25
    ors = Instrument.objects.get(key="ors", version=1)
    definition = ors.definition
    definition["norms"]["adult"]["cutoff"] = 12
    Instrument.objects.filter(pk=ors.pk).update(definition=definition)
    build_dashboard(service, custom(D(2026, 1, 1), D(2026, 12, 31)))
    assert set(EpisodeFact.objects.values_list("clinical", flat=True)) == {0}  # 15 ≥ 12


def test_a_rebuild_costs_the_same_queries_for_few_and_many_clients(django_assert_num_queries):
    service = ServiceFactory(code="many")
    team = TeamFactory(service=service)

    def clients(count):
        ids = []
        for _ in range(count):
            session = SessionFactory(
                episode__client__service=service, episode__team=team, date=D(2026, 2, 2)
            )
            RatingFactory(session=session)
            ids.append(session.episode.client_id)
        return ids

    few, many = clients(2), clients(40)
    facts.refresh_outdated()
    facts.mark_outdated(few)
    with CaptureQueriesContext(connection) as rebuilt_few:
        facts.refresh_outdated()
    facts.mark_outdated(many)
    with django_assert_num_queries(len(rebuilt_few)):
        facts.refresh_outdated()


def test_the_command_rebuilds_everything_or_only_what_is_pending(caseload):
    out = io.StringIO()
    call_command("rebuild_dashboard_facts", "--pending", stdout=out)
    assert "2 clients" in out.getvalue()
    call_command("rebuild_dashboard_facts", "--pending", stdout=out)
    assert "0 clients" in out.getvalue()
    DailyActivity.objects.update(sessions=99)  # damaged
    call_command("rebuild_dashboard_facts", "--service", "facts", stdout=out)
    assert set(DailyActivity.objects.values_list("sessions", flat=True)) == {1}
    with pytest.raises(CommandError, match="No service"):
        call_command("rebuild_dashboard_facts", "--service", "nowhere")


# -- concurrency (PostgreSQL) -----------------------------------------------------------------


def in_thread(work, errors: list) -> threading.Thread:
    def run():
        try:
            work()
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


class HeldRebuild:
    """A reader rebuilding one client's facts, stopped before it commits until `finish()`."""

    def __init__(self, monkeypatch):
        self.session = SessionFactory(episode__client__service=ServiceFactory(code="busy"))
        RatingFactory(session=self.session, score=10)
        facts.refresh_outdated()
        self.errors, self.rebuilding, self.go_on = [], threading.Event(), threading.Event()
        self.real = facts._rebuild
        self.monkeypatch = monkeypatch

        def slow_rebuild(*args):
            self.real(*args)
            self.rebuilding.set()
            assert self.go_on.wait(30)

        monkeypatch.setattr(facts, "_rebuild", slow_rebuild)
        facts.mark_outdated([self.session.episode.client_id])
        self.reader = in_thread(facts.refresh_outdated, self.errors)
        assert self.rebuilding.wait(30)

    def finish(self):
        self.go_on.set()
        self.reader.join()
        self.monkeypatch.setattr(facts, "_rebuild", self.real)


@pytest.fixture
def held_rebuild(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's concurrent writers (SQLite serialises all writes)")
    held = HeldRebuild(monkeypatch)
    yield held
    held.finish()


@pytest.mark.django_db(transaction=True)
def test_a_change_committed_during_a_rebuild_is_not_lost(held_rebuild):
    session = held_rebuild.session
    later = SessionFactory(episode=session.episode, number=2, date=D(2026, 2, 2))
    RatingFactory(session=later, score=30)  # committed while the reader still rebuilds
    held_rebuild.finish()
    assert held_rebuild.errors == []
    assert PendingChange.objects.filter(client_id=session.episode.client_id).exists()
    facts.refresh_outdated()
    assert EpisodeFact.objects.get(episode=session.episode).end == 30.0
    assert_facts_are_true()


@pytest.mark.django_db(transaction=True)
def test_a_delete_waits_for_a_rebuild_under_way(held_rebuild):
    pk = held_rebuild.session.pk
    deleter = in_thread(lambda: Session.objects.get(pk=pk).delete(), held_rebuild.errors)
    deleter.join(1)
    assert deleter.is_alive()  # waiting for the rebuild, not failing behind it
    held_rebuild.finish()
    deleter.join()
    assert held_rebuild.errors == []
    assert_facts_are_true()
    assert not SessionFact.objects.exists()
