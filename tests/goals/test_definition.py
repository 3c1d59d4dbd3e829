"""Issue #17: the goals question's wording is data like the forms' (own wording in nb, nn and
en), an organisation can use its own file, and a bad file is refused by `manage.py check` with
the field named."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.utils import translation

from services.goals import definition
from services.goals.definition import (
    BUILTIN,
    current,
    parse_goal_wording,
    read_goal_wording,
)
from services.measures.definitions import LANGUAGES, DefinitionError
from tests.factories import EpisodeFactory

from .test_question import THANKS, add_goals, answered, lock

OWN = {
    "key": "vaare_maal",
    "version": 2,
    "name": {"nb": "Våre mål"},
    "question": {"nb": "Hvor langt har du kommet?", "en": "How far have you come?"},
    "hint": "Ett tall for hvert mål.",
    "anchors": {"low": {"nb": "Ikke begynt"}, "high": {"nb": "Helt i mål"}},
}


@pytest.fixture
def own_file(tmp_path, settings):
    path = tmp_path / "maal.json"
    path.write_text(json.dumps(OWN), encoding="utf-8")
    settings.GOAL_WORDING_FILE = str(path)
    yield path
    definition._wording.cache_clear()


@pytest.fixture
def tablet(client, helper, service):
    """The helper's tablet showing the thank-you page after an ORS, with two open goals."""
    episode = EpisodeFactory(client__service=service)
    episode.helpers.add(helper)
    add_goals(episode, "Sove bedre", "Klare å handle alene")
    handover = answered(episode, helper)
    client.force_login(helper)
    lock(client, handover)
    return handover


def test_the_builtin_wording_has_every_text_in_every_language():
    wording = read_goal_wording(BUILTIN)
    for text in (wording.name, wording.question, wording.hint, wording.low, wording.high):
        assert set(text) == set(LANGUAGES)
        assert all(value.strip() for value in text.values())
    assert wording.words("nn").question == "Kor nær er du måla dine no?"
    assert wording.words("en").high == "I am there"


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"question": None}, "'question' is required"),
        ({"hint": {"en": "Only English"}}, "'hint' needs a 'nb' text"),
        ({"version": 0}, "'version' must be a whole number"),
        ({"version": True}, "'version' must be a whole number"),
        ({"anchors": ["low", "high"]}, "'anchors' must be a mapping"),
        ({"anchors": {"low": {"nb": "Ikke"}}}, "anchors: 'high' is required"),
        ({"name": 7}, "'name' must be text or a mapping"),
    ],
)
def test_a_bad_wording_is_refused_with_the_field_named(change, named):
    with pytest.raises(DefinitionError, match=named):
        parse_goal_wording(OWN | change)


def test_a_missing_language_falls_back_to_bokmal():
    words = parse_goal_wording(OWN).words("nn")
    assert words.question == "Hvor langt har du kommet?"
    assert words.hint == "Ett tall for hvert mål."


@pytest.mark.django_db
def test_the_thank_you_page_asks_in_the_organisations_own_words(client, tablet, own_file):
    assert current().key == "vaare_maal"
    page = client.get(THANKS).content.decode()
    assert "Hvor langt har du kommet?" in page
    assert "Ikke begynt" in page and "Helt i mål" in page
    assert "Hvor nær er du målene dine nå?" not in page
    with translation.override("en"):
        assert current().words("en").question == "How far have you come?"


@pytest.mark.django_db
def test_without_a_file_the_page_asks_in_the_builtin_words(client, tablet):
    assert "Hvor nær er du målene dine nå?" in client.get(THANKS).content.decode()


def test_manage_py_check_refuses_a_bad_file_and_names_it(tmp_path, settings):
    path = tmp_path / "broken.yaml"
    path.write_text("key: maal\nversion: 1\nquestion: Hvor nær?\n", encoding="utf-8")
    settings.GOAL_WORDING_FILE = str(path)
    with pytest.raises(
        SystemCheckError, match=r"broken\.yaml: goal wording: 'anchors' is required"
    ):
        call_command("check")
    settings.GOAL_WORDING_FILE = str(tmp_path / "nowhere.json")
    with pytest.raises(SystemCheckError, match="cannot be read"):
        call_command("check")
    settings.GOAL_WORDING_FILE = ""
    call_command("check")
