"""A small per-address request limit for the pages anyone can open without logging in.

Remote links carry a signed token, so guessing one is hopeless, but a limit still stops a
script from hammering the form or the database. Counts live in Django's cache: with several
server processes, set REDIS_URL so they count together in one Redis.
"""

import logging

from django.core.cache import cache

logger = logging.getLogger(__name__)


def over_limit(request, scope: str, limit: int, seconds: int) -> bool:
    """Count this request; True once the address made more than `limit` in `seconds`."""
    address = request.META.get("REMOTE_ADDR", "unknown")
    key = f"ratelimit:{scope}:{address}"
    try:
        cache.add(key, 0, seconds)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, seconds)
            count = 1
    except Exception:
        # The limit guards the database; a client's answer must not be lost because the
        # shared cache is briefly away, so the request goes through and the outage is logged.
        logger.exception("Request limit not counted: the cache is not reachable")
        return False
    return count > limit


def already_over(request, scope: str, limit: int) -> bool:
    """Whether the address is over `limit` in `scope` already, without counting this request:
    for limits that count only failures (a wrong code), checked before each try."""
    address = request.META.get("REMOTE_ADDR", "unknown")
    try:
        return (cache.get(f"ratelimit:{scope}:{address}") or 0) > limit
    except Exception:
        logger.exception("Request limit not read: the cache is not reachable")
        return False
