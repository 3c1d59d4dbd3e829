"""One-time invitation links: how a new staff member chooses their own password.

The administrator never knows the password, and no mail server is assumed: the administrator
copies the link and sends it. Only a SHA-256 hash of the random token is stored, so a leaked
database copy cannot be used to take over an account that is not set up yet.
"""

import datetime
import hashlib
import secrets
from enum import Enum

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from .models import Invitation, Service, User

TOKEN_BYTES = 32
LONGEST_TOKEN = 100


class State(Enum):
    OPEN = "open"
    USED = "used"
    EXPIRED = "expired"


class InvitationClosed(Exception):
    """The invitation was used or expired between showing the form and saving it."""

    def __init__(self, state: State):
        super().__init__(state.value)
        self.state = state


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue(user: User, service: Service, *, created_by: User) -> str:
    """A fresh link for `user`; any older open link of theirs in this service stops working."""
    now = timezone.now()
    expire_open(user, service, now=now)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    Invitation.objects.create(
        user=user,
        service=service,
        token_hash=hash_token(token),
        created_by=created_by,
        expires_at=now + datetime.timedelta(days=settings.INVITATION_DAYS),
    )
    return token


def expire_open(user: User, service: Service, *, now: datetime.datetime | None = None) -> int:
    """End the user's unused links in this service, e.g. when they are deactivated."""
    now = now or timezone.now()
    return Invitation.objects.filter(
        user=user, service=service, used_at__isnull=True, expires_at__gt=now
    ).update(expires_at=now)


def find(token: str) -> Invitation | None:
    """The invitation for this token, or None; a wrong token tells nothing about others."""
    if not token or len(token) > LONGEST_TOKEN:
        return None
    return (
        Invitation.objects.select_related("user", "service")
        .filter(token_hash=hash_token(token))
        .first()
    )


def state(invitation: Invitation, now: datetime.datetime | None = None) -> State:
    now = now or timezone.now()
    if invitation.used_at is not None:
        return State.USED
    still_member = invitation.user.memberships.filter(service=invitation.service).exists()
    if invitation.expires_at <= now or not still_member:
        return State.EXPIRED
    return State.OPEN


def accept(invitation: Invitation, password: str) -> User:
    """Set the password, activate the user and use up the invitation, all or nothing.

    The row is locked first, so two tabs sending the form at once cannot both succeed.
    """
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        current = state(locked)
        if current is not State.OPEN:
            raise InvitationClosed(current)
        user = User.objects.select_for_update().get(pk=locked.user_id)
        user.set_password(password)
        user.is_active = True
        user.save(update_fields=["password", "is_active"])
        locked.used_at = timezone.now()
        locked.save(update_fields=["used_at"])
    return user


def link(request: HttpRequest, token: str) -> str:
    return request.build_absolute_uri(reverse("staff:accept", args=[token]))
