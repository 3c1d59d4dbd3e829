"""Stored instrument definitions, one row per key and version."""

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from .definitions import InstrumentDefinition, Norms, parse_definition
from .trajectory import DEFAULT_MODEL, Trajectory

if TYPE_CHECKING:
    from services.accounts.models import Service


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


class TrajectoryModel(models.Model):
    """A calibrated expected-trajectory model, kept for every calibration so a chart's caption
    can always say which model and how much data it rests on.

    A row without a service is shared by all services; a service's own newest row wins.
    """

    service = models.ForeignKey(
        "accounts.Service",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="trajectory_models",
        verbose_name=_("service"),
        help_text=_("Empty for a model shared by all services."),
    )
    method = models.CharField(_("method"), max_length=40)
    n_episodes = models.PositiveIntegerField(_("closed episodes"))
    fitted_at = models.DateTimeField(_("fitted"))
    parameters = models.JSONField(_("parameters"))

    class Meta:
        ordering = ["-fitted_at", "-pk"]
        verbose_name = _("expected trajectory model")
        verbose_name_plural = _("expected trajectory models")
        indexes = [models.Index(fields=["service", "fitted_at"], name="trajectory_service_fitted")]

    def __str__(self) -> str:
        return f"{self.method} ({self.n_episodes}) {self.fitted_at:%Y-%m-%d}"

    @cached_property
    def trajectory(self) -> Trajectory:
        return Trajectory.from_dict(self.parameters)


@dataclass(frozen=True)
class CurrentTrajectory:
    """The model to draw and judge with, a caption saying what it is, and a version for caches."""

    model: Trajectory
    label: str
    version: str


def current_trajectory_model(service: "Service | None") -> CurrentTrajectory:
    """The service's newest calibrated model, else the newest shared one, else the default."""
    rows = TrajectoryModel.objects.filter(service__isnull=True)
    if service is not None:
        rows = TrajectoryModel.objects.filter(Q(service=service) | Q(service__isnull=True))
    stored = rows.order_by(F("service").asc(nulls_last=True), "-fitted_at", "-pk").first()
    if stored is None:
        return CurrentTrajectory(
            model=DEFAULT_MODEL,
            label=str(
                _(
                    "Expected trajectory: the default model, a documented assumption not yet "
                    "calibrated on local data."
                )
            ),
            version="default",
        )
    values = {
        "count": stored.n_episodes,
        "date": date_format(timezone.localdate(stored.fitted_at), "SHORT_DATE_FORMAT"),
    }
    if stored.service_id is None:
        label = _(
            "Expected trajectory: calibrated on %(count)s closed episodes from all services "
            "(%(date)s)."
        )
    else:
        label = _(
            "Expected trajectory: calibrated on %(count)s closed episodes in this service "
            "(%(date)s)."
        )
    return CurrentTrajectory(
        model=stored.trajectory,
        label=str(label) % values,
        version=f"{stored.pk}-{stored.fitted_at:%Y%m%d%H%M%S}",
    )
