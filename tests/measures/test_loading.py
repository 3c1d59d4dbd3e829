"""Loading an organisation's licensed wording or a new instrument, without a code change."""

import json

import pytest
import yaml
from django.core.management import CommandError, call_command

from services.measures.forms_in_use import chosen_form
from services.measures.models import Instrument
from services.ratings.models import Rating
from tests.factories import RatingFactory, ServiceFactory
from tests.measures.test_definitions import builtin

pytestmark = pytest.mark.django_db


def test_the_builtin_instruments_are_installed():
    # Issue #12 item 6: under-6s get their own faces-only, unscored form (ycors) instead of
    # the child form judged by child norms, so there are five built-in forms, not four; issue
    # #18 adds the group alliance form (gsrs), six.
    assert sorted(Instrument.objects.values_list("key", flat=True)) == [
        "cors",
        "csrs",
        "gsrs",
        "ors",
        "srs",
        "ycors",
    ]
    assert Instrument.objects.get(key="ycors").spec.scored is False
    assert "young_child" not in Instrument.objects.get(key="cors").spec.norms


def test_licensed_wording_is_loaded_from_yaml_as_a_new_version(tmp_path, capsys):
    data = builtin("ors") | {"version": 2}
    data["items"][0]["label"] = {"nb": "Lisensiert tekst", "en": "Licensed text"}
    path = tmp_path / "ors-licensed.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    call_command("load_instrument", str(path))
    assert "Loaded ors v2" in capsys.readouterr().out
    current = next(i for i in Instrument.objects.current() if i.key == "ors")
    assert (current.version, current.spec.items[0].label["nb"]) == (2, "Lisensiert tekst")
    # Issue #12 item 10: loading a version no longer changes what clients are given; a service
    # keeps v1 until its administrator chooses v2 (it is then offered as an upgrade).
    service = ServiceFactory()
    assert chosen_form(service.pk, "adult", "outcome").version == 1


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
