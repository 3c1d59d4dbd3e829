"""Issuing, finding and revoking API keys: the only code that sees a key's secret."""

import datetime
import hashlib
import hmac
import secrets

from django.db import transaction
from django.utils import timezone

from services.audit import log
from services.audit.models import Action

from .models import ApiKey

MARK = "fbk"  # a key's first letters, so a secret scanner (and a person) can tell what it is


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def issue(
    service, *, name: str, scope: str, expires_at: datetime.datetime, created_by, request=None
):
    """A new key and its full text, which is shown to the administrator once and never again."""
    prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)
    key = ApiKey.objects.create(
        service=service,
        name=name,
        prefix=prefix,
        secret_hash=_digest(secret),
        scope=scope,
        expires_at=expires_at,
        created_by=created_by,
    )
    log.record(Action.CREATE, obj=key, service=service, request=request, detail="api key")
    return key, f"{MARK}_{prefix}_{secret}"


def find(text: str) -> ApiKey | None:
    """The usable key with this text, or None (unknown, wrong secret, revoked or expired)."""
    parts = text.split("_", 2)  # the secret itself may hold "_" (URL-safe base64)
    if len(parts) != 3 or parts[0] != MARK or not parts[1] or not parts[2]:
        return None
    prefix, secret = parts[1], parts[2]
    key = ApiKey.objects.select_related("service").filter(prefix=prefix[:12]).first()
    if key is None or not hmac.compare_digest(key.secret_hash, _digest(secret)):
        return None
    return key if key.is_usable() else None


def mark_used(key: ApiKey) -> None:
    """Note the last use at most once a minute, so a busy integration does not write every call."""
    now = timezone.now()
    if key.last_used_at is None or now - key.last_used_at > datetime.timedelta(minutes=1):
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now


@transaction.atomic
def revoke(key: ApiKey, *, request=None) -> None:
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
        log.record(Action.CHANGE, obj=key, service=key.service, request=request, detail="revoked")
