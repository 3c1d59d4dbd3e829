"""Stored instrument definitions, one row per key and version."""

from functools import cached_property

from django.db import models
from django.utils.translation import gettext_lazy as _

from .definitions import InstrumentDefinition, Norms, parse_definition


class Purpose(models.TextChoices):
    OUTCOME = "outcome", _("Outcome")
    ALLIANCE = "alliance", _("Alliance")


class InstrumentQuerySet(models.QuerySet):
    def current(self) -> list["Instrument"]:
        """The newest active version of each instrument key."""
        newest: dict[str, Instrument] = {}
        for instrument in self.filter(active=True).order_by("key", "version"):
            newest[instrument.key] = instrument
        return list(newest.values())

    def for_age_group(self, age_group: str, purpose: str) -> "Instrument | None":
        """The instrument a client of this age group is asked to fill in for `purpose`."""
        for instrument in self.current():
            if instrument.purpose == purpose and age_group in instrument.spec.age_groups:
                return instrument
        return None


class Instrument(models.Model):
    key = models.SlugField(_("key"), max_length=40)
    version = models.PositiveIntegerField(_("version"))
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    definition = models.JSONField(_("definition"))
    active = models.BooleanField(_("active"), default=True)
    loaded_at = models.DateTimeField(_("loaded"), auto_now=True)

    objects = InstrumentQuerySet.as_manager()

    class Meta:
        ordering = ["key", "version"]
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="instrument_key_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.key} v{self.version}"

    @cached_property
    def spec(self) -> InstrumentDefinition:
        return parse_definition(self.definition)


def norms_by_age_group(instruments: list[Instrument]) -> dict[str, Norms]:
    """Cutoff and reliable change for every age group, from the current outcome instruments."""
    norms: dict[str, Norms] = {}
    for instrument in sorted(instruments, key=lambda i: (i.key, i.version)):
        if instrument.purpose == Purpose.OUTCOME and instrument.active:
            norms.update(instrument.spec.norms)
    return norms
