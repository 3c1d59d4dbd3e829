"""Load instrument definition files (JSON or YAML) into the database."""

import json
from pathlib import Path

import yaml
from django.db import transaction

from .definitions import DefinitionError, parse_definition
from .models import Instrument

BUILTIN_DIR = Path(__file__).resolve().parent / "builtin"


def read_definition_file(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    try:
        if path.suffix.lower() in {".yaml", ".yml"}:
            return yaml.safe_load(text)
        return json.loads(text)
    except (json.JSONDecodeError, yaml.YAMLError) as error:
        raise DefinitionError(
            f"{path.name}: not valid {path.suffix[1:].upper()}: {error}"
        ) from None


@transaction.atomic
def load_definition(data: dict) -> tuple[Instrument, bool]:
    """Store a definition; return the instrument and whether it was created.

    Never changes which form a service uses (`ServiceForm`): a new instrument or version reaches
    clients only when a service administrator chooses it (see `choosing`).

    An existing version may get new wording (an organisation's licensed text), but not new items
    or scale once ratings point at it, because stored scores would then mean something else.
    """
    spec = parse_definition(data)
    existing = Instrument.objects.select_for_update().filter(key=spec.key, version=spec.version)
    instrument = existing.first()
    if instrument is None:
        instrument = Instrument.objects.create(
            key=spec.key, version=spec.version, purpose=spec.purpose, definition=data
        )
        return instrument, True
    old = instrument.spec
    changes_meaning = (old.item_keys, old.scale_max, old.purpose) != (
        spec.item_keys,
        spec.scale_max,
        spec.purpose,
    )
    if changes_meaning and instrument.ratings.exists():
        raise DefinitionError(
            f"{spec.key} v{spec.version} already has ratings: load changed items or scale as a "
            "new version"
        )
    instrument.definition = data
    instrument.purpose = spec.purpose
    instrument.save()
    return instrument, False


def load_builtin_instruments() -> list[Instrument]:
    return [
        load_definition(read_definition_file(path))[0]
        for path in sorted(BUILTIN_DIR.glob("*.json"))
    ]
