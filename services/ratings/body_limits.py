"""Limits on an answer's body, checked before anything parses it.

An answer is tiny: a submission key, a form key, a handover token and a handful of line values
come to about 250 bytes, and a form with forty lines would still be under 2 KiB. 16 KiB leaves
plenty of room for that while keeping a hostile body cheap to look at and to refuse.

Nesting is capped separately, because Python's JSON parser recurses once per bracket and fails
with RecursionError (a 500) on a few thousand of them, which fit easily in 16 KiB. A real answer
nests two levels deep; eight leaves room for the format to grow.
"""

MAX_BODY_BYTES = 16 * 1024
MAX_NESTING = 8


def declared_too_large(content_length: str | None) -> bool:
    """True when the request says its body is larger than any answer can be."""
    try:
        return int(content_length or 0) > MAX_BODY_BYTES
    except ValueError:
        return False


def nested_deeper_than(text: str, limit: int = MAX_NESTING) -> bool:
    """True when JSON `text` opens more than `limit` arrays or objects inside each other.

    A single pass that skips string contents, so brackets inside a value do not count. It does
    not validate: unbalanced or malformed text is left for the parser to refuse.
    """
    depth = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                return True
        elif char in "]}":
            depth -= 1
    return False
