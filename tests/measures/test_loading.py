"""Loading an organisation's licensed wording or a new instrument, without a code change."""

import json

import pytest
import yaml
from django.core.management import CommandError, call_command

from services.measures.models import Instrument, norms_by_age_group
from services.ratings.models import Rating
from tests.factories import RatingFactory
from tests.measures.test_definitions import builtin

pytestmark = pytest.mark.django_db


def test_the_four_builtin_instruments_are_installed():
    assert sorted(Instrument.objects.values_list("key", flat=True)) == [
        "cors",
        "csrs",
        "ors",
        "srs",
    ]
    assert Instrument.objects.for_age_group("adolescent", "outcome").key == "ors"
    assert Instrument.objects.for_age_group("young_child", "alliance").key == "csrs"


def test_norms_come_from_the_current_outcome_instruments():
    norms = norms_by_age_group(list(Instrument.objects.all()))
    assert {group: int(n.cutoff) for group, n in norms.items()} == {
        "adult": 25,
        "adolescent": 28,
        "child": 32,
        "young_child": 32,
    }


def test_licensed_wording_is_loaded_from_yaml_as_a_new_version(tmp_path, capsys):
    data = builtin("ors") | {"version": 2}
    data["items"][0]["label"] = {"nb": "Lisensiert tekst", "en": "Licensed text"}
    path = tmp_path / "ors-licensed.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    call_command("load_instrument", str(path))
    assert "Loaded ors v2" in capsys.readouterr().out
    current = Instrument.objects.for_age_group("adult", "outcome")
    assert (current.version, current.spec.items[0].label["nb"]) == (2, "Lisensiert tekst")


def test_wording_of_a_used_version_may_change_but_its_items_may_not(tmp_path):
    RatingFactory()
    data = builtin("ors")
    data["items"][0]["label"] = {"nb": "Ny tekst"}
    path = tmp_path / "ors.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    call_command("load_instrument", str(path))
    assert Instrument.objects.get(key="ors", version=1).spec.items[0].label == {"nb": "Ny tekst"}
    data["items"][0]["key"] = "self"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CommandError, match="already has ratings"):
        call_command("load_instrument", str(path))
    assert Rating.objects.count() == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [("{not json", "not valid JSON"), ('{"key": "x"}', "'version' is required")],
)
def test_bad_files_are_refused_clearly(tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        call_command("load_instrument", str(path))
    with pytest.raises(CommandError, match="No such file"):
        call_command("load_instrument", str(tmp_path / "missing.json"))
