"""Text on one line, and the comment lines generated files start with, for any format
with line comments."""

from __future__ import annotations

import re

# C0 controls, DEL, C1 controls, and the two separators YAML 1.1 readers break lines at:
# YAML readers refuse them even in a comment, and terminals act on some.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def oneline(value: object, *, tabs: bool = False) -> str:
    """`value` on one line: every control character shown as its escape (`\\n`,
    `\\x7f`), a tab kept as text when `tabs`. For comments, heredocs and messages."""

    def shown(match: re.Match[str]) -> str:
        char = match.group()
        return char if tabs and char == "\t" else repr(char)[1:-1]

    return _CONTROL.sub(shown, str(value))


def comment_header(lines: list[str], marker: str = "#") -> str:
    """Each line after `marker` and a space; an empty line is the bare marker.

    A line that holds a line break (a file name with a newline, say) becomes several
    comment lines, so that no text can step out of the comment into the file; other
    control characters are shown escaped (`\\x7f`); trailing blanks, which YAML linters
    refuse, are dropped."""
    split = [
        oneline(part, tabs=True).rstrip() for line in lines for part in (line.splitlines() or [""])
    ]
    return "".join(f"{marker} {line}\n" if line else f"{marker}\n" for line in split)
