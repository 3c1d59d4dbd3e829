"""The code in a short remote link (/s/<code>): short enough for a text message, not guessable.

A long link (/svar/<token>:<signature>/) is about 100 characters; a helper types or pastes it
into a text message, where that is awkward (issue #15). The short code is 11 characters of a
58-letter alphabet without look-alikes (no 0/O, no I/l), so 58**11 ≈ 2**64 codes: at the
remote-link request limit, guessing one open link is hopeless.

Why derived and not stored: the code is an HMAC of the handover's random token (a uuid4, from the
same operating-system randomness as `secrets`) under SECRET_KEY, and the database keeps only a
second keyed digest to find the handover by. Like the signed long link, a copy of the database
alone (a backup, a read-only leak) therefore opens no link, and the helper's link page can show
the same code again whenever it is opened. Keys in SECRET_KEY_FALLBACKS are tried too, so the
links already sent survive a key rotation as the long ones do.

Pure functions of their arguments; only `secrets_in_use` reads the settings.
"""

import uuid

from django.conf import settings
from django.utils.crypto import salted_hmac

ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
LENGTH = 11
CODE_SALT = "ratings.short-link.code"
LOOKUP_SALT = "ratings.short-link.lookup"


def secrets_in_use() -> list[str]:
    """The current key first, then the ones being rotated out."""
    return [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]


def code_for_token(token: uuid.UUID, secret: str) -> str:
    """The token's code under `secret`: the HMAC's 256 bits written in base 58, 11 digits kept."""
    number = int.from_bytes(
        salted_hmac(CODE_SALT, token.hex, secret=secret, algorithm="sha256").digest(), "big"
    )
    digits = []
    for _ in range(LENGTH):
        number, index = divmod(number, len(ALPHABET))
        digits.append(ALPHABET[index])
    return "".join(digits)


def lookup_digest(code: str, secret: str) -> str:
    """What the database keeps to find a handover by its code (64 hex characters)."""
    return salted_hmac(LOOKUP_SALT, code, secret=secret, algorithm="sha256").hexdigest()


def digest_for_token(token: uuid.UUID, secret: str) -> str:
    return lookup_digest(code_for_token(token, secret), secret)


def looks_like_code(text: str) -> bool:
    """A code's shape, checked before the database is asked."""
    return len(text) == LENGTH and all(character in ALPHABET for character in text)
