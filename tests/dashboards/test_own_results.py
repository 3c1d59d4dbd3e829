"""A helper's own results (issue #16, item 6): only their own, beside the whole service's.

Who may see it (the viewer alone; leaders and colleagues get a 404), the small-number rule on
the helper's figures (with how many more are needed) and on the service's beside them, no
other helper named, the same figures as the dashboard, an audited view, and a fixed number of
queries.
"""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from services.accounts.models import Role, Service, User
from services.audit.models import Action, AuditEvent
from services.dashboards import periods
from services.dashboards.figures import build_dashboard
from services.dashboards.own_results import (
    BASES,
    FIGURES,
    Line,
    Side,
    compare,
    gives_away,
    sentence,
    side,
)
from services.dashboards.suppression import WITHHELD, Figure
from tests.factories import (
    EpisodeFactory,
    MembershipFactory,
    RatingFactory,
    ServiceFactory,
    SessionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
URL = reverse("dashboards:own_results")
START, END = datetime.date(2026, 1, 1), datetime.date(2026, 6, 30)
PERIOD = {"period": "custom", "from": START.isoformat(), "to": END.isoformat()}
OTHER_HELPERS = ("Ali Hassan", "Marte Berg", "Jonas Lie", "Ingrid Dahl", "Petter Moen")


@pytest.fixture
def demo():
    call_command("seed_demo", clients=60, service="demo", seed=5, stdout=None)
    return Service.objects.get(code="demo")


def english(user):
    user.language = "en"
    user.save(update_fields=["language"])
    return user


def finished(service, helper, count, *, start=15, end=30):
    """`count` episodes of `helper`, each ended in the period with two client ORS on it."""
    for _ in range(count):
        episode = EpisodeFactory(
            client__service=service,
            start_date=datetime.date(2026, 2, 2),
            end_date=datetime.date(2026, 3, 2),
            end_reason="planned",
        )
        episode.helpers.add(helper)
        for number, (day, score) in enumerate(((2, start), (23, end)), start=1):
            session = SessionFactory(
                episode=episode, number=number, date=datetime.date(2026, 2, day), helper=helper
            )
            RatingFactory(session=session, score=score)


def helper_of(service, username):
    user = english(UserFactory(username=username, first_name=username.title()))
    MembershipFactory(user=user, service=service, role=Role.HELPER)
    return user


# The page: only the viewer's own.


def test_a_helper_sees_their_own_figures_beside_the_services(client, demo):
    helper = User.objects.get(username="hjelper")
    client.force_login(helper)
    response = client.get(URL, {"period": "12m"})
    assert response.status_code == 200
    period = periods.last_months(timezone.localdate(), 12)
    own = build_dashboard(demo, period, helper_id=helper.pk, units=[])
    whole = build_dashboard(demo, period, units=[])
    rows = {row.line.key: row.line for s in response.context["sections"] for row in s.rows}
    assert rows["better"].own == own.row("improved").current
    assert rows["worse"].own == own.row("deteriorated").current
    assert rows["effect_size"].own == own.row("effect_size").current
    assert rows["alliance_mean"].own == own.row("alliance_mean").current
    assert rows["ors"].own == own.row("ors").current
    assert rows["better"].own.shown and rows["better"].service == whole.row("improved").current
    assert rows["ors"].service == whole.row("ors").current


def test_the_page_names_no_other_helper_and_ranks_no_one(client, demo):
    client.force_login(User.objects.get(username="hjelper"))
    page = client.get(URL).content.decode()
    for name in OTHER_HELPERS:
        assert name not in page
    assert "Team voksne" not in page  # no team either: the helper and the whole service only
    assert "Kari Nordmann" in page  # the viewer, in the menu


def test_naming_another_helper_is_404_for_colleagues_and_leaders(client, demo):
    kari = User.objects.get(username="hjelper")
    for username in ("hjelper2", "hjelper4", "leder", "admin"):
        client.force_login(User.objects.get(username=username))
        assert client.get(URL, {"helper": kari.pk}).status_code == 404, username
    client.force_login(kari)
    assert client.get(URL, {"helper": kari.pk}).status_code == 200


def test_a_leader_or_administrator_without_a_helper_membership_gets_404(client, demo):
    for username in ("leder", "admin"):
        client.force_login(User.objects.get(username=username))
        assert client.get(URL).status_code == 404


def test_a_leader_who_also_helps_sees_their_own_results(client, demo):
    leader = User.objects.get(username="leder")
    MembershipFactory(user=leader, service=demo, role=Role.HELPER)
    client.force_login(leader)
    assert client.get(URL).status_code == 200


def test_a_service_the_helper_does_not_help_in_is_404(client, demo):
    helper = User.objects.get(username="hjelper")
    other = ServiceFactory(code="bergen")
    client.force_login(helper)
    assert client.get(URL, {"service": other.code}).status_code == 404
    assert client.get(URL, {"service": demo.code}).status_code == 200


def test_a_helper_in_two_services_picks_one(client, demo):
    helper = User.objects.get(username="hjelper")
    other = ServiceFactory(code="bergen", name="Bergen lavterskel")
    MembershipFactory(user=helper, service=other, role=Role.HELPER)
    client.force_login(helper)
    response = client.get(URL, {"service": "bergen"})
    assert response.context["service"] == other
    assert 'name="service"' in response.content.decode()


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_the_view_is_audited(client, demo):
    helper = User.objects.get(username="hjelper")
    client.force_login(helper)
    client.get(URL, {"period": "6m"})
    event = AuditEvent.objects.get(action=Action.VIEW, user=helper)
    assert event.service_id == demo.pk
    assert (event.object_type, event.object_id) == ("user", str(helper.pk))
    period = periods.last_months(timezone.localdate(), 6)
    assert event.detail == f"own results {period.start.isoformat()}..{period.end.isoformat()}"


def test_a_bad_period_falls_back_to_twelve_months(client, demo):
    client.force_login(User.objects.get(username="hjelper"))
    response = client.get(URL, {"period": "custom", "from": "x"})
    assert response.status_code == 200
    assert response.context["period"].key == "12m"


# The small-number rule.


def test_too_few_of_ones_own_says_how_many_more_are_needed(client, service):
    me = helper_of(service, "meg")
    others = [helper_of(service, f"kollega{i}") for i in range(2)]
    finished(service, me, 3)
    for other in others:
        finished(service, other, 4)
    client.force_login(me)
    response = client.get(URL, PERIOD)
    page = response.content.decode()
    rows = {row.line.key: row.line for s in response.context["sections"] for row in s.rows}
    assert rows["better"].own.suppressed and rows["better"].needed == 2
    assert rows["better"].service.shown  # 11 episodes, 8 of them others'
    assert (
        "Too few to show yet: 3 of your episodes ended with a first and a last rating; "
        "2 more are needed." in page
    )
    outcomes = response.context["sections"][0]
    assert outcomes.lead and all(not row.sentence for row in outcomes.rows)
    for other in others:
        assert other.username not in page and other.first_name not in page


def test_the_service_figure_is_held_back_where_it_would_tell_of_a_few_others(client, service):
    me = helper_of(service, "meg")
    other = helper_of(service, "kollega")
    finished(service, me, 6)
    finished(service, other, 2, start=30, end=10)  # the colleague's two got worse
    client.force_login(me)
    response = client.get(URL, PERIOD)
    rows = {row.line.key: row.line for s in response.context["sections"] for row in s.rows}
    assert rows["better"].own.shown and rows["better"].own.value == 1.0
    # 8 in all, 6 mine: the service's share would give the colleague's two away.
    assert rows["better"].held_back and rows["better"].service == WITHHELD
    assert rows["worse"].held_back
    page = response.content.decode()
    assert "data-held-back" in page
    assert "25,0" not in page and "25.0" not in page  # the service's 2 of 8 worse


def test_nothing_yet_is_said_plainly(client, service):
    me = helper_of(service, "meg")
    client.force_login(me)
    page = client.get(URL, PERIOD).content.decode()
    assert "None of your episodes ended with a first and a last rating in this period." in page
    assert "You had no sessions in this period." in page


# The comparison, as pure functions.


def _side(count, value=0.5):
    figure = Figure(value, count) if count >= 5 else WITHHELD
    return Side(
        figures=dict.fromkeys(FIGURES, figure),
        counts=dict.fromkeys(BASES, count),
        intervals={},
        adjusted=True,
    )


@pytest.mark.parametrize(
    ("own", "service", "held"),
    [(0, 3, False), (5, 5, False), (5, 6, True), (5, 9, True), (5, 10, False), (2, 6, True)],
)
def test_gives_away_where_the_others_are_one_to_four(own, service, held):
    assert gives_away(own, service) is held


def test_compare_counts_what_is_needed_and_holds_back_the_service():
    lines = compare(_side(3), _side(7))
    assert lines["better"].needed == 2 and lines["better"].own.suppressed
    assert lines["better"].held_back and lines["better"].service == WITHHELD
    lines = compare(_side(6), _side(20))
    assert lines["better"].needed == 0 and not lines["better"].held_back
    assert lines["better"].service == Figure(0.5, 20)


def test_sentences_are_plain():
    def line(key, basis, style, value, count=10):
        figure = Figure(value, count)
        return Line(key, basis, style, figure, figure, count, 0, False)

    with translation.override("en"):
        assert sentence(line("better", "outcomes", "percent", 0.7)) == (
            "70 % of your clients got clearly better."
        )
        assert sentence(line("worse", "outcomes", "percent", 0.0)) == (
            "None of your clients got clearly worse."
        )
        assert "a large change for the better" in sentence(
            line("effect_size", "outcomes", "decimal", 0.92)
        )
        assert "hardly any change" in sentence(line("effect_size", "outcomes", "decimal", -0.1))


def test_side_reads_the_dashboards_figures(demo):
    dashboard = build_dashboard(demo, periods.last_months(timezone.localdate(), 12), units=[])
    got = side(dashboard)
    assert got.figures["better"] == dashboard.row("improved").current
    assert got.counts["outcomes"] == dashboard.report["outcomes"]["n"]
    assert got.adjusted == (dashboard.reference is not None)


# What it costs.


@pytest.mark.parametrize("clients", [15, 90])
def test_the_page_costs_a_constant_number_of_queries(
    client, clients, django_assert_max_num_queries
):
    call_command("seed_demo", clients=clients, service="demo", seed=5, stdout=None)
    client.force_login(User.objects.get(username="hjelper"))
    # The login session, user, memberships, instruments, facts to refresh (two), four
    # statements (two for the helper, two for the service), the audit row, roles for the menu,
    # and saving the session (three, with its savepoint).
    with django_assert_max_num_queries(15):
        assert client.get(URL).status_code == 200


def test_the_menu_links_helpers_to_their_results(client, helper, leader):
    client.force_login(helper)
    assert URL in client.get(reverse("home")).content.decode()
    client.force_login(leader)
    assert URL not in client.get(reverse("home")).content.decode()
