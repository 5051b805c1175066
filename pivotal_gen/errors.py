"""The one fatal error type, and the exit codes it maps to.

Every user-facing failure is a PivotalError carrying one or more located
diagnostics; cli/main.py turns it into `FILE:LINE:COL: message` lines and exit 2.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass
from typing import NamedTuple

EXIT_OK = 0
EXIT_DIFFERS = 1
EXIT_INVALID = 2


class Location(NamedTuple):
    """A 1-based position in a source file. A tuple, not a dataclass: a spec of a few
    thousand services has a hundred thousand of them, and tuples are made 4x faster."""

    file: str
    line: int
    col: int

    def __str__(self) -> str:
        return f"{display_path(self.file)}:{self.line}:{self.col}"


@dataclass(frozen=True)
class Diagnostic:
    message: str
    location: Location | None = None

    def __str__(self) -> str:
        if self.location is None:
            return f"pivotal-gen: {self.message}"
        return f"{self.location}: {self.message}"


class PivotalError(Exception):
    """A user error: bad spec, bad profile, bad usage. Never a bug."""

    def __init__(self, diagnostics: list[Diagnostic] | str, location: Location | None = None):
        if isinstance(diagnostics, str):
            diagnostics = [Diagnostic(diagnostics, location)]
        self.diagnostics = sorted(
            diagnostics, key=lambda d: (d.location is None, d.location or Location("", 0, 0))
        )
        super().__init__("\n".join(str(d) for d in self.diagnostics))


def display_path(path: str) -> str:
    """Paths under the working directory are shown relative, as editors expect."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return path
    return path if rel.startswith("..") else rel


def suggest(name: str, known: list[str]) -> str:
    """` (did you mean 'x'?)` for the closest known name, or nothing."""
    close = difflib.get_close_matches(name, known, n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""
