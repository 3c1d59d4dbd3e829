"""Peer supervision across the services of a network (issue #20 part 4).

A network's coordinator makes supervision groups of helpers from its member services. A helper
shares one of their client's episodes with a group as a pseudonymous case: a random label, a
question in the helper's words, and a snapshot frozen when shared, of scores by session and
week, signals and age group, never the client's code, name, goals or own words. The client's
consent is recorded with the share; the case can be withdrawn, which deletes the snapshot, the
question and the comments. Every read and write is in the client's access log.

A membership in a group counts only while the user is a helper in a service that is an active
member of the group's network, and a case is seen only while its own service is: a service that
leaves takes its helpers and its cases out at once (see `access`).
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from services.clients.models import Episode
from services.network.models import Network

# No 0/O, 1/I: a label is read aloud in a meeting.
LABEL_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
LABEL_LENGTH = 4
QUESTION_LENGTH = 1000
COMMENT_LENGTH = 2000


def new_label() -> str:
    """A random case label, e.g. "7F3A": nothing in it comes from the client or the episode."""
    return "".join(secrets.choice(LABEL_ALPHABET) for _ in range(LABEL_LENGTH))


class SupervisionGroup(models.Model):
    network = models.ForeignKey(
        Network,
        on_delete=models.CASCADE,
        related_name="supervision_groups",
        verbose_name=_("network"),
    )
    name = models.CharField(_("name"), max_length=120)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["network", "name"]
        verbose_name = _("supervision group")
        verbose_name_plural = _("supervision groups")
        constraints = [
            models.UniqueConstraint(fields=["network", "name"], name="one_group_name_a_network")
        ]

    def __str__(self) -> str:
        return f"{self.name} – {self.network}"


class GroupMember(models.Model):
    """A helper the network's coordinator added to a group; see the module's note on when it
    counts."""

    group = models.ForeignKey(
        SupervisionGroup,
        on_delete=models.CASCADE,
        related_name="members",
        verbose_name=_("supervision group"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="supervision_group_memberships",
        verbose_name=_("helper"),
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("added by"),
    )
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        ordering = ["group", "user__first_name", "user__last_name", "user__username"]
        verbose_name = _("supervision group member")
        verbose_name_plural = _("supervision group members")
        constraints = [
            models.UniqueConstraint(fields=["group", "user"], name="one_membership_a_group")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.group}"


class SharedCase(models.Model):
    """One episode shared with one group. `snapshot` is all the group sees of the client (see
    `snapshot.take`); it is emptied, with the question and the comments, when withdrawn."""

    group = models.ForeignKey(
        SupervisionGroup,
        on_delete=models.CASCADE,
        related_name="cases",
        verbose_name=_("supervision group"),
    )
    episode = models.ForeignKey(
        Episode, on_delete=models.CASCADE, related_name="+", verbose_name=_("episode")
    )
    label = models.CharField(_("label"), max_length=8, unique=True, default=new_label)
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("shared by"),
    )
    shared_at = models.DateTimeField(_("shared"), auto_now_add=True)
    question = models.CharField(
        _("question"),
        max_length=QUESTION_LENGTH,
        help_text=_(
            "What you would like the group's help with. No name and nothing else that could "
            "tell who the client is: no place, workplace, family details, dates or rare events."
        ),
    )
    consent_recorded_at = models.DateTimeField(_("consent recorded"))
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("consent recorded by"),
    )
    snapshot = models.JSONField(_("what the group sees"), default=dict, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawn by"),
    )

    class Meta:
        ordering = ["-shared_at", "-pk"]
        verbose_name = _("shared case")
        verbose_name_plural = _("shared cases")
        constraints = [
            # Shared again only after it was withdrawn.
            models.UniqueConstraint(
                fields=["group", "episode"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="one_open_share_an_episode_a_group",
            )
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class CaseComment(models.Model):
    case = models.ForeignKey(
        SharedCase, on_delete=models.CASCADE, related_name="comments", verbose_name=_("case")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("written by"),
    )
    text = models.CharField(_("comment"), max_length=COMMENT_LENGTH)
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment on a shared case")
        verbose_name_plural = _("comments on shared cases")

    def __str__(self) -> str:
        return f"{self.case} {self.created_at:%Y-%m-%d}"
