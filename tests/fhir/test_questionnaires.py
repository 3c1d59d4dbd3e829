"""Every instrument as a Questionnaire: its items, answer range and languages, from its data."""

import pytest
from fhir.resources.R4B.questionnaire import Questionnaire

from services.fhir import codes
from services.fhir.questionnaires import canonical, questionnaire
from services.measures.models import Instrument

pytestmark = pytest.mark.django_db


def extensions(element: dict) -> dict:
    return {e["url"]: e for e in element.get("extension", [])}


def translations(element: dict, name: str = "text") -> dict[str, str]:
    found = {}
    for extension in element.get(f"_{name}", {}).get("extension", []):
        assert extension["url"] == codes.TRANSLATION
        parts = {part["url"]: part for part in extension["extension"]}
        found[parts["lang"]["valueCode"]] = parts["content"]["valueString"]
    return found


def test_every_builtin_instrument_is_a_valid_questionnaire():
    instruments = list(Instrument.objects.all())
    assert {i.key for i in instruments} >= {"ors", "srs", "cors", "csrs", "ycors", "gsrs"}
    for instrument in instruments:
        data = questionnaire(instrument).model_dump(mode="json")
        Questionnaire.model_validate(data)  # what a reader's fhir.resources makes of the JSON
        spec = instrument.spec
        assert data["url"] == codes.questionnaire_url(instrument.key)
        assert canonical(instrument) == f"{data['url']}|{instrument.version}"
        assert data["title"] == spec.name["nb"]
        assert translations(data, "title") == {"nn": spec.name["nn"], "en": spec.name["en"]}
        items = data["item"]
        assert [item["linkId"] for item in items] == ["question", *spec.item_keys, "total"]
        assert items[0]["type"] == "display" and items[0]["text"] == spec.question["nb"]
        for item, definition in zip(items[1:-1], spec.items, strict=True):
            assert item["type"] == "decimal" and item["required"] is True
            assert item["text"] == definition.label["nb"]
            assert translations(item)["nn"] == definition.label["nn"]
            limits = extensions(item)
            assert limits[codes.MIN_VALUE]["valueDecimal"] == 0
            assert limits[codes.MAX_VALUE]["valueDecimal"] == spec.scale_max
            assert limits[codes.MAX_DECIMAL_PLACES]["valueInteger"] == spec.decimals
            low, high = item["item"]
            assert low["text"] == definition.low["nb"] and high["text"] == definition.high["nb"]
            assert translations(high)["en"] == definition.high["en"]
        total = items[-1]
        assert total["readOnly"] is True
        assert extensions(total)[codes.MAX_VALUE]["valueDecimal"] == spec.max_total
        assert translations(total) == {"nn": "Total", "en": "Total"}
        groups = [c["valueCodeableConcept"]["coding"][0]["code"] for c in data["useContext"]]
        assert groups == list(spec.age_groups)


def test_a_form_with_an_item_called_total_keeps_its_total_apart():
    ors = Instrument.objects.get(key="ors", version=1)
    definition = dict(ors.definition, key="own")
    definition["items"] = [dict(definition["items"][0], key="total"), *definition["items"][1:]]
    own = Instrument(key="own", version=1, purpose="outcome", definition=definition)
    link_ids = [item["linkId"] for item in questionnaire(own).model_dump(mode="json")["item"]]
    assert link_ids[1] == "total" and link_ids[-1] == "total_"
    assert len(set(link_ids)) == len(link_ids)
