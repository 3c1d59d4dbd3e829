"""The caseload reads one stored summary per open episode (issue #14), judged as the client page
judges it, and rebuilt whenever the data or the service's rules change."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from services.accounts.models import Role
from services.clients import access
from services.clients.caseload import up_to_date
from services.clients.episodes import change_age, close_episode
from services.clients.progress import load_rules, signals_for
from services.dashboards.models import EpisodeSummary
from services.measures.models import Instrument
from services.ratings.series import episode_series
from tests.factories import (
    EpisodeFactory,
    MembershipFactory,
    RatingFactory,
    ServiceFactory,
    SessionFactory,
    TeamFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
D = datetime.date


def episode_with(helper, service, ors, srs=(), **kwargs):
    episode = EpisodeFactory(client__service=service, **kwargs)
    episode.helpers.add(helper)
    for number, score in enumerate(ors, start=1):
        session = SessionFactory(episode=episode, number=number, date=D(2026, 1, number))
        if score is not None:
            RatingFactory(session=session, score=score)
        if number <= len(srs):
            RatingFactory(session=session, key="srs", score=srs[number - 1])
    return episode


def summary_of(episode) -> EpisodeSummary:
    up_to_date([episode.service_id])
    return EpisodeSummary.objects.get(episode=episode)


def test_a_summary_holds_what_the_client_page_judges(helper, service):
    episode = episode_with(helper, service, [20, 16, 13], [39, 34, 30])
    summary = summary_of(episode)
    records = episode_series([episode.pk])[episode.pk]
    judged = signals_for(records, service.pk, load_rules([service.pk]))
    assert summary.signals == "," + ",".join(judged) + ","
    assert (summary.sessions, summary.last_session) == (3, D(2026, 1, 3))
    assert (summary.intake, summary.latest, summary.change) == (20, 13, -7)
    assert summary.latest_srs == 30
    assert [key for key, _, _ in summary.badges] == list(judged)


def test_signal_details_are_kept_in_every_language(helper, service):
    summary = summary_of(episode_with(helper, service, [20, 16, 13], [39, 39, 39]))
    with translation.override("nb"):
        nb = dict((key, detail) for key, _, detail in summary.badges)
    with translation.override("en"):
        en = dict((key, detail) for key, _, detail in summary.badges)
    assert "under" in nb["deteriorated"] and "below" in en["deteriorated"]
    assert "13,0" in nb["deteriorated"] and "13.0" in en["deteriorated"]


def test_a_closed_episode_leaves_the_caseload(helper, service):
    episode = episode_with(helper, service, [20, 22])
    assert summary_of(episode)
    close_episode(episode, end_date=D(2026, 2, 1), end_reason="planned")
    up_to_date([service.pk])
    assert not EpisodeSummary.objects.filter(episode=episode).exists()


def test_a_new_alliance_threshold_is_judged_anew_on_the_next_read(helper, service):
    episode = episode_with(helper, service, [20, 22, 24], [33, 33, 33])
    assert "alliance" in summary_of(episode).signals
    srs = Instrument.objects.get(key="srs", version=1)
    definition = srs.definition
    definition["alliance"]["threshold"] = 30
    definition["alliance"]["item_threshold"] = 5
    Instrument.objects.filter(pk=srs.pk).update(definition=definition)  # no signal is sent
    assert "alliance" not in summary_of(episode).signals


def test_another_alerting_level_is_judged_anew_on_the_next_read(helper, service):
    episode = episode_with(helper, service, [20, 22, 24])
    key = summary_of(episode).rules_key
    service.off_track_alert = "orange"
    service.save()
    assert summary_of(episode).rules_key != key


def test_a_corrected_age_group_is_judged_anew(helper, service):
    episode = episode_with(helper, service, [20, 22, 24])
    assert summary_of(episode).intake == 20
    change_age(episode.client, age_group="adolescent", birth_year=None, birth_month=None)
    assert summary_of(episode).intake == 20  # the ratings keep their group: same intake
    assert not EpisodeSummary.objects.exclude(rules_key=summary_of(episode).rules_key).exists()


def test_the_caseload_sorts_and_pages_in_the_database(client, helper, service):
    for index in range(55):
        episode_with(
            helper, service, [20 + index % 5] * (1 + index % 3), client__code=f"K{index:02}"
        )
    client.force_login(helper)
    url = reverse("clients:caseload")
    first = client.get(url, {"sort": "client"}).content.decode()
    assert "K00" in first and "K49" in first and "K50" not in first
    second = client.get(url, {"sort": "client", "page": 2}).content.decode()
    assert "K50" in second and "K54" in second and "K49" not in second
    latest = client.get(url, {"sort": "last"}).content.decode()
    # Three sessions end on 3 January, the latest day: K02, K05, K08 ... come first.
    assert latest.index("K02") < latest.index("K00")


def test_the_caseload_shows_exactly_the_episodes_the_access_rules_allow(client, service, team):
    """`access.visible_rows` (the caseload's filter) agrees with `visible_episodes` for a
    responsible helper, team access and a leader granted identified clients."""
    other_team = TeamFactory(service=service)
    elsewhere = ServiceFactory(code="annen", team_access=True)
    elsewhere_team = TeamFactory(service=elsewhere)
    user = UserFactory()
    MembershipFactory(user=user, service=service, role=Role.HELPER, team=team)
    MembershipFactory(user=user, service=elsewhere, role=Role.HELPER, team=elsewhere_team)
    granted = ServiceFactory(code="innsyn")
    MembershipFactory(user=user, service=granted, role=Role.LEADER, can_view_clients=True)
    colleague = UserFactory()
    mine = episode_with(user, service, [20], team=other_team)
    team_mates = episode_with(colleague, elsewhere, [20], team=elsewhere_team)
    no_team_access = episode_with(colleague, service, [20], team=team)
    in_granted = episode_with(colleague, granted, [20])
    stranger = episode_with(colleague, ServiceFactory(code="fremmed"), [20])
    memberships = access.listing_memberships(user)
    up_to_date({mine.service_id, elsewhere.pk, granted.pk, stranger.service_id})
    shown = set(
        EpisodeSummary.objects.filter(access.visible_rows(user, memberships)).values_list(
            "episode_id", flat=True
        )
    )
    allowed = set(access.visible_episodes(user).values_list("pk", flat=True))
    assert shown == allowed == {mine.pk, team_mates.pk, in_granted.pk}
    assert no_team_access.pk not in shown and stranger.pk not in shown


def test_a_row_escapes_what_people_typed_and_formats_figures_as_the_filters_do(
    client, helper, service
):
    """The rows are written with `str.format` (issue #14): what a helper typed is escaped, and
    the figures read as the `score` filter and the date format show them."""
    episode = episode_with(
        helper, service, [12.5, 20, 31], client__code="K<1>", client__display_name='<b>"Ola"</b>'
    )
    client.force_login(helper)
    with translation.override("nb"):
        page = client.get(reverse("clients:caseload")).content.decode()
    assert "K&lt;1&gt;" in page and "&lt;b&gt;&quot;Ola&quot;&lt;/b&gt;" in page
    assert "<b>" not in page
    assert f'href="/klienter/{episode.client_id}/?episode={episode.pk}"' in page
    assert 'data-label="Første ORS">12,5<' in page
    assert '<span aria-hidden="true">↑</span> +18,5' in page
    assert ">03.01.2026<" in page
