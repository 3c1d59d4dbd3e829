"""A small per-address request limit for the pages anyone can open without logging in.

Remote links carry a signed token, so guessing one is hopeless, but a limit still stops a
script from hammering the form or the database. Counts live in Django's cache: with several
server processes, configure a shared cache (e.g. Redis) so they count together.
"""

from django.core.cache import cache


def over_limit(request, scope: str, limit: int, seconds: int) -> bool:
    """Count this request; True once the address made more than `limit` in `seconds`."""
    address = request.META.get("REMOTE_ADDR", "unknown")
    key = f"ratelimit:{scope}:{address}"
    cache.add(key, 0, seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, seconds)
        count = 1
    return count > limit
