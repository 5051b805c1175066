"""The comment lines generated files start with, for any format with line comments."""

from __future__ import annotations

import re

# What is left after the line breaks: other C0 controls (a tab is text), DEL and C1
# controls. YAML readers refuse them even in a comment; terminals act on some.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def comment_header(lines: list[str], marker: str = "#") -> str:
    """Each line after `marker` and a space; an empty line is the bare marker.

    A line that holds a line break (a file name with a newline, say) becomes several
    comment lines, so that no text can step out of the comment into the file; other
    control characters are shown escaped (`\\x7f`); trailing blanks, which YAML linters
    refuse, are dropped."""
    split = [_shown(part).rstrip() for line in lines for part in (line.splitlines() or [""])]
    return "".join(f"{marker} {line}\n" if line else f"{marker}\n" for line in split)


def _shown(line: str) -> str:
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", line)
