"""Signals, sparklines and charts on the caseload and the client page."""

import pytest
from django.urls import reverse

from tests.factories import EpisodeFactory, RatingFactory, SessionFactory

pytestmark = pytest.mark.django_db


def episode_with(helper, service, ors, srs=(), **kwargs):
    episode = EpisodeFactory(client__service=service, **kwargs)
    episode.helpers.add(helper)
    for number, score in enumerate(ors, start=1):
        session = SessionFactory(episode=episode, number=number)
        if score is not None:
            RatingFactory(session=session, score=score)
        if number <= len(srs) and srs[number - 1] is not None:
            RatingFactory(session=session, key="srs", score=srs[number - 1])
    return episode


def test_the_caseload_shows_signals_first_with_a_sparkline(client, helper, service):
    calm = episode_with(helper, service, [15, 20, 24], [39, 39, 39], client__code="CALM")
    worse = episode_with(helper, service, [20, 16, 13], [39, 39, 39], client__code="WORSE")
    client.force_login(helper)
    page = client.get(reverse("clients:caseload")).content.decode()
    assert page.index("WORSE") < page.index("CALM")
    assert "signal-deteriorated" in page
    assert "Pålitelig forverring" in page
    assert page.count("<svg") == 2
    filtered = client.get(reverse("clients:caseload"), {"signal": "deteriorated"}).content.decode()
    assert "WORSE" in filtered and "CALM" not in filtered
    assert (
        calm.client.code
        in client.get(reverse("clients:caseload"), {"sort": "client"}).content.decode()
    )
    assert worse


def test_the_client_page_shows_the_chart_signals_and_a_text_alternative(client, helper, service):
    episode = episode_with(helper, service, [20, 16, 13], [39, 34, 30])
    client.force_login(helper)
    page = client.get(reverse("clients:detail", args=[episode.client_id])).content.decode()
    assert 'id="cutoff-line"' in page
    assert 'id="expected-trajectory"' in page
    assert "Snakk om samarbeidet" in page
    assert "3 skåringer av livet, første 20,0, siste 13,0" in page
    assert "ikke en dom" in page


def test_the_client_view_has_no_clinical_wording(client, helper, service):
    episode = episode_with(helper, service, [12, 18, 22])
    client.force_login(helper)
    page = client.get(
        reverse("clients:detail", args=[episode.client_id]), {"view": "client"}
    ).content.decode()
    chart = page[page.index("<figure") : page.index("</figure>")]
    assert "Klinisk" not in chart and "grense" not in chart
    assert "cutoff-line" not in chart


def test_the_chart_downloads_as_png_and_is_audited(client, helper, service):
    episode = episode_with(helper, service, [12, 18, 22])
    client.force_login(helper)
    url = reverse("clients:chart_png", args=[episode.client_id, episode.pk])
    response = client.get(url, {"view": "items"})
    assert response["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG")
    assert client.get(url, {"view": "nonsense"}).status_code == 404


@pytest.mark.parametrize("sessions", [3, 40])
def test_the_client_page_costs_the_same_whatever_its_size(
    client, helper, service, sessions, django_assert_max_num_queries
):
    episode = episode_with(
        helper, service, [15 + (n % 10) for n in range(sessions)], [36] * sessions
    )
    client.force_login(helper)
    with django_assert_max_num_queries(17):
        response = client.get(reverse("clients:detail", args=[episode.client_id]))
    assert response.status_code == 200
