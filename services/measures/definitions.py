"""Instrument definitions as data.

The ORS/SRS forms and their translations are licensed, so the wording is never code: an
organisation loads its licensed text as a definition file. This module turns such a file (a plain
mapping from JSON or YAML) into a checked, immutable definition, and says exactly what is wrong
with a bad one. Thresholds that services disagree on (cutoff, reliable change, alliance flag) live
here too, on the definition, never as literals elsewhere. A form may be unscored
(`"scored": false`, like the faces-only young-child form): its answers are shown, but it has no
norms and no change category. A form may also give wording per rater (`"raters"`): a parent or
teacher answering a child form is asked about the child, and any text not given falls back to
the default wording.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

PURPOSES = ("outcome", "alliance", "group_alliance")
AGE_GROUPS = ("adult", "adolescent", "child", "young_child")
LANGUAGES = ("nb", "nn", "en")
# Who may have wording of their own: someone answering *about* the client (a parent or teacher
# answering a child form reads "How has the child been?"). The client reads the default wording.
RATERS = ("parent", "teacher", "other")
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


# A drop in the alliance total that exceeds measurement error (about 3.8 points on the SRS-style
# scale, rounded up; docs/measures.md "Alliance signal"), for a definition that sets no drop.
RELIABLE_ALLIANCE_DROP = 4


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
class RaterWording:
    """The form's wording for one kind of rater; anything not given falls back to the default."""

    name: Text | None = None
    question: Text | None = None
    items: Mapping[str, Text] = field(default_factory=dict)


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
    scored: bool
    norms: Mapping[str, Norms]
    alliance: AllianceRule | None
    raters: Mapping[str, RaterWording] = field(default_factory=dict)

    @property
    def item_keys(self) -> tuple[str, ...]:
        return tuple(item.key for item in self.items)

    def name_for(self, rater: str) -> Text:
        """The form's name as `rater` reads it (the default for the client)."""
        wording = self.raters.get(rater)
        return wording.name if wording and wording.name else self.name

    def question_for(self, rater: str) -> Text:
        """The question as `rater` reads it: a parent of a child client is asked about the
        child, not about themselves."""
        wording = self.raters.get(rater)
        return wording.question if wording and wording.question else self.question

    def item_label(self, item: Item, rater: str) -> Text:
        """The item's label as `rater` reads it, else the default label."""
        wording = self.raters.get(rater)
        return wording.items.get(item.key, item.label) if wording else item.label

    @property
    def max_total(self) -> Decimal:
        return self.scale_max * len(self.items)


def require(data: Mapping[str, Any], field: str, where: str) -> Any:
    if field not in data or data[field] in (None, "", [], {}):
        raise DefinitionError(f"{where}: '{field}' is required")
    return data[field]


def text_field(data: Mapping[str, Any], field: str, where: str) -> Text:
    value = require(data, field, where)
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
    anchors = require(data, "anchors", where)
    if not isinstance(anchors, Mapping):
        raise DefinitionError(f"{where}.anchors: must be a mapping with 'low' and 'high'")
    return Item(
        key=str(require(data, "key", where)),
        label=text_field(data, "label", where),
        low=text_field(anchors, "low", f"{where}.anchors"),
        high=text_field(anchors, "high", f"{where}.anchors"),
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
            cutoff=_number(require(values, "cutoff", where), f"{where}.cutoff"),
            reliable_change=_number(
                require(values, "reliable_change", where), f"{where}.reliable_change"
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
        threshold=_number(require(data, "threshold", "alliance"), "alliance.threshold"),
        item_threshold=None
        if item_threshold is None
        else _number(item_threshold, "alliance.item_threshold"),
        drop=_number(data.get("drop", RELIABLE_ALLIANCE_DROP), "alliance.drop"),
    )


def _fields(data: Mapping[str, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(str(name) for name in set(data) - allowed)
    if unknown:
        raise DefinitionError(f"{where}: unknown field(s) {', '.join(unknown)}")


def _rater_items(data: Any, item_keys: tuple[str, ...], where: str) -> dict[str, Text]:
    if not isinstance(data, Mapping):
        raise DefinitionError(f"{where}: must be a mapping of item key to label")
    labels = {}
    for key, wording in data.items():
        here = f"{where}.{key}"
        if key not in item_keys:
            raise DefinitionError(f"{here}: not one of this instrument's items")
        if not isinstance(wording, Mapping):
            raise DefinitionError(f"{here}: must be a mapping with a 'label'")
        _fields(wording, {"label"}, here)
        labels[key] = text_field(wording, "label", here)
    return labels


def _raters(data: Any, item_keys: tuple[str, ...]) -> dict[str, RaterWording]:
    """Optional wording per rater, e.g. a parent's question about the child on a child form."""
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        raise DefinitionError("raters: must be a mapping of rater to wording")
    raters = {}
    for rater, wording in data.items():
        where = f"raters.{rater}"
        if rater not in RATERS:
            raise DefinitionError(
                f"{where}: not one of {', '.join(RATERS)} (the client reads the default wording)"
            )
        if not isinstance(wording, Mapping):
            raise DefinitionError(f"{where}: must be a mapping")
        _fields(wording, {"name", "question", "items"}, where)
        if not any(wording.get(name) for name in ("name", "question", "items")):
            raise DefinitionError(f"{where}: give a 'name', 'question' or 'items'")
        raters[rater] = RaterWording(
            name=text_field(wording, "name", where) if "name" in wording else None,
            question=text_field(wording, "question", where) if "question" in wording else None,
            items=_rater_items(wording["items"], item_keys, f"{where}.items")
            if "items" in wording
            else {},
        )
    return raters


def parse_definition(data: Any) -> InstrumentDefinition:
    """Check a definition mapping and return it as an immutable definition."""
    if not isinstance(data, Mapping):
        raise DefinitionError("the definition must be a mapping")
    key = str(require(data, "key", "definition"))
    if not key.isidentifier() or not key.islower():
        raise DefinitionError("definition: 'key' must be lower-case letters, digits and _")
    version = require(data, "version", "definition")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise DefinitionError("definition: 'version' must be a whole number of 1 or more")
    purpose = require(data, "purpose", "definition")
    if purpose not in PURPOSES:
        raise DefinitionError(f"definition: 'purpose' must be one of {', '.join(PURPOSES)}")
    age_groups = tuple(require(data, "age_groups", "definition"))
    unknown = [group for group in age_groups if group not in AGE_GROUPS]
    if unknown:
        raise DefinitionError(f"definition: unknown age group(s) {', '.join(map(str, unknown))}")
    raw_items = require(data, "items", "definition")
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
    scored = data.get("scored", True)
    if not isinstance(scored, bool):
        raise DefinitionError("definition: 'scored' must be true or false")
    norms = _norms(data.get("norms"), age_groups)
    alliance = _alliance(data.get("alliance"))
    if purpose == "outcome" and scored and set(norms) != set(age_groups):
        raise DefinitionError("norms: an outcome instrument needs norms for each of its age groups")
    if not scored and norms:
        raise DefinitionError("norms: an unscored instrument has no norms")
    if purpose in ("alliance", "group_alliance") and alliance is None:
        raise DefinitionError("alliance: an alliance instrument needs an alliance rule")
    return InstrumentDefinition(
        key=key,
        version=version,
        purpose=purpose,
        name=text_field(data, "name", "definition"),
        question=text_field(data, "question", "definition"),
        age_groups=age_groups,
        items=items,
        scale_max=scale_max,
        decimals=decimals,
        faces=bool(data.get("faces", False)),
        scored=scored,
        norms=norms,
        alliance=alliance,
        raters=_raters(data.get("raters"), tuple(keys)),
    )
