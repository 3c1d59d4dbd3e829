"""An administrator chooses which form the service gives each age group, for each purpose.

The only way a `ServiceForm` changes after a service is created: loading or upgrading an
instrument never does (see `loading`), so clients keep the form they know until someone decides
otherwise. A newer version of the chosen instrument is offered as an upgrade, never applied.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from .age_groups import AgeGroup
from .definitions import translate
from .models import Instrument, Purpose, ServiceForm


@dataclass(frozen=True)
class Option:
    instrument: Instrument
    label: str


@dataclass(frozen=True)
class FormRow:
    """One purpose and age group on the administration page."""

    purpose: str
    age_group: str
    chosen: ServiceForm | None
    current: Option | None
    options: tuple[Option, ...]
    upgrade: Option | None

    @property
    def purpose_label(self) -> str:
        return Purpose(self.purpose).label

    @property
    def age_group_label(self) -> str:
        return AgeGroup(self.age_group).label

    @property
    def in_use(self) -> Instrument | None:
        """The form clients get: none when nothing is chosen or the choice is no longer active."""
        return None if self.current is None else self.current.instrument


def label(instrument: Instrument, language: str) -> str:
    """The form's name and exact version, so two versions are never confused."""
    return f"{translate(instrument.spec.name, language)} ({describe(instrument)})"


def covers(instrument: Instrument, purpose: str, age_group: str) -> bool:
    """Whether the instrument may be chosen for this purpose and age group."""
    return (
        instrument.active
        and instrument.purpose == purpose
        and age_group in instrument.spec.age_groups
    )


def _upgrade(chosen: ServiceForm | None, options: tuple[Option, ...]) -> Option | None:
    """The newest version of the chosen instrument's key, when it is newer than the choice."""
    if chosen is None:
        return None
    same_key = [o for o in options if o.instrument.key == chosen.instrument.key]
    newest = max(same_key, key=lambda o: o.instrument.version, default=None)
    if newest is None or newest.instrument.version <= chosen.instrument.version:
        return None
    return newest


def form_rows(service, language: str) -> list[FormRow]:
    """Every purpose and age group with its choice, what may be chosen and any upgrade
    (two queries, whatever the number of instruments)."""
    chosen = {
        (row.purpose, row.age_group): row
        for row in ServiceForm.objects.filter(service=service).select_related(
            "instrument", "chosen_by"
        )
    }
    instruments = list(Instrument.objects.filter(active=True).order_by("key", "version"))
    rows = []
    for purpose in Purpose.values:
        for age_group in AgeGroup.values:
            options = tuple(
                Option(i, label(i, language)) for i in instruments if covers(i, purpose, age_group)
            )
            choice = chosen.get((purpose, age_group))
            if not options and choice is None:
                continue  # e.g. no group alliance form for young children: nothing to decide
            current = None
            if choice is not None and choice.instrument.active:
                current = Option(choice.instrument, label(choice.instrument, language))
            rows.append(
                FormRow(purpose, age_group, choice, current, options, _upgrade(choice, options))
            )
    return rows


def describe(instrument: Instrument | None) -> str:
    return "none" if instrument is None else f"{instrument.key} v{instrument.version}"


@transaction.atomic
def choose(
    service, purpose: str, age_group: str, instrument: Instrument, user
) -> tuple[Instrument | None, ServiceForm] | None:
    """Make `instrument` the service's form; return (the old form, the new choice), or None
    when it already was the choice. The caller has checked `covers` and writes the audit row."""
    if not covers(instrument, purpose, age_group):
        raise ValueError(f"{describe(instrument)} is not for {purpose} {age_group}")
    current = (
        ServiceForm.objects.select_for_update()
        .select_related("instrument")
        .filter(service=service, purpose=purpose, age_group=age_group)
        .first()
    )
    if current is not None and current.instrument_id == instrument.pk:
        return None
    old = current.instrument if current is not None else None
    if current is None:
        current = ServiceForm(service=service, purpose=purpose, age_group=age_group)
    current.instrument = instrument
    current.chosen_by = user
    current.chosen_at = timezone.now()
    current.save()
    return old, current
