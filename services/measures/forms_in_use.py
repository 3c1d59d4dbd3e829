"""Which form a service gives each age group, for each purpose.

Chosen, never guessed: a new service starts with the built-in forms below, and afterwards only
an administrator's choice changes what clients are asked (see `ServiceForm`).
"""

from collections.abc import Iterable

from django.db import transaction

from .age_groups import AgeGroup
from .models import Instrument, Purpose, ServiceForm

BUILTIN_CHOICE = {
    (Purpose.OUTCOME, AgeGroup.ADULT): "ors",
    (Purpose.OUTCOME, AgeGroup.ADOLESCENT): "ors",
    (Purpose.OUTCOME, AgeGroup.CHILD): "cors",
    (Purpose.OUTCOME, AgeGroup.YOUNG_CHILD): "ycors",
    (Purpose.ALLIANCE, AgeGroup.ADULT): "srs",
    (Purpose.ALLIANCE, AgeGroup.ADOLESCENT): "srs",
    (Purpose.ALLIANCE, AgeGroup.CHILD): "csrs",
    (Purpose.ALLIANCE, AgeGroup.YOUNG_CHILD): "csrs",
    (Purpose.GROUP_ALLIANCE, AgeGroup.ADULT): "gsrs",
    (Purpose.GROUP_ALLIANCE, AgeGroup.ADOLESCENT): "gsrs",
}


def chosen_form(service_id: int, age_group: str, purpose: str) -> Instrument | None:
    """The form the service gives this age group for `purpose`, or None if none is chosen."""
    choice = (
        ServiceForm.objects.filter(
            service_id=service_id, age_group=age_group, purpose=purpose, instrument__active=True
        )
        .select_related("instrument")
        .first()
    )
    return None if choice is None else choice.instrument


def forms_by_service(service_ids: Iterable[int]) -> dict[tuple[int, str, str], Instrument]:
    """(service, age group, purpose) → the chosen form, for many services in one query."""
    return {
        (choice.service_id, choice.age_group, choice.purpose): choice.instrument
        for choice in ServiceForm.objects.filter(
            service_id__in=set(service_ids), instrument__active=True
        ).select_related("instrument")
    }


@transaction.atomic
def choose_builtin_forms(service) -> list[ServiceForm]:
    """Give a new service the built-in forms (version 1) where it has made no choice."""
    instruments = {i.key: i for i in Instrument.objects.filter(version=1, active=True)}
    taken = set(ServiceForm.objects.filter(service=service).values_list("purpose", "age_group"))
    return ServiceForm.objects.bulk_create(
        [
            ServiceForm(
                service=service, purpose=purpose, age_group=age, instrument=instruments[key]
            )
            for (purpose, age), key in BUILTIN_CHOICE.items()
            if (purpose, age) not in taken and key in instruments
        ]
    )
