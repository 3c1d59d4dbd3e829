"""Stored instrument definitions, one row per key and version."""

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, NamedTuple

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from .age_groups import AgeGroup
from .alert_simulation import expected_false_alarms
from .definitions import InstrumentDefinition, parse_definition
from .trajectory import MIN_EPISODES, ORANGE, RED, Trajectory, default_model

if TYPE_CHECKING:
    from services.accounts.models import Service


class Purpose(models.TextChoices):
    OUTCOME = "outcome", _("Outcome")
    ALLIANCE = "alliance", _("Alliance")
    # Asked once per member at a group meeting (services.groups), never in a client's sessions.
    GROUP_ALLIANCE = "group_alliance", _("Group alliance")


class InstrumentQuerySet(models.QuerySet):
    def current(self) -> list["Instrument"]:
        """The newest active version of each instrument key."""
        newest: dict[str, Instrument] = {}
        for instrument in self.filter(active=True).order_by("key", "version"):
            newest[instrument.key] = instrument
        return list(newest.values())


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


class TrajectoryModel(models.Model):
    """A calibrated expected-trajectory model, kept for every calibration so a chart's caption
    can always say which model and how much data it rests on.

    A row without a service is shared by all services; a service's own newest row wins. A row
    with a network is that network's model, combined from its members' own models (only their
    fitted percentiles, `services.measures.combining`), used by the members that chose to.
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
    age_group = models.CharField(
        _("age group"),
        max_length=20,
        choices=AgeGroup.choices,
        blank=True,
        help_text=_("Empty for a model fitted before models were fitted per age group."),
    )
    network = models.ForeignKey(
        "network.Network",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="trajectory_models",
        verbose_name=_("network"),
        help_text=_("Set for a network's model, combined from its member services' models."),
    )
    method = models.CharField(_("method"), max_length=40)
    n_episodes = models.PositiveIntegerField(_("closed episodes"))
    n_services = models.PositiveIntegerField(
        _("services"),
        null=True,
        blank=True,
        help_text=_("For a network's model: how many member services' models it combines."),
    )
    fitted_at = models.DateTimeField(_("fitted"))
    parameters = models.JSONField(_("parameters"))

    class Meta:
        ordering = ["-fitted_at", "-pk"]
        verbose_name = _("expected trajectory model")
        verbose_name_plural = _("expected trajectory models")
        indexes = [
            models.Index(
                fields=["service", "age_group", "fitted_at"], name="trajectory_service_age_fitted"
            ),
            models.Index(
                fields=["network", "age_group", "fitted_at"], name="trajectory_network_age_fitted"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(service__isnull=True) | Q(network__isnull=True),
                name="trajectory_service_or_network",
            )
        ]

    def __str__(self) -> str:
        return f"{self.method} ({self.n_episodes}) {self.fitted_at:%Y-%m-%d}"

    @cached_property
    def trajectory(self) -> Trajectory:
        return Trajectory.from_dict(self.parameters)


@dataclass(frozen=True)
class CurrentTrajectory:
    """The model to draw and judge an age group with, a caption saying what it is and what
    false-alarm rate to expect, and a version for caches.

    `model` is None for an age group without a sensible model (the young child's unscored
    form): then no expected band is drawn and no "off track" raised, and the caption says so.
    """

    model: Trajectory | None
    caption: str
    version: str

    @property
    def label(self) -> str:
        """The caption with the model's expected false alarms, simulated on first use (about
        0.1 s per model and process), so pages without a chart, like the caseload, never pay."""
        if self.model is None:
            return self.caption
        return f"{self.caption} {_false_alarms(self.model)}"


def _per_hundred(rate: float) -> str:
    return "<1" if rate < 0.01 else number_format(round(100 * rate))


def _false_alarms(model: Trajectory) -> str:
    rates = expected_false_alarms(model)
    values = {"orange": _per_hundred(rates[ORANGE]), "red": _per_hundred(rates[RED])}
    return str(
        _(
            "Expected false alarms (clients on the expected course flagged at least once in "
            "sessions 3–6, simulated): orange %(orange)s%%, red %(red)s%%."
        )
        % values
    )


def _current(
    stored: TrajectoryModel | None, age_group: str, fallback: Trajectory | None
) -> CurrentTrajectory:
    """The caption and version for a stored model, or for the age group's default.

    An age group without a default (the young child's unscored form) gets no model at all, even
    if a row was stored for it: its scores are not on a scale a trajectory can be judged on.
    """
    if fallback is None:
        stored = None
    group = AgeGroup(age_group).label if age_group in AgeGroup.values else age_group
    if stored is None and fallback is None:
        label = _(
            "No expected trajectory for %(group)s: there is no sensible model for this age "
            'group yet, so "below the expected range" is not shown.'
        )
        return CurrentTrajectory(None, str(label) % {"group": group}, f"none-{age_group}")
    if stored is None:
        label = _(
            "Expected trajectory for %(group)s: the age group's default model, not yet "
            "calibrated on local data."
        )
        text = str(label) % {"group": group}
        return CurrentTrajectory(fallback, text, f"default-{age_group}")
    values = {
        "group": group,
        "count": stored.n_episodes,
        "date": date_format(timezone.localdate(stored.fitted_at), "SHORT_DATE_FORMAT"),
    }
    if stored.network_id is not None:
        services = stored.n_services or 0
        label = ngettext_lazy(
            "Expected trajectory for %(group)s: calibrated on %(count)s closed episodes of this "
            "age group in the network %(network)s (%(services)s service, %(date)s).",
            "Expected trajectory for %(group)s: calibrated on %(count)s closed episodes of this "
            "age group in the network %(network)s (%(services)s services, %(date)s).",
            services,
        )
        values |= {"network": stored.network.name, "services": services}
    elif stored.service_id is None:
        label = _(
            "Expected trajectory for %(group)s: calibrated on %(count)s closed episodes of this "
            "age group from all services (%(date)s)."
        )
    else:
        label = _(
            "Expected trajectory for %(group)s: calibrated on %(count)s closed episodes of this "
            "age group in this service (%(date)s)."
        )
    model = stored.trajectory
    return CurrentTrajectory(
        model=model,
        caption=str(label) % values,
        version=f"{stored.pk}-{stored.fitted_at:%Y%m%d%H%M%S}",
    )


def _opted_in_networks(service_ids: list[int]) -> dict[int, list[int]]:
    """The networks each service uses the trajectories of: active memberships whose service
    chose to (`NetworkMember.use_network_trajectories`). One query."""
    members = apps.get_model("network", "NetworkMember").objects.active()
    networks: dict[int, list[int]] = {}
    for service_id, network_id in members.filter(
        service_id__in=service_ids, use_network_trajectories=True
    ).values_list("service_id", "network_id"):
        networks.setdefault(service_id, []).append(network_id)
    return networks


class _Row(NamedTuple):
    pk: int
    n_episodes: int


def _choose(own: _Row | None, network: _Row | None, shared: _Row | None) -> int | None:
    """Which stored model a service uses for an age group (docs/trajectories.md): its own with
    enough episodes, else its networks' (when it chose to), else its own smaller one (fitted with
    a lowered --min-episodes), else the shared one; None for the default."""
    if own is not None and own.n_episodes >= MIN_EPISODES:
        return own.pk
    for row in (network, own, shared):
        if row is not None:
            return row.pk
    return None


def current_trajectory_models(
    services: "Iterable[Service]", age_groups: Iterable[str] = AgeGroup.values
) -> dict[tuple[int, str], CurrentTrajectory]:
    """The current model of each (service, age group), in three queries for any number of them.

    For each age group, in this order: the service's newest model of that group if it rests on
    at least MIN_EPISODES episodes; else the newest model of a network the service is an active
    member of and chose to use (of several networks, the one with most episodes); else the
    service's newest smaller model; else the newest shared one (no service, no network) of that
    group; else the group's default; else none. Legacy rows fitted on all ages (blank age group)
    are ignored: their curve mixes the child and adult scales.
    """
    ids = [service.pk for service in services]
    groups = list(age_groups)
    networks = _opted_in_networks(ids)
    wanted = {network_id for chosen in networks.values() for network_id in chosen}
    rows = (
        TrajectoryModel.objects.filter(
            Q(service_id__in=ids)
            | Q(service__isnull=True, network__isnull=True)
            | Q(network_id__in=wanted)
        )
        .filter(age_group__in=groups)
        .order_by("-fitted_at", "-pk")
        .values_list("pk", "service_id", "network_id", "age_group", "n_episodes")
    )
    newest: dict[tuple[int | None, str], _Row] = {}
    newest_of_network: dict[tuple[int, str], _Row] = {}
    for pk, service_id, network_id, age_group, n_episodes in rows:
        if network_id is not None:
            newest_of_network.setdefault((network_id, age_group), _Row(pk, n_episodes))
        else:
            newest.setdefault((service_id, age_group), _Row(pk, n_episodes))
    chosen: dict[tuple[int, str], int | None] = {}
    for service_id in ids:
        for age_group in groups:
            borrowed = [
                newest_of_network[(network_id, age_group)]
                for network_id in networks.get(service_id, ())
                if (network_id, age_group) in newest_of_network
            ]
            chosen[(service_id, age_group)] = _choose(
                newest.get((service_id, age_group)),
                max(borrowed, key=lambda row: row.n_episodes, default=None),
                newest.get((None, age_group)),
            )
    pks = {pk for pk in chosen.values() if pk is not None}
    stored = TrajectoryModel.objects.select_related("network").in_bulk(pks) if pks else {}
    return {
        key: _current(stored.get(pk), key[1], default_model(key[1])) for key, pk in chosen.items()
    }


def current_trajectory_model(service: "Service | None", age_group: str) -> CurrentTrajectory:
    """The model for one age group of one service (or of all services, for None)."""
    if service is not None:
        return current_trajectory_models([service], [age_group])[(service.pk, age_group)]
    rows = TrajectoryModel.objects.filter(
        service__isnull=True, network__isnull=True, age_group=age_group
    )
    return _current(rows.order_by("-fitted_at", "-pk").first(), age_group, default_model(age_group))


class ServiceForm(models.Model):
    """The form a service gives clients of one age group for one purpose.

    Chosen by the service's administrator, never guessed: loading or upgrading an instrument
    changes nothing clients see until someone chooses it here.
    """

    service = models.ForeignKey(
        "accounts.Service",
        on_delete=models.CASCADE,
        related_name="forms",
        verbose_name=_("service"),
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    age_group = models.CharField(_("age group"), max_length=20, choices=AgeGroup.choices)
    instrument = models.ForeignKey(
        Instrument, on_delete=models.PROTECT, related_name="+", verbose_name=_("form")
    )
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("chosen by"),
    )
    chosen_at = models.DateTimeField(_("chosen"), default=timezone.now)

    class Meta:
        ordering = ["service", "purpose", "age_group"]
        verbose_name = _("form in use")
        verbose_name_plural = _("forms in use")
        constraints = [
            models.UniqueConstraint(
                fields=["service", "purpose", "age_group"], name="one_form_per_purpose_and_age"
            )
        ]

    def __str__(self) -> str:
        return f"{self.service_id} {self.purpose} {self.age_group}: {self.instrument}"
