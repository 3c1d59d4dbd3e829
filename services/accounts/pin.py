"""The short personal PIN that unlocks the tablet after a client has rated on it.

A PIN is quicker than a password in front of a client, and the password still works as a
fallback. Because a PIN is short, wrong attempts are counted per user in the database (so every
worker process and every tablet shares the count): after PIN_FAILURE_LIMIT wrong PINs or
passwords, unlocking is refused for PIN_LOCKOUT_MINUTES, even with the right one.

A client who guesses must not lock the helper out of their own tablet, so the block is lifted by
what only the helper has: the password together with the second factor, on the unlock page or by
a full login (see `lift_block`).
"""

import datetime
from enum import StrEnum
from itertools import pairwise

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from services.audit import log
from services.audit.models import Action

from .models import User

PIN_LENGTHS = range(4, 9)


def check_pin_rules(pin: str) -> str:
    """4 to 8 digits, and not one a bystander guesses first (1111, 1234, 4321)."""
    if not pin.isdigit() or not pin.isascii() or len(pin) not in PIN_LENGTHS:
        raise ValidationError(_("The PIN must be 4 to 8 digits."), code="format")
    steps = {int(b) - int(a) for a, b in pairwise(pin)}
    if steps in ({0}, {1}, {-1}):
        raise ValidationError(_("Choose a PIN that is harder to guess."), code="simple")
    return pin


def set_pin(user: User, pin: str, *, request=None) -> None:
    user.pin_hash = make_password(check_pin_rules(pin))
    user.unlock_failures = 0
    user.unlock_locked_until = None
    user.save(update_fields=["pin_hash", "unlock_failures", "unlock_locked_until"])
    log.record(Action.CHANGE, obj=user, user=user, request=request, detail="tablet PIN set")


def remove_pin(user: User, *, request=None) -> None:
    user.pin_hash = ""
    user.save(update_fields=["pin_hash"])
    log.record(Action.CHANGE, obj=user, user=user, request=request, detail="tablet PIN removed")


class Unlock(StrEnum):
    OK = "ok"
    WRONG = "wrong"
    BLOCKED = "blocked"


def blocked_until(user: User, now: datetime.datetime | None = None) -> datetime.datetime | None:
    now = now or timezone.now()
    until = user.unlock_locked_until
    return until if until is not None and until > now else None


def tries_left(user: User, now: datetime.datetime | None = None) -> int:
    """Wrong PINs or passwords still allowed before unlocking is blocked (0 while blocked)."""
    if blocked_until(user, now):
        return 0
    return max(0, settings.PIN_FAILURE_LIMIT - user.unlock_failures)


def lift_block(user: User, *, request=None) -> None:
    """Clear the wrong-attempt count once the helper has proved both factors."""
    if not user.unlock_failures and user.unlock_locked_until is None:
        return
    User.objects.filter(pk=user.pk).update(unlock_failures=0, unlock_locked_until=None)
    user.unlock_failures, user.unlock_locked_until = 0, None
    log.record(
        Action.CHANGE, obj=user, user=user, request=request, detail="tablet unlock block lifted"
    )


def try_unlock(user: User, secret: str, *, request=None) -> Unlock:
    """Check a PIN or password against the user's, counting wrong attempts.

    The user's row is locked while counting, so two tablets guessing at once cannot both get
    a free attempt.
    """
    now = timezone.now()
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if blocked_until(locked, now):
            return Unlock.BLOCKED
        secret = secret.strip() if secret.strip().isdigit() else secret
        right = bool(secret) and (
            (bool(locked.pin_hash) and check_password(secret, locked.pin_hash))
            or locked.check_password(secret)
        )
        if right:
            locked.unlock_failures = 0
            locked.unlock_locked_until = None
        else:
            locked.unlock_failures += 1
            if locked.unlock_failures >= settings.PIN_FAILURE_LIMIT:
                locked.unlock_failures = 0
                locked.unlock_locked_until = now + datetime.timedelta(
                    minutes=settings.PIN_LOCKOUT_MINUTES
                )
        locked.save(update_fields=["unlock_failures", "unlock_locked_until"])
    if right:
        log.record(Action.UNLOCK, obj=user, user=user, request=request, detail="tablet unlocked")
        return Unlock.OK
    log.record(Action.LOGIN_FAILED, user=user, request=request, detail="wrong tablet unlock")
    return Unlock.BLOCKED if blocked_until(locked, now) else Unlock.WRONG
