"""Built dashboard pages kept until the facts change, and never a moment longer.

Why: a page reads every fact of its service (at 50,000 clients, hundreds of thousands of rows)
and draws up to eight charts, while the facts change only when `facts.refresh_outdated`
rebuilds some; between rebuilds every view of the same page would compute the same figures.
So a page's built figures are kept in the shared cache under a key that names the current
*generation* of the facts, and every rebuild starts a new one. (Its charts are kept by their
content, `visuals`: once for every page and generation that shows the same chart.)

Why it can never show figures older than the data:

- `facts_changed` is called at the end of every rebuild, inside its transaction. Before the
  commit it marks the facts *unsettled*; once the transaction has committed it starts a new
  generation and then lifts its own mark. While a mark stands, `generation` answers None and
  pages are built from the database and not kept: the facts may have changed underneath.
- A reader first takes in pending changes (`refresh_outdated`, as every dashboard read does),
  then reads the generation, then looks its page up. A rebuild committed before that is either
  still marked (no cache) or has started a new generation (pages built from the new facts only);
  a reader that had to wait for someone else's rebuild passes through the rebuild itself and
  starts a generation of its own. A page is only ever built from facts at least as new as its
  generation, so a reader gets figures at least as new as the data its own refresh saw.
- A rebuild rolled back leaves its mark behind: the next successful rebuild (`refresh_outdated`
  tries again at once) replaces it and lifts it; otherwise it expires (`UNSETTLED_SECONDS`, far
  longer than any rebuild). Until then pages are simply built every time.
- The key holds everything else the kept figures depend on (the caller's `parts`): the
  service, its helper-comparison setting, the team or helper, the period, the units compared
  with their names, the language, the viewer's dashboard roles; and a fingerprint of the code
  and translations that compute them, so a deployment never shows an older version's figures.

Only a cache shared by every process can carry the generation (Redis in production; a
file-based cache on one host): with each process's own memory a rebuild in the job worker or in
another server process would go unseen, so there pages are built every time (their charts are
still kept by content).
"""

import functools
import hashlib
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.db import transaction

GENERATION = "dashboards:facts:generation"
UNSETTLED = "dashboards:facts:unsettled"
UNSETTLED_SECONDS = 60 * 60
PAGE_SECONDS = 24 * 60 * 60

T = TypeVar("T")


def facts_changed() -> None:
    """Called by `facts.refresh_outdated` inside its rebuild's transaction (see above).

    Where the cache is shared and cannot be reached, this fails, and with it the rebuild (to be
    tried again): a rebuild that could not be marked would leave pages kept from before it.
    """
    if not shared():
        return
    token = uuid.uuid4().hex
    cache.set(UNSETTLED, token, UNSETTLED_SECONDS)
    transaction.on_commit(lambda: _settle(token))


def _settle(token: str) -> None:
    """A new generation, then lift this rebuild's mark (not a later rebuild's)."""
    cache.set(GENERATION, uuid.uuid4().hex, None)
    if cache.get(UNSETTLED) == token:
        cache.delete(UNSETTLED)


def shared() -> bool:
    """Whether every process sees this cache (a generation in one process's memory would not
    reach the others)."""
    return not isinstance(caches["default"], LocMemCache | DummyCache)


def generation() -> str | None:
    """The facts' current generation; None while a rebuild is unsettled, or where the cache
    is not shared. Read after `refresh_outdated`."""
    if not shared():
        return None
    # The mark first: a rebuild lifts it only after starting its generation.
    if cache.get(UNSETTLED) is not None:
        return None
    current = cache.get(GENERATION)
    if current is None:
        cache.add(GENERATION, uuid.uuid4().hex, None)
        current = cache.get(GENERATION)
    return current


@functools.cache
def code_fingerprint() -> str:
    """A digest of the code and translations a kept page was computed with."""
    root = Path(settings.BASE_DIR)
    files = sorted(
        [
            *(root / "services" / "dashboards").glob("*.py"),
            *(root / "services" / "measures").glob("*.py"),
            *(root / "locale").glob("*/LC_MESSAGES/*.mo"),
        ]
    )
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def page_key(generation_: str, *parts) -> str:
    """The cache key of a kept page: the generation, the code, and what the page shows."""
    text = repr((generation_, code_fingerprint(), parts))
    return "dashboards:page:" + hashlib.sha256(text.encode()).hexdigest()


def kept(parts: tuple, build: Callable[[], T]) -> T:
    """`build()`, kept until the facts change; `parts` name everything else it depends on.

    Call after `refresh_outdated`.
    """
    current = generation()
    if current is None:
        return build()
    key = page_key(current, *parts)
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, PAGE_SECONDS)
    return value
