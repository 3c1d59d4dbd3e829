"""Instrument definitions as data.

The ORS/SRS forms and their translations are licensed, so the wording is never code: an
organisation loads its licensed text as a definition file. This module turns such a file (a plain
mapping from JSON or YAML) into a checked, immutable definition, and says exactly what is wrong
with a bad one. Thresholds that services disagree on (cutoff, reliable change, alliance flag) live
here too, on the definition, never as literals elsewhere.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

PURPOSES = ("outcome", "alliance")
AGE_GROUPS = ("adult", "adolescent", "child", "young_child")
LANGUAGES = ("nb", "nn", "en")
FALLBACK_LANGUAGE = "nb"


class DefinitionError(ValueError):
    """A definition file that cannot be used; the message names the offending field."""


Text = Mapping[str, str]


def translate(text: Text, language: str) -> str:
    """The text in `language`, falling back to bokmål, then to any language given."""
    base = language.split("-")[0].lower()
    for candidate in (language, base, FALLBACK_LANGUAGE):
        if text.get(candidate):
            return text[candidate]
    return next(iter(text.values()), "")


@dataclass(frozen=True)
class Norms:
    """Clinical cutoff and reliable change index for one age group (totals, 0–40 scale)."""

    cutoff: Decimal
    reliable_change: Decimal


@dataclass(frozen=True)
class AllianceRule:
    """When an alliance rating should open a conversation about the collaboration."""

    threshold: Decimal
    item_threshold: Decimal | None
    drop: Decimal


@dataclass(frozen=True)
class Item:
    key: str
    label: Text
    low: Text
    high: Text


@dataclass(frozen=True)
class InstrumentDefinition:
    key: str
    version: int
    purpose: str
    name: Text
    question: Text
    age_groups: tuple[str, ...]
    items: tuple[Item, ...]
    scale_max: Decimal
    decimals: int
    faces: bool
    norms: Mapping[str, Norms]
    alliance: AllianceRule | None

    @property
    def item_keys(self) -> tuple[str, ...]:
        return tuple(item.key for item in self.items)

    @property
    def max_total(self) -> Decimal:
        return self.scale_max * len(self.items)


def _require(data: Mapping[str, Any], field: str, where: str) -> Any:
    if field not in data or data[field] in (None, "", [], {}):
        raise DefinitionError(f"{where}: '{field}' is required")
    return data[field]


def _text(data: Mapping[str, Any], field: str, where: str) -> Text:
    value = _require(data, field, where)
    if isinstance(value, str):
        return {FALLBACK_LANGUAGE: value}
    if not isinstance(value, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise DefinitionError(f"{where}: '{field}' must be text or a mapping of language to text")
    if FALLBACK_LANGUAGE not in value:
        raise DefinitionError(f"{where}: '{field}' needs a '{FALLBACK_LANGUAGE}' text")
    return dict(value)


def _number(value: Any, where: str) -> Decimal:
    if isinstance(value, bool):
        raise DefinitionError(f"{where}: must be a number")
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise DefinitionError(f"{where}: must be a number") from None
    if not number.is_finite() or number < 0:
        raise DefinitionError(f"{where}: must be a number of 0 or more")
    return number


def _item(data: Any, index: int) -> Item:
    where = f"items[{index}]"
    if not isinstance(data, Mapping):
        raise DefinitionError(f"{where}: must be a mapping")
    anchors = _require(data, "anchors", where)
    if not isinstance(anchors, Mapping):
        raise DefinitionError(f"{where}.anchors: must be a mapping with 'low' and 'high'")
    return Item(
        key=str(_require(data, "key", where)),
        label=_text(data, "label", where),
        low=_text(anchors, "low", f"{where}.anchors"),
        high=_text(anchors, "high", f"{where}.anchors"),
    )


def _norms(data: Any, age_groups: tuple[str, ...]) -> dict[str, Norms]:
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        raise DefinitionError("norms: must be a mapping of age group to cutoff and reliable_change")
    norms = {}
    for age_group, values in data.items():
        where = f"norms.{age_group}"
        if age_group not in age_groups:
            raise DefinitionError(f"{where}: not one of this instrument's age groups")
        if not isinstance(values, Mapping):
            raise DefinitionError(f"{where}: must be a mapping")
        norms[age_group] = Norms(
            cutoff=_number(_require(values, "cutoff", where), f"{where}.cutoff"),
            reliable_change=_number(
                _require(values, "reliable_change", where), f"{where}.reliable_change"
            ),
        )
    return norms


def _alliance(data: Any) -> AllianceRule | None:
    if data is None:
        return None
    if not isinstance(data, Mapping):
        raise DefinitionError("alliance: must be a mapping")
    item_threshold = data.get("item_threshold")
    return AllianceRule(
        threshold=_number(_require(data, "threshold", "alliance"), "alliance.threshold"),
        item_threshold=None
        if item_threshold is None
        else _number(item_threshold, "alliance.item_threshold"),
        drop=_number(data.get("drop", 1), "alliance.drop"),
    )


def parse_definition(data: Any) -> InstrumentDefinition:
    """Check a definition mapping and return it as an immutable definition."""
    if not isinstance(data, Mapping):
        raise DefinitionError("the definition must be a mapping")
    key = str(_require(data, "key", "definition"))
    if not key.isidentifier() or not key.islower():
        raise DefinitionError("definition: 'key' must be lower-case letters, digits and _")
    version = _require(data, "version", "definition")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise DefinitionError("definition: 'version' must be a whole number of 1 or more")
    purpose = _require(data, "purpose", "definition")
    if purpose not in PURPOSES:
        raise DefinitionError(f"definition: 'purpose' must be one of {', '.join(PURPOSES)}")
    age_groups = tuple(_require(data, "age_groups", "definition"))
    unknown = [group for group in age_groups if group not in AGE_GROUPS]
    if unknown:
        raise DefinitionError(f"definition: unknown age group(s) {', '.join(map(str, unknown))}")
    raw_items = _require(data, "items", "definition")
    if not isinstance(raw_items, list):
        raise DefinitionError("definition: 'items' must be a list")
    items = tuple(_item(item, index) for index, item in enumerate(raw_items))
    keys = [item.key for item in items]
    if len(set(keys)) != len(keys):
        raise DefinitionError("items: item keys must be unique")
    scale = data.get("scale", {})
    if not isinstance(scale, Mapping):
        raise DefinitionError("scale: must be a mapping")
    scale_max = _number(scale.get("max", 10), "scale.max")
    decimals = scale.get("decimals", 1)
    if isinstance(decimals, bool) or not isinstance(decimals, int) or not 0 <= decimals <= 2:
        raise DefinitionError("scale.decimals: must be 0, 1 or 2")
    if scale.get("min", 0) != 0:
        raise DefinitionError("scale.min: scales start at 0")
    norms = _norms(data.get("norms"), age_groups)
    alliance = _alliance(data.get("alliance"))
    if purpose == "outcome" and set(norms) != set(age_groups):
        raise DefinitionError("norms: an outcome instrument needs norms for each of its age groups")
    if purpose == "alliance" and alliance is None:
        raise DefinitionError("alliance: an alliance instrument needs an alliance rule")
    return InstrumentDefinition(
        key=key,
        version=version,
        purpose=purpose,
        name=_text(data, "name", "definition"),
        question=_text(data, "question", "definition"),
        age_groups=age_groups,
        items=items,
        scale_max=scale_max,
        decimals=decimals,
        faces=bool(data.get("faces", False)),
        norms=norms,
        alliance=alliance,
    )
