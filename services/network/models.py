"""A network of services, its members and its coordinators.

A platform operator creates a network and invites services; a service is a member only once one
of its administrators has accepted, and leaves when one of them says so. A coordinator (a KOR
network's coordinator, a researcher at the university) sees the members' figures side by side
and the network's pooled figures, never a client: only sums leave each service.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from services.accounts.models import Service


class Network(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("network")
        verbose_name_plural = _("networks")

    def __str__(self) -> str:
        return self.name


class MemberQuerySet(models.QuerySet):
    def active(self):
        """Members that accepted and have not left."""
        return self.filter(joined_at__isnull=False, left_at__isnull=True)


class NetworkMember(models.Model):
    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="members", verbose_name=_("network")
    )
    service = models.ForeignKey(
        Service,
        on_delete=models.CASCADE,
        related_name="network_memberships",
        verbose_name=_("service"),
    )
    invited_at = models.DateTimeField(_("invited"), auto_now_add=True)
    joined_at = models.DateTimeField(_("joined"), null=True, blank=True)
    joined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    left_at = models.DateTimeField(_("left"), null=True, blank=True)
    # Issue #20 part 3: a service with too few closed episodes of its own may chart its clients
    # against the network's expected trajectories (combined from the members' fitted models,
    # never their rows). Its administrator chooses; off until then. docs/trajectories.md.
    use_network_trajectories = models.BooleanField(
        _("use the network's expected trajectories"),
        default=False,
        help_text=_(
            "For an age group with no model of the service's own on enough closed episodes, "
            "draw and judge the expected trajectory with the network's model."
        ),
    )

    objects = MemberQuerySet.as_manager()

    class Meta:
        ordering = ["network", "service__name"]
        verbose_name = _("network member")
        verbose_name_plural = _("network members")
        constraints = [
            models.UniqueConstraint(fields=["network", "service"], name="one_membership_a_network")
        ]

    def __str__(self) -> str:
        return f"{self.service} – {self.network}"

    @property
    def is_active(self) -> bool:
        return self.joined_at is not None and self.left_at is None


class Coordinator(models.Model):
    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="coordinators", verbose_name=_("network")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="coordinated_networks",
        verbose_name=_("user"),
    )
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        ordering = ["network", "user"]
        verbose_name = _("network coordinator")
        verbose_name_plural = _("network coordinators")
        constraints = [
            models.UniqueConstraint(fields=["network", "user"], name="one_coordinator_role")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.network}"
