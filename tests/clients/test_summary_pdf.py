"""The per-client summary PDF for the record system (issue #15 item 10): chart, scores and
signals under the client's code only, in Norwegian formats, for those who may see the client,
and in the access log as an export."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from services.accounts.models import Role
from services.audit.models import Action, AuditEvent
from services.clients.episodes import close_episode
from services.clients.final_outcome import TITLES as OUTCOMES
from services.clients.models import Client
from services.clients.summary_pdf import summary_for, summary_pages
from services.clients.views import _episode_progress
from services.measures.scoring import OutcomeCategory
from services.measures.signals import TITLES, Signal
from tests.factories import (
    EpisodeFactory,
    MembershipFactory,
    RatingFactory,
    SessionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

START = datetime.date(2026, 1, 5)
TODAY = datetime.date(2026, 3, 14)


def episode_with(helper, service, ors, **kwargs):
    episode = EpisodeFactory(
        client__service=service, client__display_name="Kari Nordmann", start_date=START, **kwargs
    )
    episode.helpers.add(helper)
    for number, score in enumerate(ors, start=1):
        session = SessionFactory(
            episode=episode, number=number, date=START + datetime.timedelta(days=7 * (number - 1))
        )
        RatingFactory(session=session, score=score)
        RatingFactory(session=session, key="srs", score=38.5)
    return episode


def texts(episode, language="nb") -> dict[str, str]:
    """Every text on the summary's pages, by its id (or a running number without one)."""
    with translation.override(language):
        client = Client.objects.select_related("service").get(pk=episode.client_id)
        summary = summary_for(client, episode, _episode_progress(client, episode), TODAY)
        found = {}
        for page, figure in enumerate(summary_pages(summary)):
            for index, text in enumerate(figure.texts):
                found[text.get_gid() or f"page-{page}-{index}"] = text.get_text()
        found["pages"] = str(page + 1)
        return found


def test_the_summary_is_a_pdf_named_by_code_and_date_and_logged_as_an_export(
    client, helper, service
):
    episode = episode_with(helper, service, [14.2, 18.0, 22.5])
    client.force_login(helper)
    url = reverse("clients:summary_pdf", args=[episode.client_id, episode.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert b"Kari" not in response.content and b"CreationDate" not in response.content
    today = timezone.localdate().isoformat()
    name = f"{episode.client.code}-{episode.code}-oppsummering-{today}.pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    event = AuditEvent.objects.get(client_id=episode.client_id, action=Action.EXPORT)
    assert (event.user, event.detail) == (helper, f"summary pdf {episode.code}")


def test_the_summary_names_the_client_by_code_only_in_norwegian_formats(helper, service):
    episode = episode_with(helper, service, [14.2, 18.0, 22.5])
    shown = texts(episode)
    everything = "\n".join(shown.values())
    assert "Kari" not in everything and "Nordmann" not in everything
    assert episode.client.code in shown["client"]
    assert "05.01.2026" in shown["episode"]
    assert [shown[f"score-1-{column}"] for column in range(4)] == [
        "1",
        "05.01.2026",
        "14,2",
        "38,5",
    ]
    assert shown["score-3-2"] == "22,5"
    assert "14.03.2026" in shown["footer-1"]
    assert not re.search(r"\b\d+\.\d\b", everything), "a decimal point in Norwegian text"


def test_an_open_episode_lists_its_signals_with_the_rule_that_raised_them(helper, service):
    shown = texts(episode_with(helper, service, [20, 16, 13]), language="en")
    assert shown["signal-0"].startswith(f"{TITLES[Signal.DETERIORATED]}: ORS 13.0")
    assert "outcome" not in shown


def test_a_closed_episode_gives_its_final_category_instead_of_signals(helper, service):
    episode = episode_with(helper, service, [20, 16, 13])
    close_episode(episode, end_date=TODAY, end_reason="planned")
    shown = texts(episode, language="en")
    assert shown["outcome"] == str(OUTCOMES[OutcomeCategory.DETERIORATED])
    assert "20.0" in shown["outcome-detail"] and "13.0" in shown["outcome-detail"]
    assert not [key for key in shown if key.startswith("signal-")]


def test_a_long_episode_runs_over_pages_and_keeps_every_session(helper, service):
    shown = texts(episode_with(helper, service, [15 + n % 10 for n in range(40)]), language="en")
    assert int(shown["pages"]) >= 2
    assert all(f"score-{number}-0" in shown for number in range(1, 41))
    assert shown[f"footer-{shown['pages']}"].endswith(f"page {shown['pages']} of {shown['pages']}")


def test_a_client_code_with_quotes_or_letters_beyond_ascii_is_a_safe_file_name(
    client, helper, service
):
    episode = episode_with(helper, service, [20, 22], client__code='Å"1')
    client.force_login(helper)
    response = client.get(reverse("clients:summary_pdf", args=[episode.client_id, episode.pk]))
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename*=utf-8''%C3%85%221-")
    assert '"1' not in disposition


def test_someone_who_may_not_see_the_client_gets_a_404_and_nothing_is_logged(
    client, helper, service
):
    episode = episode_with(helper, service, [20, 22])
    stranger = UserFactory(username="annen")
    other = EpisodeFactory(client__service=service)
    other.helpers.add(stranger)
    MembershipFactory(user=stranger, service=service, role=Role.HELPER)
    client.force_login(stranger)
    response = client.get(reverse("clients:summary_pdf", args=[episode.client_id, episode.pk]))
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()
