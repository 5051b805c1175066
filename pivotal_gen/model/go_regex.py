"""What Rust's regex syntax reads and Go's RE2 syntax refuses.

promql-parser checks a regex with Rust's syntax, a near relative of the RE2 syntax that
Prometheus and Alertmanager (Go) read. Where Rust is more lenient, a regex the parser
accepts would stop Alertmanager from starting: this finds those places in a regex that
Rust has read, walking it as Go does (so a `[` or `&&` inside a class is a character).
"""

from __future__ import annotations

import re

# Go's general categories, and Any: Go reads no other \p name but a script's, and
# script names are not checked here (they are refused, as before they all were).
_CATEGORY = re.compile(r"[CLMNPSZ]|C[cfos]|L[lmotu]|M[cen]|N[dlo]|P[cdefios]|S[ckmo]|Z[lps]|Any")
# `(?flags)`, `(?flags:`, `(?P<name>`: the only group forms Go reads after `(?`.
_GROUP = re.compile(r"\(\?(?:P<(?P<name>[^>]*)>|[imsU]*(?:-[imsU]+)?[:)])")
_REPEAT = re.compile(r"[*+?]|\{(?P<min>[0-9]+)(?:,(?P<max>[0-9]*))?\}")
_POSIX_CLASS = re.compile(r"\[:\^?[a-z]+:\]")
_MAX_COUNT = 1000

_FLAGS = "Go's RE2 reads only the flags i, m, s and U, and names a group as (?P<name>...)"
_NAME = "Go's RE2 names a group with letters, digits and _ only"
_NESTED = "Go's RE2 refuses a repetition of a repetition, as in a**, a++ or a{2}*"
_COUNT = f"Go's RE2 counts a repetition up to {_MAX_COUNT}"
_UNICODE = r"Go's RE2 has no \u escape: write \x{...}"
_PROPERTY = r"\p{...} takes a general category here (L, Lu, Nd, ...) or Any"


def problem(regex: str) -> str | None:
    """Why Go refuses `regex`, which Rust's syntax has read; or None."""
    at, repeated = 0, False
    while at < len(regex):
        char = regex[at]
        repeat = _REPEAT.match(regex, at)
        if repeat is not None:
            low, high = repeat["min"], repeat["max"]
            if repeated:
                return _NESTED
            if any(count and int(count) > _MAX_COUNT for count in (low, high)):
                return _COUNT
            at = repeat.end() + (regex.startswith("?", repeat.end()))
            repeated = True
            continue
        repeated = False
        if char == "\\":
            at, why = _escape(regex, at)
        elif char == "[":
            at, why = _class(regex, at + 1)
        elif char == "(" and regex.startswith("?", at + 1):
            group = _GROUP.match(regex, at)
            why = _FLAGS if group is None else _group_name(group["name"])
            at = at + 2 if group is None else group.end()
        else:
            at, why = at + 1, None
        if why is not None:
            return why
    return None


def _group_name(name: str | None) -> str | None:
    return None if name is None or re.fullmatch(r"[A-Za-z0-9_]+", name) else _NAME


def _escape(regex: str, at: int) -> tuple[int, str | None]:
    """Past the escape at `at` (Rust has checked its form), and why Go refuses it."""
    letter = regex[at + 1 : at + 2]
    if letter in ("u", "U"):
        return at + 2, _UNICODE
    if letter in ("x", "p", "P") and regex.startswith("{", at + 2):
        end = regex.index("}", at + 2) + 1
        name = regex[at + 3 : end - 1].removeprefix("^")
        ok = letter == "x" or _CATEGORY.fullmatch(name) is not None
        return end, None if ok else _PROPERTY
    if letter in ("p", "P"):
        return at + 3, None if _CATEGORY.fullmatch(regex[at + 2 : at + 3]) else _PROPERTY
    return at + 2, None


def _class(regex: str, at: int) -> tuple[int, str | None]:
    """Past the class whose items start at `at`, as Go reads it (the first `]` after
    the items begin ends it), and why Go refuses it: a backward range such as `a--`,
    which Rust reads as a set difference."""
    at += regex.startswith("^", at)
    previous: str | None = None  # the last item, when it is a plain character
    first = True
    while at < len(regex) and (first or regex[at] != "]"):
        first = False
        posix = _POSIX_CLASS.match(regex, at)
        if posix is not None:
            at, previous = posix.end(), None
            continue
        if regex[at] == "\\":
            at, why = _escape(regex, at)
            if why is not None:
                return at, why
            previous = None
            continue
        high = regex[at + 1 : at + 2]
        if regex[at] == "-" and previous is not None and high not in ("", "]", "\\"):
            if high < previous:
                return at, f"Go's RE2 reads {previous}-{high} in a class as a range, backwards"
            at, previous = at + 2, None
            continue
        previous = regex[at]
        at += 1
    return at + 1, None
