"""The goals question's wording as data, like the forms' (issue #17).

What the client reads when they score their goals (the question, the hint and the words at the
two ends of the 0–10 scale) is a definition file, not code: the app ships its own neutral
wording (`builtin/goals.json`), and an organisation that uses a licensed or locally agreed
wording points `GOAL_WORDING_FILE` at its own file (JSON or YAML), as it loads its own forms with
`load_instrument`. The scale itself is fixed at 0–10 by the database, so it is not in the file.
A bad file is refused with the field named, by `manage.py check` before the app starts.
"""

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core import checks

from services.measures.definitions import DefinitionError, Text, require, text_field, translate
from services.measures.loading import read_definition_file

BUILTIN = Path(__file__).resolve().parent / "builtin" / "goals.json"


@dataclass(frozen=True)
class Words:
    """The goals question in one language, as the page shows it."""

    question: str
    hint: str
    low: str
    high: str


@dataclass(frozen=True)
class GoalWording:
    key: str
    version: int
    name: Text
    question: Text
    hint: Text
    low: Text
    high: Text

    def words(self, language: str) -> Words:
        """The texts in `language`, each falling back to bokmål when the file lacks it."""
        texts = (self.question, self.hint, self.low, self.high)
        return Words(*(translate(text, language) for text in texts))


def parse_goal_wording(data: Any) -> GoalWording:
    """Check a wording mapping and return it; a DefinitionError names what is wrong."""
    if not isinstance(data, Mapping):
        raise DefinitionError("the goal wording must be a mapping")
    key = str(require(data, "key", "goal wording"))
    version = require(data, "version", "goal wording")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise DefinitionError("goal wording: 'version' must be a whole number of 1 or more")
    anchors = require(data, "anchors", "goal wording")
    if not isinstance(anchors, Mapping):
        raise DefinitionError("goal wording: 'anchors' must be a mapping with 'low' and 'high'")
    return GoalWording(
        key=key,
        version=version,
        name=text_field(data, "name", "goal wording"),
        question=text_field(data, "question", "goal wording"),
        hint=text_field(data, "hint", "goal wording"),
        low=text_field(anchors, "low", "anchors"),
        high=text_field(anchors, "high", "anchors"),
    )


def read_goal_wording(path: Path) -> GoalWording:
    try:
        return parse_goal_wording(read_definition_file(path))
    except OSError as error:
        raise DefinitionError(f"{path}: cannot be read: {error.strerror}") from None
    except DefinitionError as error:
        raise DefinitionError(f"{path.name}: {error}") from None


def wording_file() -> Path:
    return Path(settings.GOAL_WORDING_FILE) if settings.GOAL_WORDING_FILE else BUILTIN


@functools.cache
def _wording(path: Path) -> GoalWording:
    return read_goal_wording(path)


def current() -> GoalWording:
    """The wording in use, read once per file and process."""
    return _wording(wording_file())


def check_goal_wording(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """`manage.py check` (and every start) refuses a goal wording file the page cannot use."""
    try:
        read_goal_wording(wording_file())
    except DefinitionError as error:
        hint = "Fix the file, or unset GOAL_WORDING_FILE to use the built-in wording."
        return [checks.Error(str(error), hint=hint, id="goals.E001")]
    return []
