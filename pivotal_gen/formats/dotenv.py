"""Values for a `.env` file, written so that Compose's parser reads them back exactly.

Compose's parser (compose-go's dotenv) reads a backslash before a quote as an escaped
quote even between single quotes, so `'C:\\'` never ends and swallows the lines after
it. Values are written bare when they are plain, between single quotes when they hold
no quote, backslash or control character, and double-quoted with every special
character escaped otherwise.
"""

from __future__ import annotations

import re

_BARE = re.compile(r"[A-Za-z0-9_./:@+,%-]*")
# Between single quotes nothing is expanded, but a backslash still escapes the quote.
_SINGLE = re.compile(r"[^'\\\x00-\x1f\x7f]*")
_DOUBLE_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "$": "\\$"}


def unwritable(value: str) -> str | None:
    """Why `value` cannot be an environment value, or None when it can."""
    if "\x00" in value:
        # The process environment is NUL-terminated: the container would see less.
        return "contains a NUL character, which no environment variable can hold"
    return None


def quote(value: str) -> str:
    """`value` as Compose's .env parser reads it back unchanged."""
    problem = unwritable(value)
    if problem:
        raise ValueError(problem)
    if _BARE.fullmatch(value):
        return value
    if _SINGLE.fullmatch(value):
        return f"'{value}'"  # no interpolation, no escapes
    return '"' + "".join(_DOUBLE_ESCAPES.get(char, char) for char in value) + '"'
