"""Plain scalars that other YAML readers read differently from us: refused, with a fix.

We read YAML 1.2's core schema (core_schema.py). Editors, check-jsonschema, PyYAML,
Go's yaml.v2 and most CI tools read YAML 1.1's types (yaml.org/type/), which take
far more plain scalars as something other than text: `yes`/`no`/`on`/`off`/`y`/`n`
(bool), `0755` (octal), `0b101`, `1_000`, `22:22` (base 60), `2024-01-01` (a
date), `=` and `<<`. And we keep the text of core-schema numbers that are not plain
decimal (`0x10`, `0o17`, `.5`, `1e3`, `.inf`) where other 1.2 readers make numbers.
So that the spec means one thing to every reader, such a scalar must be quoted.

The patterns are the regular expressions the 1.1 type pages (yaml.org/type/) and the 1.2
core schema give for each type, with `y`/`n` added to bool (1.1's bool page lists
them) and one change: 1.1's float definition lets `[0-9.]*` follow the point (so
`1.2.3` would be a float); the readers in use (PyYAML among them) take `[0-9_]*`. A scalar costs one
set lookup, or, if it starts like a number, one regex (the union of every 1.1 and 1.2
number, date and time); what it is to each reader is worked out only to say so.
"""

from __future__ import annotations

import functools
import re

# 1.1 (yaml.org/type/bool, int, float, timestamp, merge, value); 1.2 core int and float.
_BOOL_11 = r"[yY]|[yY]es|YES|[nN]o?|NO|[oO]n|ON|[oO]ff|OFF|[tT]rue|TRUE|[fF]alse|FALSE"
_SEXAGESIMAL = r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+"
_INT_11 = (
    r"[-+]?0b[01_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+"
    rf"|{_SEXAGESIMAL}"
)
_FLOAT_11 = (
    r"[-+]?(?:[0-9][0-9_]*\.[0-9_]*|\.[0-9][0-9_]*)(?:[eE][-+][0-9]+)?"
    rf"|{_SEXAGESIMAL}\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
)
# The core schema's, widened by what ruamel.yaml also reads (or fails on): `_` anywhere, 0b.
_INT_12 = r"[-+]?[0-9_]+|[-+]?0o[0-7_]+|[-+]?0x[0-9a-fA-F_]+|[-+]?0b[01_]+"
_FLOAT_12 = (
    r"[-+]?(?:\.[0-9_]+|[0-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
)
_DATE = r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"
_TIMESTAMP = (
    rf"{_DATE}(?:[Tt]|[ \t]+)[0-9]{{1,2}}:[0-9]{{2}}:[0-9]{{2}}(?:\.[0-9]*)?"
    r"(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?"
)
_SPECIAL = r"=|<<"
_NULL = r"~|null|Null|NULL|"

_KINDS_11 = [
    ("null", re.compile(_NULL)),
    ("bool", re.compile(_BOOL_11)),
    ("int", re.compile(_INT_11)),
    ("float", re.compile(_FLOAT_11)),
    ("date", re.compile(_DATE)),
    ("timestamp", re.compile(_TIMESTAMP)),
    ("special", re.compile(_SPECIAL)),
]
_KINDS_12 = [
    ("null", re.compile(_NULL)),
    ("bool", re.compile(r"[tT]rue|TRUE|[fF]alse|FALSE")),
    ("int", re.compile(_INT_12)),
    ("float", re.compile(_FLOAT_12)),
    ("date", re.compile(_DATE)),  # ruamel and others keep 1.1's timestamps
    ("timestamp", re.compile(_TIMESTAMP)),
]
# Numbers, dates and times to some reader: all start with a digit, a sign or a point.
NUMBER_START = frozenset("-+.0123456789")
_NUMBERS = re.compile("|".join((_INT_11, _FLOAT_11, _INT_12, _FLOAT_12, _DATE, _TIMESTAMP)))
# The other plain scalars some reader reads as other than text: a set lookup, no regex.
NOT_TEXT_WORDS = frozenset(
    ["", "~", "null", "Null", "NULL", "=", "<<"]
    + [f"{w}{rest}" for w in "yY" for rest in ("", "es")]
    + [f"{w}{rest}" for w in "nN" for rest in ("", "o")]
    + ["YES", "NO", "on", "On", "ON", "off", "Off", "OFF"]
    + [w for word in ("true", "false") for w in (word, word.title(), word.upper())]
)
_FALSE_WORDS = ("n", "no", "off", "false")


@functools.lru_cache(maxsize=4096)  # a spec repeats its durations, versions and images
def number_to_others(value: str) -> bool:
    """Whether a plain scalar starting with a digit, sign or point is a number, date or
    time to some YAML 1.1 or 1.2 reader."""
    return _NUMBERS.fullmatch(value) is not None


def not_text(value: str) -> bool:
    """Whether some YAML 1.1 or 1.2 reader reads this plain scalar as other than text."""
    if value in NOT_TEXT_WORDS:
        return True
    return value[:1] in NUMBER_START and _NUMBERS.fullmatch(value) is not None


def refusal(value: str, *, key: bool = False) -> str:
    """Why a plain scalar we read as text must be quoted: what the other readers make of it."""
    old = _reading(value, _KINDS_11)
    new = _reading(value, _KINDS_12)
    if old == new or new is None:
        readers = f"{old} by YAML 1.1 readers" if new is None else f"{old} by other YAML readers"
    elif old is None:
        readers = f"{new} by YAML 1.2 readers"
    else:
        readers = f"{old} by YAML 1.1 readers and {new} by YAML 1.2 readers"
    what = "key " if key else ""
    return f'{what}{value} is read as {readers}; write "{value}" (quoted) if you mean the text'


def _reading(value: str, kinds: list[tuple[str, re.Pattern[str]]]) -> str | None:
    kind = next((kind for kind, pattern in kinds if pattern.fullmatch(value)), None)
    if kind is None:
        return None
    if kind == "null":
        return "null"
    if kind == "bool":
        return "the boolean " + ("false" if value.lower() in _FALSE_WORDS else "true")
    if kind in ("date", "timestamp"):
        return "a date" if kind == "date" else "a timestamp"
    if kind == "special":
        what = "merge key" if value == "<<" else "!!value"
        return f"a YAML 1.1 {what} (an error to most readers)"
    number = _number(value.replace("_", ""), octal=kinds is _KINDS_11)
    return f"the number {number}" if number is not None else "a number"


def _number(text: str, *, octal: bool) -> int | float | None:
    """The number a numeric scalar (without `_`) stands for, or None if not worth saying."""
    sign = -1 if text.startswith("-") else 1
    digits = text.lstrip("-+")
    if digits.lower() in (".inf", ".nan"):
        return sign * float(digits[1:])
    try:
        if ":" in digits:  # base 60: 1:30 is 90
            total: float = 0
            for part in digits.split(":"):
                total = total * 60 + float(part)
            return sign * (int(total) if "." not in digits else total)
        if digits[:2] in ("0x", "0o", "0b"):
            return sign * int(digits[2:], {"x": 16, "o": 8, "b": 2}[digits[1]])
        if octal and len(digits) > 1 and digits.isdigit() and digits[0] == "0":
            return sign * int(digits, 8)
        if digits.isdigit():
            return sign * int(digits)
        return sign * float(digits)
    except ValueError:
        return None
