"""Variable references inside spec strings, Compose style.

`${NAME}` (or `$NAME`) refers to a variable declared under `variables:`;
`$$` is a literal dollar; any other `$` is literal too. Defaults and
required-ness live on the variable, so the spec has no `${X:-...}` forms.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

_TOKEN = re.compile(
    r"\$(?:(?P<escaped>\$)|\{(?P<braced>[^}]*)\}?|(?P<bare>[A-Za-z_][A-Za-z0-9_]*))"
)
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True)
class Ref:
    name: str


Piece = str | Ref


class InterpolationError(ValueError):
    pass


@functools.cache  # checks, rules and targets parse the same strings, once per service
def parse(text: str) -> tuple[Piece, ...]:
    """Split a spec string into literal text and variable references."""
    pieces: list[Piece] = []
    literal: list[str] = []
    pos = 0
    for match in _TOKEN.finditer(text):
        literal.append(text[pos : match.start()])
        pos = match.end()
        if match["escaped"] is not None:
            literal.append("$")
            continue
        name = match["bare"] if match["bare"] is not None else match["braced"]
        closed = not match.group(0).startswith("${") or match.group(0).endswith("}")
        if closed and _NAME.fullmatch(name):
            if "".join(literal):
                pieces.append("".join(literal))
            literal = []
            pieces.append(Ref(name))
            continue
        raise InterpolationError(
            f"unsupported reference {_shown(name, closed)!r}: write ${{NAME}} for a variable"
            " (defaults belong under variables:) or $$ for a literal $"
        )
    literal.append(text[pos:])
    if "".join(literal):
        pieces.append("".join(literal))
    return tuple(pieces)


def _shown(braced: str, closed: bool) -> str:
    """An unsupported `${...}` for a message: the name and the operator, never what
    follows (`${JWT_SECRET:-s3cr3t}` carries a secret, and messages reach CI logs)."""
    name = _NAME.match(braced)
    head = name.group(0) if name else ""
    rest = braced[len(head) :]
    operator = re.match(r":?[-?+=]", rest)
    shown = head + (operator.group(0) if operator else "") + ("..." if rest else "")
    return "${" + shown + ("}" if closed else "")


def has_literal(pieces: Sequence[Piece]) -> bool:
    """Whether a parsed string has text of its own besides references; blank text does
    not count (a reference padded with spaces is still only a reference)."""
    return any(isinstance(piece, str) and piece.strip() for piece in pieces)


def references(text: str) -> list[str]:
    return [piece.name for piece in parse(text) if isinstance(piece, Ref)]


def escape(literal: str) -> str:
    """A literal string as Compose must see it: every `$` doubled."""
    return literal.replace("$", "$$")


def to_compose(text: str, expand: Callable[[str], str]) -> str:
    """Rewrite a spec string for Compose: literals escaped, references expanded."""
    return "".join(
        expand(piece.name) if isinstance(piece, Ref) else escape(piece) for piece in parse(text)
    )
