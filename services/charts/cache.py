"""Charts cached by their content, so showing the same chart again costs one cache read.

The key is a hash of everything that decides the bytes: the drawing function, the chart data
(frozen dataclasses, serialised to canonical JSON), the options, the output format, the
language and the trajectory model's version. New data, a new model or another language gives a
new key, so nothing is ever invalidated by hand and a stale chart cannot be served.
"""

import dataclasses
import datetime
import hashlib
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.core.cache import cache

# Bump when the drawing code changes what the same data looks like.
CHART_VERSION = 2
DEFAULT_TIMEOUT = 24 * 60 * 60


def _plain(value: Any) -> Any:
    """JSON for the values chart data is made of; anything else is a programming error."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {field.name: getattr(value, field.name) for field in dataclasses.fields(value)}
        return {"__class__": type(value).__name__, **fields}
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"cannot use {type(value).__name__} in a chart cache key")


def chart_cache_key(
    render_fn: Callable[..., bytes],
    data: Any,
    *,
    model_version: str,
    language: str,
    fmt: str,
    options: dict[str, Any] | None = None,
) -> str:
    """A short cache key naming the chart kind, with a SHA-256 of all its inputs."""
    name = f"{render_fn.__module__}.{render_fn.__qualname__}"
    payload = json.dumps(
        {
            "version": CHART_VERSION,
            "chart": name,
            "data": data,
            "model": model_version,
            "language": language,
            "fmt": fmt,
            "options": options or {},
        },
        default=_plain,
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    digest = hashlib.sha256(payload.encode()).hexdigest()
    return f"chart:{render_fn.__name__}:{fmt}:{digest}"


def cached_chart(
    render_fn: Callable[..., bytes],
    data: Any,
    *,
    model_version: str,
    language: str,
    fmt: str = "svg",
    timeout: int | None = DEFAULT_TIMEOUT,
    **options: Any,
) -> bytes:
    """`render_fn(data, fmt=fmt, **options)`, from the cache when the same chart was made before.

    `options` (e.g. `size="phone"`) are passed to the drawing function and are part of the key.
    """
    key = chart_cache_key(
        render_fn, data, model_version=model_version, language=language, fmt=fmt, options=options
    )
    content = cache.get(key)
    if content is None:
        content = render_fn(data, fmt=fmt, **options)
        cache.set(key, content, timeout)
    return content
