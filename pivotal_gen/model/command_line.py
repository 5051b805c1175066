"""A `command` or `entrypoint` written as a string, as Compose splits it into words.

Compose splits such a string itself (no shell runs it), with the rules of the
go-shellwords library that its loader calls: quotes group, a backslash escapes, and an
unquoted `;`, `&`, `|`, `<` or `>` ends the command: Compose silently drops the rest.
A string it cannot split (an unclosed quote, a trailing backslash, a bare parenthesis)
makes it refuse the file. Either way the command would not reach the container as
written, so the spec refuses both, and says to write a list.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

from pivotal_gen.model import interpolation

_SPACE = " \t\r\n"
_STOPS = ";&|<>"


class Unsplittable(ValueError):
    pass


def compose_words(line: str) -> list[str]:
    """The words Compose reads from the string (after its interpolation); Unsplittable
    when it cannot split it or would drop a part of it."""
    words: list[str] = []
    word: list[str] = []
    started = escaped = double = single = backquote = dollar = False
    for char in line:
        if escaped:
            word.append(char)
            escaped, started = False, True
            continue
        if char == "\\":
            if single:
                word.append(char)
            else:
                escaped = True
            continue
        if char in _SPACE:
            if single or double or backquote or dollar:
                word.append(char)
            elif started:
                words.append("".join(word))
                word, started = [], False
            continue
        quoted = single or double
        if char == "`" and not quoted and not dollar:
            backquote = not backquote
        elif char == ")" and not quoted and not backquote:
            dollar = not dollar
        elif char == "(" and not quoted and not backquote:
            if dollar or word[-1:] != ["$"]:
                raise Unsplittable("a parenthesis outside quotes that does not follow a '$'")
            dollar = True
        elif char == '"' and not single and not dollar:
            double, started = not double, True
            continue
        elif char == "'" and not double and not dollar:
            single, started = not single, True
            continue
        elif char in _STOPS and not (quoted or backquote or dollar):
            raise Unsplittable(f"an unquoted {char!r}, where Compose stops and drops the rest")
        word.append(char)
        started = True
    if escaped or single or double or backquote or dollar:
        raise Unsplittable("an unclosed quote, backquote or $( ), or a trailing backslash")
    if started:
        words.append("".join(word))
    return words


def _splits_whole(command: list[str] | str | None) -> list[str] | str | None:
    if not isinstance(command, str):
        return command  # a list is passed on as it is
    try:
        pieces = interpolation.parse(command)
    except interpolation.InterpolationError:
        return command  # the reference is reported where references are checked
    # A reference stands for a value only known at `up`: a plain word here.
    text = "".join(p if isinstance(p, str) else "x" for p in pieces)
    try:
        compose_words(text)
    except Unsplittable as problem:
        raise PydanticCustomError(
            "command_line",
            "Compose splits a string command into words itself and this one holds {problem};"
            " quote it, or write the command as a list",
            {"problem": str(problem)},
        ) from None
    return command


# On the whole field, so that a refused string is one message, not one per union member.
Command = Annotated[list[str] | str | None, AfterValidator(_splits_whole)]
