"""Scalar values by the YAML 1.2.2 core schema (spec section 10.3.2, tag resolution).

A plain scalar is null, a bool, an int or a float when its whole text matches that
type's pattern in the core schema, and a string otherwise; a quoted or block scalar
is always a string. Explicit tags (`!!int 7`) must fit their type's pattern.

The values keep the text the user wrote where a number is not plainly decimal: an
int stays its text unless it is canonical decimal (`0755`, `0x10` and `0o7` stay
strings), a float unless it is written `d.d` (`1e3`, `.5` and `.inf` stay strings).
Compose files and environment variables take the text as written; converting would
change it (`0755` is not 755 to a shell, `1e3` is not `1000.0`). Such a plain scalar,
and any other that a YAML 1.1 or 1.2 reader reads as other than our text, is refused
(other_readers.py): the spec must mean the same to editors and schema checkers.
"""

from __future__ import annotations

import re
import sys
from typing import Any

from pivotal_gen.source.other_readers import (
    NOT_TEXT_WORDS,
    NUMBER_START,
    not_text,
    number_to_others,
    refusal,
)

TAG = "tag:yaml.org,2002:"
STR, SEQ, MAP = TAG + "str", TAG + "seq", TAG + "map"
INT, FLOAT, BOOL, NULL = TAG + "int", TAG + "float", TAG + "bool", TAG + "null"
# The tags a scalar may carry; "!" is the non-specific tag: a string.
SCALAR_TAGS = frozenset({"!", STR, INT, FLOAT, BOOL, NULL})

# Short strings repeat in a large spec (images, ${VAR}s, durations): one copy of each.
# A 2,000-service spec held 2,000 copies of every key and `${VAR}`: 6 MB.
INTERNED_LENGTH = 200

_NULLS = ("", "~", "null", "Null", "NULL")
_TRUES = ("true", "True", "TRUE")
_FALSES = ("false", "False", "FALSE")
_WORDS: dict[str, Any] = {
    **dict.fromkeys(_NULLS, None),
    **dict.fromkeys(_TRUES, True),
    **dict.fromkeys(_FALSES, False),
}
_INT = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")
_FLOAT = re.compile(
    r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)"
    r"|\.(?:nan|NaN|NAN)"
)
# Numbers that become Python numbers; any other int or float keeps its text.
_DECIMAL_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_DECIMAL_FLOAT = re.compile(r"[-+]?[0-9]+\.[0-9]+")
_MISSING = object()


def text(value: str) -> str:
    """A string value, interned when short."""
    return sys.intern(value) if len(value) <= INTERNED_LENGTH else value


def plain(value: str) -> Any:
    """The value of an untagged plain scalar; ValueError if other readers read it otherwise."""
    word = _WORDS.get(value, _MISSING)
    if word is not _MISSING:
        return word
    if value[0] in NUMBER_START:  # every int and float of the core schema does
        if _DECIMAL_INT.fullmatch(value):
            return int(value)
        if _DECIMAL_FLOAT.fullmatch(value):
            return float(value)
        if number_to_others(value):
            raise ValueError(refusal(value))
    elif value in NOT_TEXT_WORDS:
        raise ValueError(refusal(value))
    return text(value)


def key_problem(value: str) -> str | None:
    """Why a plain mapping key, always text to us, must be quoted: other readers read it
    as a number, bool, null or date. None if they read it as text too."""
    return refusal(value, key=True) if not_text(value) else None


def tagged(tag: str, value: str) -> Any:
    """The value of a scalar with an explicit standard tag; ValueError if it does not fit."""
    if tag in ("!", STR):
        return text(value)
    if tag == NULL and value in _NULLS:
        return None
    if tag == BOOL and (value in _TRUES or value in _FALSES):
        return value in _TRUES
    if tag == INT and _DECIMAL_INT.fullmatch(value):
        return int(value)
    if tag == FLOAT and _DECIMAL_FLOAT.fullmatch(value):
        return float(value)
    if (tag == INT and _INT.fullmatch(value)) or (tag == FLOAT and _FLOAT.fullmatch(value)):
        # We would keep the text, other readers make a number of it (0755: 493 or 755).
        raise ValueError(f"{short(tag)} {refusal(value)}")
    raise ValueError(f"{value!r} is not a {short(tag)} in YAML 1.2's core schema")


def resolve(value: str) -> str:
    """The tag the core schema gives an untagged plain scalar: the table the tests hold
    plain() to, written apart from it."""
    if value in _NULLS:
        return NULL
    if value in _TRUES or value in _FALSES:
        return BOOL
    if _INT.fullmatch(value):
        return INT
    if _FLOAT.fullmatch(value):
        return FLOAT
    return STR


def short(tag: str) -> str:
    """`!!int` for the standard tags, the tag itself for any other."""
    return "!!" + tag.removeprefix(TAG) if tag.startswith(TAG) else tag
