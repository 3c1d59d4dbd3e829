"""Instrument definitions: the shipped files are valid and bad files are refused clearly."""

import copy
import json
from decimal import Decimal

import pytest

from services.measures.definitions import DefinitionError, parse_definition, translate
from services.measures.loading import BUILTIN_DIR


def builtin(key: str) -> dict:
    return json.loads((BUILTIN_DIR / f"{key}.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("key", ["ors", "srs", "cors", "csrs"])
def test_shipped_definitions_are_valid_and_complete_in_three_languages(key):
    spec = parse_definition(builtin(key))
    assert len(spec.items) == 4
    assert spec.max_total == Decimal(40)
    texts = [spec.name, spec.question]
    texts += [t for item in spec.items for t in (item.label, item.low, item.high)]
    for text in texts:
        assert set(text) == {"nb", "nn", "en"}, text
        assert all(value.strip() for value in text.values())


def test_default_norms_are_the_agreed_ones():
    ors, cors = parse_definition(builtin("ors")), parse_definition(builtin("cors"))
    assert ors.norms["adult"].cutoff == 25
    assert ors.norms["adolescent"].cutoff == 28
    assert cors.norms["child"].cutoff == 32
    assert ors.norms["adult"].reliable_change == ors.norms["adolescent"].reliable_change == 5
    assert cors.norms["child"].reliable_change == 6
    # Issue #12 item 6: under-6s have their own unscored form, so no young-child norms.
    assert "young_child" not in cors.norms
    assert parse_definition(builtin("ycors")).norms == {}


def test_alliance_instruments_flag_below_36():
    for key in ("srs", "csrs"):
        spec = parse_definition(builtin(key))
        assert spec.alliance.threshold == 36
        # Issue #12 item 4: a 1-point drop is noise; the shipped drop exceeds measurement error.
        assert spec.alliance.drop == 4
        assert spec.norms == {}


def test_child_forms_show_faces_and_adult_forms_do_not():
    assert parse_definition(builtin("cors")).faces
    assert not parse_definition(builtin("ors")).faces


def broken(change) -> dict:
    data = copy.deepcopy(builtin("ors"))
    change(data)
    return data


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.pop("key"), "'key' is required"),
        (lambda d: d.update(version=0), "'version'"),
        (lambda d: d.update(version="1"), "'version'"),
        (lambda d: d.update(purpose="mood"), "'purpose'"),
        (lambda d: d.update(age_groups=["adult", "pensioner"]), "pensioner"),
        (lambda d: d["items"].append(copy.deepcopy(d["items"][0])), "unique"),
        (lambda d: d["items"][0].pop("anchors"), "items[0]: 'anchors'"),
        (lambda d: d["items"][1].update(label={"en": "Only English"}), "'nb'"),
        (lambda d: d["norms"].pop("adolescent"), "norms for each"),
        (lambda d: d["norms"]["adult"].update(cutoff="high"), "norms.adult.cutoff"),
        (lambda d: d["norms"].update(child={"cutoff": 32, "reliable_change": 6}), "norms.child"),
        (lambda d: d.update(scale={"min": 1, "max": 10}), "scale.min"),
        (lambda d: d.update(scale={"max": 10, "decimals": 3}), "scale.decimals"),
    ],
)
def test_bad_definitions_are_refused_with_the_field_named(change, message):
    with pytest.raises(DefinitionError, match=message.replace("[", r"\[").replace("]", r"\]")):
        parse_definition(broken(change))


def test_alliance_instrument_needs_an_alliance_rule():
    data = builtin("srs")
    del data["alliance"]
    with pytest.raises(DefinitionError, match="alliance rule"):
        parse_definition(data)


def test_translate_falls_back_to_bokmal_then_anything():
    assert translate({"nb": "Hei", "en": "Hi"}, "en") == "Hi"
    assert translate({"nb": "Hei", "en": "Hi"}, "nn") == "Hei"
    assert translate({"nb": "Hei"}, "en-gb") == "Hei"
    assert translate({"en": "Hi"}, "nn") == "Hi"
