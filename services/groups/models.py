"""Groups (a course, a self-help group, an activity group), their members and meetings, and the
answers given at a meeting (issue #18, part 3).

A member is a client of the service (their episode: their outcome answers at a meeting join
their own series as a group session) or a participant who is not a client, known only by what
the group leader calls them. Every member has a short personal code: at a meeting each member
opens the group's one QR code on their own phone, or gets the tablet passed round, and types the
code. One turn per member per meeting (`Turn`), one group alliance answer per member per meeting
(`GroupRating`): a second use of a code at the same meeting is refused, so nothing is stored
twice.
"""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from services.accounts.models import Service
from services.clients.models import Episode
from services.measures.models import Instrument

# No 0/O, 1/I/L, 5/S, 2/Z, 8/B: a code read aloud or from a card is typed right the first time.
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 6


def new_member_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalised_code(typed: str) -> str:
    """A code as stored, from what a member typed: case, spaces and dashes do not matter."""
    return "".join(typed.split()).replace("-", "").upper()[:20]


class GroupKind(models.TextChoices):
    COURSE = "course", _("Course")
    SELF_HELP = "self_help", _("Self-help group")
    ACTIVITY = "activity", _("Activity group")


class Group(models.Model):
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, related_name="groups", verbose_name=_("service")
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=GroupKind.choices)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="led_groups",
        verbose_name=_("group leader"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    closed_on = models.DateField(_("ended"), null=True, blank=True)

    class Meta:
        ordering = ["service", "name"]
        verbose_name = _("group")
        verbose_name_plural = _("groups")

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


class Member(models.Model):
    group = models.ForeignKey(
        Group, on_delete=models.CASCADE, related_name="members", verbose_name=_("group")
    )
    # Erasing the client, or retention deleting the episode, takes their membership and answers.
    episode = models.ForeignKey(
        Episode,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="group_memberships",
        verbose_name=_("client's episode"),
    )
    label = models.CharField(
        _("what the group calls them"),
        max_length=40,
        blank=True,
        help_text=_("For a participant who is not a client: a first name or a nickname."),
    )
    code = models.CharField(_("personal code"), max_length=CODE_LENGTH, default=new_member_code)
    joined_on = models.DateField(_("joined"), default=timezone.localdate)
    left_on = models.DateField(_("left"), null=True, blank=True)

    class Meta:
        ordering = ["group", "joined_on", "pk"]
        verbose_name = _("group member")
        verbose_name_plural = _("group members")
        constraints = [
            models.UniqueConstraint(fields=["group", "code"], name="member_code_unique_in_group"),
            models.UniqueConstraint(
                fields=["group", "episode"],
                condition=models.Q(episode__isnull=False),
                name="client_once_in_group",
            ),
            models.CheckConstraint(
                condition=models.Q(episode__isnull=False) | ~models.Q(label=""),
                name="member_is_client_or_named",
            ),
        ]

    def __str__(self) -> str:
        return self.label or str(self.episode.client)

    @property
    def is_client(self) -> bool:
        return self.episode_id is not None

    def was_member_on(self, day) -> bool:
        """A member on the day of a meeting: joined, and not left before it (the dashboard's
        attendance counts the same pairs in SQL, services/dashboards/group_figures.py)."""
        return self.joined_on <= day and (self.left_on is None or self.left_on >= day)


class Meeting(models.Model):
    group = models.ForeignKey(
        Group, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("group")
    )
    number = models.PositiveIntegerField(_("meeting number"))
    date = models.DateField(_("date"))
    # The group QR code's address: random, and answerable only until `open_until`.
    token = models.UUIDField(_("QR code token"), unique=True, default=uuid.uuid4, editable=False)
    open_until = models.DateTimeField(_("answers open until"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # The figures the leader and the dashboard see, stored once the meeting has closed
    # (`figures.freeze_closed`) and never changed: read live, two reads a new answer apart, or
    # one before and one after a client's erasure, would give one person's answer away.
    answered = models.PositiveIntegerField(_("answered the group form"), null=True, blank=True)
    mean_total = models.DecimalField(
        _("mean group form total"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    figures_frozen_at = models.DateTimeField(_("figures frozen at"), null=True, blank=True)

    class Meta:
        ordering = ["group", "number"]
        verbose_name = _("group meeting")
        verbose_name_plural = _("group meetings")
        constraints = [
            models.UniqueConstraint(fields=["group", "number"], name="meeting_number_in_group"),
            models.UniqueConstraint(fields=["group", "date"], name="one_meeting_a_day_in_group"),
        ]

    def __str__(self) -> str:
        return f"{self.group} #{self.number} ({self.date:%Y-%m-%d})"

    def is_open(self, now) -> bool:
        return now < self.open_until


class Attendance(models.Model):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("meeting")
    )
    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("member")
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="attended_once"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} – {self.member_id}"


class TurnMethod(models.TextChoices):
    PHONE = "phone", _("Own phone")
    TABLET = "tablet", _("Tablet passed round")


class Turn(models.Model):
    """One member's one turn at one meeting, opened by their code; the code's one-time use.

    Its random token is the address of the member's forms for this meeting, so a reload or a
    dropped connection on the member's phone loses nothing, while a second typing of the code
    (another phone, or someone who saw it) is refused.
    """

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="turns", verbose_name=_("meeting")
    )
    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="turns", verbose_name=_("member")
    )
    token = models.UUIDField(_("token"), unique=True, default=uuid.uuid4, editable=False)
    method = models.CharField(_("answered on"), max_length=10, choices=TurnMethod.choices)
    # The random key of the code form that opened the turn: the same form sent twice (a double
    # tap, a resend after a dropped reply) finds its turn instead of being refused as a reuse.
    join_key = models.UUIDField(_("join key"), unique=True, null=True, editable=False)
    # A client member's outcome form, handed over in their own episode's group session.
    handover = models.OneToOneField(
        "ratings.Handover",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="group_turn",
        verbose_name=_("outcome form"),
    )
    opened_at = models.DateTimeField(_("opened"), auto_now_add=True)

    class Meta:
        verbose_name = _("turn at a meeting")
        verbose_name_plural = _("turns at meetings")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="one_turn_per_meeting"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} – {self.get_method_display()}"


class GroupRating(models.Model):
    """A member's answer to the group alliance form at one meeting, stored exactly once."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="ratings", verbose_name=_("meeting")
    )
    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="ratings", verbose_name=_("member")
    )
    instrument = models.ForeignKey(
        Instrument, on_delete=models.PROTECT, related_name="group_ratings", verbose_name=_("form")
    )
    items = models.JSONField(_("item scores"))
    total = models.DecimalField(_("total"), max_digits=4, decimal_places=1)
    method = models.CharField(_("answered on"), max_length=10, choices=TurnMethod.choices)
    rated_at = models.DateTimeField(_("rated at"))
    submission_key = models.UUIDField(_("submission key"), unique=True)

    class Meta:
        ordering = ["meeting", "pk"]
        verbose_name = _("group alliance answer")
        verbose_name_plural = _("group alliance answers")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "member"], name="one_group_rating_per_meeting"
            ),
            models.CheckConstraint(
                condition=models.Q(total__gte=0), name="group_rating_total_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instrument.key} {self.total} – {self.meeting}"
