"""The client page's chart area (issue #15): "Vis klienten" on the whole screen (item 6), and a
closed episode's final category instead of the live signals (item 9)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from services.audit.models import Action, AuditEvent
from services.clients.episodes import close_episode
from services.clients.final_outcome import TITLES, TOO_FEW, final_outcome
from services.clients.progress import load_rules
from services.dashboards import facts
from services.dashboards.models import EpisodeFact
from services.measures.scoring import OutcomeCategory
from services.measures.signals import TITLES as SIGNAL_TITLES
from services.measures.signals import Signal
from services.ratings.series import episode_series
from tests.factories import EpisodeFactory, RatingFactory, SessionFactory

pytestmark = pytest.mark.django_db

START = datetime.date(2026, 1, 5)


def episode_with(helper, service, ors, dates=None, **kwargs):
    episode = EpisodeFactory(client__service=service, start_date=START, **kwargs)
    episode.helpers.add(helper)
    for number, score in enumerate(ors, start=1):
        day = dates[number - 1] if dates else START + datetime.timedelta(days=7 * (number - 1))
        session = SessionFactory(episode=episode, number=number, date=day)
        RatingFactory(session=session, score=score)
        RatingFactory(session=session, key="srs", score=38)
    return episode


def close(episode):
    close_episode(episode, end_date=datetime.date(2026, 3, 30), end_reason="planned")


def page(client, episode, **query) -> str:
    url = reverse("clients:detail", args=[episode.client_id])
    return client.get(url, {"episode": episode.pk, **query}).content.decode()


def nb(text) -> str:
    with translation.override("nb"):
        return str(text)


def test_a_closed_episode_shows_its_final_category_not_the_live_signal(client, helper, service):
    episode = episode_with(helper, service, [20, 21, 22, 21, 20])
    client.force_login(helper)
    live = nb(SIGNAL_TITLES[Signal.NO_CHANGE])  # "Ingen pålitelig endring ennå"
    assert live in page(client, episode)
    close(episode)
    shown = page(client, episode)
    assert live not in shown
    assert 'id="signal-markers"' not in shown
    outcome = shown[shown.index('id="final-outcome"') : shown.index("<figure")]
    assert nb(TITLES[OutcomeCategory.UNCHANGED]) in outcome
    assert "20,0" in outcome


@pytest.mark.parametrize(
    ("ors", "dates", "expected"),
    [
        ([14, 22], None, OutcomeCategory.IMPROVED),
        ([20, 27], None, OutcomeCategory.RECOVERED),
        ([22, 16], None, OutcomeCategory.DETERIORATED),
        ([20, 23], None, OutcomeCategory.UNCHANGED),
        ([20], None, TOO_FEW),
        # Session 2 was held before session 1: the figures go by date, and so does the page.
        ([20, 27], [START + datetime.timedelta(days=7), START], OutcomeCategory.DETERIORATED),
    ],
)
def test_the_category_is_the_one_the_outcome_figures_count(helper, service, ors, dates, expected):
    episode = episode_with(helper, service, ors, dates)
    close(episode)
    facts.refresh_outdated()
    fact = EpisodeFact.objects.get(episode=episode)
    if not fact.paired:
        figures = TOO_FEW
    elif fact.recovered:
        figures = OutcomeCategory.RECOVERED
    elif fact.improved:
        figures = OutcomeCategory.IMPROVED
    elif fact.deteriorated:
        figures = OutcomeCategory.DETERIORATED
    else:
        figures = OutcomeCategory.UNCHANGED
    records = episode_series([episode.pk])[episode.pk]
    outcome = final_outcome(records, load_rules([service.pk]).forms)
    assert outcome.key == figures == expected


def test_an_open_episode_has_no_final_category(client, helper, service):
    episode = episode_with(helper, service, [14, 22])
    client.force_login(helper)
    assert 'id="final-outcome"' not in page(client, episode)


def test_the_client_page_opens_the_client_view(client, helper, service):
    episode = episode_with(helper, service, [12, 18, 22])
    client.force_login(helper)
    url = reverse("clients:show_client", args=[episode.client_id, episode.pk])
    assert f'href="{url}"' in page(client, episode)


def test_the_client_view_shows_the_clients_chart_alone(client, helper, service):
    episode = episode_with(helper, service, [12, 18, 22], client__display_name="Kari Nordmann")
    client.force_login(helper)
    url = reverse("clients:show_client", args=[episode.client_id, episode.pk])
    response = client.get(url)
    assert response.status_code == 200
    shown = response.content.decode()
    assert shown.count('id="client-panel"') == 2  # landscape and portrait
    for staff_only in (
        "<nav",
        "<table",
        "<form",
        "cutoff-line",
        "Kari Nordmann",
        episode.client.code,
    ):
        assert staff_only not in shown, staff_only
    back = f"{reverse('clients:detail', args=[episode.client_id])}?episode={episode.pk}"
    assert f'href="{back}"' in shown
    event = AuditEvent.objects.get(client_id=episode.client_id, detail="client view")
    assert (event.action, event.user) == (Action.VIEW, helper)


def test_the_client_view_is_refused_to_a_helper_who_may_not_see_the_client(client, helper, service):
    episode = episode_with(helper, service, [12, 18])
    other = episode_with(helper, service, [15])
    client.force_login(helper)
    mixed = reverse("clients:show_client", args=[episode.client_id, other.pk])
    assert client.get(mixed).status_code == 404
