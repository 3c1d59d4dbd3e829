"""Rater-specific wording: a parent answering a child form reads about the child (issue #12,
item 5)."""

import copy

import pytest

from services.measures.definitions import DefinitionError, parse_definition, translate
from tests.measures.test_definitions import builtin

PARENT = {
    "name": {"nb": "Hvordan har barnet hatt det?"},
    "question": {"nb": "Hvordan har barnet hatt det denne uken?", "en": "How has the child been?"},
    "items": {"me": {"label": {"nb": "Barnet", "en": "The child"}}},
}


def with_raters(raters, key="cors") -> dict:
    data = copy.deepcopy(builtin(key))
    data["raters"] = raters
    return data


def test_a_raters_wording_replaces_the_default_and_falls_back_item_by_item():
    spec = parse_definition(with_raters({"parent": PARENT}))
    me, family = spec.items[0], spec.items[1]
    assert translate(spec.question_for("parent"), "en") == "How has the child been?"
    assert translate(spec.name_for("parent"), "nb") == "Hvordan har barnet hatt det?"
    assert translate(spec.item_label(me, "parent"), "en") == "The child"
    # Not given for this item: the default wording.
    assert spec.item_label(family, "parent") == family.label
    # The client, and a rater without wording of their own, read the default.
    for rater in ("client", "teacher"):
        assert spec.question_for(rater) == spec.question
        assert spec.name_for(rater) == spec.name
        assert spec.item_label(me, rater) == me.label


def test_a_definition_without_rater_wording_reads_the_same_for_everyone():
    spec = parse_definition(builtin("ors"))
    assert spec.raters == {}
    assert spec.question_for("parent") == spec.question


def test_a_rater_may_give_only_a_question():
    spec = parse_definition(with_raters({"teacher": {"question": "Hvordan har eleven hatt det?"}}))
    assert spec.question_for("teacher") == {"nb": "Hvordan har eleven hatt det?"}
    assert spec.item_label(spec.items[0], "teacher") == spec.items[0].label


@pytest.mark.parametrize(
    ("raters", "message"),
    [
        (["parent"], "raters: must be a mapping"),
        ({"mother": PARENT}, "raters.mother: not one of parent, teacher, other"),
        ({"client": PARENT}, "raters.client: not one of"),
        ({"parent": "Barnet"}, "raters.parent: must be a mapping"),
        ({"parent": {}}, "raters.parent: give a 'name', 'question' or 'items'"),
        ({"parent": {"questions": {"nb": "x"}}}, "raters.parent: unknown field(s) questions"),
        (
            {"parent": {"question": {"en": "only English"}}},
            "raters.parent: 'question' needs a 'nb'",
        ),
        ({"parent": {"question": 3}}, "raters.parent: 'question' must be text"),
        ({"parent": {"items": ["me"]}}, "raters.parent.items: must be a mapping"),
        (
            {"parent": {"items": {"self": {"label": "Barnet"}}}},
            "raters.parent.items.self: not one of this instrument's items",
        ),
        ({"parent": {"items": {"me": "Barnet"}}}, "raters.parent.items.me: must be a mapping"),
        ({"parent": {"items": {"me": {}}}}, "raters.parent.items.me: 'label' is required"),
        (
            {"parent": {"items": {"me": {"label": "Barnet", "low": "x"}}}},
            "raters.parent.items.me: unknown field(s) low",
        ),
    ],
)
def test_bad_rater_wording_is_refused_clearly(raters, message):
    with pytest.raises(DefinitionError) as error:
        parse_definition(with_raters(raters))
    assert message in str(error.value)


@pytest.mark.parametrize("key", ["cors", "ycors"])
def test_the_child_forms_ship_wording_about_the_child_for_parents_and_teachers(key):
    spec = parse_definition(builtin(key))
    for rater in ("parent", "teacher"):
        assert set(spec.raters[rater].items) == set(spec.item_keys)
        texts = [spec.name_for(rater), spec.question_for(rater)]
        texts += [spec.item_label(item, rater) for item in spec.items]
        for text in texts:
            assert set(text) == {"nb", "nn", "en"}, (rater, text)
            assert all(value.strip() for value in text.values())
        assert "barnet" in translate(spec.question_for(rater), "nb").lower()
        assert "barnet" in translate(spec.question_for(rater), "nn").lower()
        assert "child" in translate(spec.question_for(rater), "en").lower()
        assert translate(spec.item_label(spec.items[0], rater), "nb") == "Barnet"
        assert "Meg" not in [translate(spec.item_label(i, rater), "nb") for i in spec.items]
