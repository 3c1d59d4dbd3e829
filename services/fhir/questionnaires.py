"""An instrument's definition as a FHIR Questionnaire.

Built from the stored definition (services.measures.definitions), never from a template: a
service's licensed wording and its own forms come out as loaded. Each item is a decimal from 0
to the scale's maximum (the standard minValue, maxValue and maxDecimalPlaces extensions, shown as
a slider) with its two anchors as the slider's lower and upper labels; texts are bokmål with the
nynorsk and English wording as standard translation extensions. A last, read-only item carries
the total, so a paper form known only by its total is a QuestionnaireResponse like any other.
"""

from collections.abc import Mapping

from django.utils import translation
from django.utils.translation import gettext, gettext_noop
from fhir.resources.R4B.questionnaire import Questionnaire

from services.measures.age_groups import AgeGroup
from services.measures.definitions import FALLBACK_LANGUAGE, LANGUAGES, InstrumentDefinition
from services.measures.models import Instrument

from . import codes

QUESTION = "question"  # the display item that says what the rater is asked
TOTAL = gettext_noop("Total")


def canonical(instrument: Instrument) -> str:
    """The versioned canonical reference a QuestionnaireResponse points at."""
    return f"{codes.questionnaire_url(instrument.key)}|{instrument.version}"


def total_link_id(spec: InstrumentDefinition) -> str:
    """The total's linkId: "total", unless a loaded form has an item of that key."""
    link_id = "total"
    while link_id in spec.item_keys or link_id == QUESTION:
        link_id += "_"
    return link_id


def text_fields(text: Mapping[str, str], name: str = "text") -> dict:
    """The element `name` in bokmål, with each other language as a translation extension on
    `_<name>` (FHIR's way to give a string in several languages)."""
    fields: dict = {name: text.get(FALLBACK_LANGUAGE) or next(iter(text.values()), "")}
    translations = [
        {
            "url": codes.TRANSLATION,
            "extension": [
                {"url": "lang", "valueCode": language},
                {"url": "content", "valueString": text[language]},
            ],
        }
        for language in LANGUAGES
        if language != FALLBACK_LANGUAGE and text.get(language)
    ]
    if translations:
        fields[f"_{name}"] = {"extension": translations}
    return fields


def _control(code: str) -> dict:
    return {
        "url": codes.ITEM_CONTROL,
        "valueCodeableConcept": {"coding": [{"system": codes.ITEM_CONTROL_CODES, "code": code}]},
    }


def _range(maximum, decimals: int) -> list[dict]:
    return [
        {"url": codes.MIN_VALUE, "valueDecimal": 0},
        {"url": codes.MAX_VALUE, "valueDecimal": maximum},
        {"url": codes.MAX_DECIMAL_PLACES, "valueInteger": decimals},
    ]


def _in_languages(message: str) -> dict[str, str]:
    texts = {}
    for language in LANGUAGES:
        with translation.override(language):
            texts[language] = gettext(message)
    return texts


def _age_groups(spec: InstrumentDefinition) -> list[dict]:
    with translation.override(FALLBACK_LANGUAGE):
        return [
            {
                "code": {"system": codes.USAGE_CONTEXT_TYPE, "code": "age"},
                "valueCodeableConcept": {
                    "coding": [
                        {
                            "system": codes.code_system(codes.AGE_GROUP),
                            "code": group,
                            "display": str(AgeGroup(group).label),
                        }
                    ]
                },
            }
            for group in spec.age_groups
        ]


def _item(spec: InstrumentDefinition, index: int) -> dict:
    item = spec.items[index]
    return {
        "linkId": item.key,
        **text_fields(item.label),
        "type": "decimal",
        "required": True,
        "extension": [*_range(spec.scale_max, spec.decimals), _control("slider")],
        "item": [
            {
                "linkId": f"{item.key}.low",
                **text_fields(item.low),
                "type": "display",
                "extension": [_control("lower")],
            },
            {
                "linkId": f"{item.key}.high",
                **text_fields(item.high),
                "type": "display",
                "extension": [_control("upper")],
            },
        ],
    }


def questionnaire(instrument: Instrument) -> Questionnaire:
    """The instrument as a Questionnaire, checked by the fhir.resources model."""
    spec = instrument.spec
    return Questionnaire.model_validate(
        {
            "resourceType": "Questionnaire",
            "url": codes.questionnaire_url(instrument.key),
            "version": str(instrument.version),
            **text_fields(spec.name, "title"),
            "status": "active" if instrument.active else "retired",
            "language": FALLBACK_LANGUAGE,
            "subjectType": ["Patient"],
            "useContext": _age_groups(spec),
            "item": [
                {"linkId": QUESTION, **text_fields(spec.question), "type": "display"},
                *(_item(spec, index) for index in range(len(spec.items))),
                {
                    "linkId": total_link_id(spec),
                    **text_fields(_in_languages(TOTAL)),
                    "type": "decimal",
                    "readOnly": True,
                    "extension": _range(spec.max_total, spec.decimals),
                },
            ],
        }
    )
