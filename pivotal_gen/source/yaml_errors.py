"""Positions in YAML text, and libyaml's syntax errors as located messages."""

from __future__ import annotations

import re

from yaml import MarkedYAMLError
from yaml.error import Mark

from pivotal_gen.errors import Location, PivotalError

# YAML's line breaks, as libyaml counts them in its marks: every position agrees.
_LINE_BREAK = re.compile(r"\r\n|\r|\n")

# Contexts that add nothing to the problem's own position.
_NOISE = re.compile("while scanning for the next token")
_INDENTATION = "check the indentation of this line against the lines above"
# What to add to libyaml's terser problems: (start of the problem, hint).
_HINTS = (
    ("did not find expected key", _INDENTATION),
    ("did not find expected '-' indicator", _INDENTATION),
    ("did not find expected <document start>", _INDENTATION),
    ("expected <block end>", _INDENTATION),
    ("could not find expected ':'", "is a ':' missing after a key?"),
    ("did not find expected ',' or ']'", "is a ']' or a ',' missing?"),
    ("did not find expected ',' or '}'", "is a '}' or a ',' missing?"),
    (
        "mapping values are not allowed",
        "quote a value that holds ': ', or check the indentation of this line",
    ),
)


def position(name: str, text: str, index: int) -> Location:
    """The line and column of a character offset into `text`."""
    breaks = list(_LINE_BREAK.finditer(text, 0, index))
    line_start = breaks[-1].end() if breaks else 0
    return Location(name, len(breaks) + 1, index - line_start + 1)


def _character(text: str, line: int, column: int) -> str:
    """The character at a mark's line and column (both from 0), or ""."""
    lines = _LINE_BREAK.split(text, maxsplit=line + 1)
    return lines[line][column : column + 1] if line < len(lines) else ""


def syntax_error(exc: MarkedYAMLError, name: str, text: str) -> PivotalError:
    """`YAML syntax error: <problem> (<context> at line N)`, at the problem's position,
    with a hint where libyaml's own words say little."""
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or exc.context or "invalid YAML"
    hint = next((hint for start, hint in _HINTS if problem.startswith(start)), None)
    if mark is not None and problem.startswith("found character that cannot start"):
        found = _character(text, mark.line, mark.column)
        problem = problem.replace("character", f"character {found!r}", 1) if found else problem
        if found == "\t":
            hint = "YAML indents with spaces, not tabs"
        elif found in ("@", "`"):
            hint = f"a plain value cannot start with {found!r}; quote it"
    message = f"YAML syntax error: {problem}"
    if exc.context and exc.context_mark and exc.problem_mark and not _NOISE.match(exc.context):
        message += f" ({exc.context} at line {exc.context_mark.line + 1})"
    if hint:
        message += f": {hint}"
    return PivotalError(message, _mark_location(name, text, mark))


def _mark_location(name: str, text: str, mark: Mark | None) -> Location:
    """A mark's position; at the end of the last line for the end of a text without a
    final line break, which libyaml puts on the line after it."""
    if mark is None:
        return Location(name, 1, 1)
    lines = _LINE_BREAK.split(text)
    if mark.line >= len(lines):
        return Location(name, len(lines), len(lines[-1]) + 1)
    return Location(name, mark.line + 1, mark.column + 1)
