"""The cookie secret: how a fresh one is made and how much chance is in a given one.

Streamlit signs its login cookie with ``cookie_secret``; whoever can guess it can sign in as
anyone. :func:`tryg_geo.access.check_auth_section` refuses a secret below
:data:`MIN_SECRET_BITS` by :func:`secret_bits`; ``python -m tryg_geo secret`` prints
:func:`new_secret`.
"""

from __future__ import annotations

import math
import secrets
import string
from collections import Counter

__all__ = ["MIN_SECRET_BITS", "new_secret", "secret_bits"]

#: Least estimated entropy of the ``cookie_secret`` (:func:`secret_bits`).
MIN_SECRET_BITS = 128


def new_secret() -> str:
    """A fresh ``cookie_secret``: 32 random bytes, URL-safe (43 characters, 256 bits)."""
    return secrets.token_urlsafe(32)


_ALPHABETS = (
    string.digits,
    string.hexdigits.lower(),
    string.ascii_lowercase + string.digits,
    string.ascii_letters + string.digits,
    string.ascii_letters + string.digits + "-_",
    string.printable.strip(),
)


def secret_bits(secret: str) -> float:
    """A cautious estimate of the entropy of ``secret`` in bits.

    The smallest of: the length of its shortest repeating unit times the bits per character
    of the smallest common alphabet it fits (digits, hex, base 36, 62, 64, printable), and
    twice the empirical (Shannon) entropy of its characters and of the steps between them.
    So 32 × ``a`` (one character repeated), ``abcabc…`` (a period of 3) and ``0123…``/
    ``abcd…`` (a constant step) are near zero, while the 43 characters of
    :func:`new_secret` give about 256 bits and 32 random hex digits 128.
    """
    if not secret:
        return 0.0
    unit = _shortest_period(secret)
    size = next((len(set(a)) for a in _ALPHABETS if set(unit) <= set(a)), 256)
    by_alphabet = len(unit) * math.log2(size)
    steps = [ord(b) - ord(a) for a, b in zip(secret, secret[1:], strict=False)]
    return min(by_alphabet, 2 * _shannon(list(secret)), 2 * _shannon(steps) + math.log2(size))


def _shortest_period(text: str) -> str:
    for size in range(1, len(text) // 2 + 1):
        if all(text[i] == text[i - size] for i in range(size, len(text))):
            return text[:size]
    return text


def _shannon(values: list) -> float:
    """Total empirical entropy in bits: length × entropy of the value frequencies."""
    if not values:
        return 0.0
    counts = Counter(values).values()
    return -sum(c * math.log2(c / len(values)) for c in counts)
