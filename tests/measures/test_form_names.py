"""One name per form (issue #15, item 9): the helper's pages name a form by its definition's own
name ("Hvordan har livet vært? (ORS-stil)"), not by its purpose ("Hvordan livet går") or an
abbreviation ("(ORS)"), and the paper form names each line by its question, not "Linje 1–4"."""

import datetime
import json
import re
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from services.measures.definitions import translate
from services.ratings.handovers import prepare_handover
from services.sessions.models import Session
from tests.factories import EpisodeFactory, RatingFactory, instrument

pytestmark = pytest.mark.django_db


def name_of(key: str) -> str:
    return translate(instrument(key).spec.name, "nb")


def lines_of(key: str) -> list[str]:
    return [translate(item.label, "nb") for item in instrument(key).spec.items]


@pytest.fixture
def staff(client, helper):
    client.force_login(helper)
    return client


def episode_of(helper, service, team, age_group="adult"):
    episode = EpisodeFactory(
        client__service=service,
        client__age_group=age_group,
        team=team,
        start_date=timezone.localdate() - datetime.timedelta(days=30),
    )
    episode.helpers.add(helper)
    return episode


@pytest.fixture
def episode(helper, service, team):
    return episode_of(helper, service, team)


def without_charts(page: str) -> str:
    """The page without its drawn charts (their labels are another matter, see the report)."""
    return re.sub(r"<svg.*?</svg>", "", page, flags=re.S)


def labels(page: str) -> dict[str, str]:
    """The paper form's line fields: input name → its label's text."""
    found = re.findall(r'<label\s+for="id_(item\d+)"[^>]*>\s*(.*?)\s*</label>', page, re.S)
    return {name: re.sub(r"<[^>]+>|\s+", " ", text).strip() for name, text in found}


def paper_url(episode) -> str:
    return reverse("ratings:paper", args=[episode.client_id, episode.pk])


def test_the_paper_form_names_each_line_by_its_question(staff, episode):
    page = staff.get(paper_url(episode)).content.decode()
    assert labels(page) == {
        f"item{number}": f"{number}. {line}" for number, line in enumerate(lines_of("ors"), 1)
    }
    assert "Linje 1" not in page
    # Each form offered carries its own lines, for the page to rename them when it is chosen.
    for key in ("ors", "srs"):
        option = re.search(rf'<option value="{instrument(key).pk}"[^>]*>', page).group(0)
        lines = json.loads(
            re.search(r"data-lines=\"([^\"]*)\"", option).group(1).replace("&quot;", '"')
        )
        assert lines == lines_of(key)


def test_after_an_error_the_lines_are_named_for_the_form_chosen(staff, episode):
    session = Session.objects.create(episode=episode, number=1, date=timezone.localdate())
    data = {
        "session": session.pk,
        "instrument": instrument("srs").pk,
        "rater": "client",
        "submission_key": str(uuid.uuid4()),
        "item1": "11",
    }
    response = staff.post(paper_url(episode), data)
    assert response.status_code == 400
    assert list(labels(response.content.decode()).values())[:4] == [
        f"{number}. {line}" for number, line in enumerate(lines_of("srs"), 1)
    ]


def test_the_client_page_names_each_form_by_its_own_name(staff, episode, helper):
    session = Session.objects.create(episode=episode, number=1, date=timezone.localdate())
    RatingFactory(session=session)
    prepare_handover(episode, method="link", purpose="alliance", user=helper, session=session)
    page = without_charts(
        staff.get(reverse("clients:detail", args=[episode.client_id])).content.decode()
    )
    ors, srs = name_of("ors"), name_of("srs")
    assert f"<td>{ors}</td>" in page  # the answers table
    assert f"Ved start: {ors}" in page and f"Ved slutt: {srs}" in page  # handing a form over
    assert f"Samtale 1, {srs} – åpen til" in page  # the link not answered yet
    assert f"{ors} – <strong>besvart</strong>" in page  # today's answers
    for other_name in ("Hvordan livet går", "(ORS)", "(SRS)", "hvordan livet har vært"):
        assert other_name not in page


def test_a_child_is_offered_the_child_forms_by_their_names(staff, helper, service, team):
    child = episode_of(helper, service, team, age_group="child")
    page = staff.get(reverse("clients:detail", args=[child.client_id])).content.decode()
    assert f"Ved start: {name_of('cors')}" in page
    assert f"Ved slutt: {name_of('csrs')}" in page
