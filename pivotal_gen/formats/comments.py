"""The comment lines generated files start with, for any format with line comments."""

from __future__ import annotations


def comment_header(lines: list[str], marker: str = "#") -> str:
    """Each line after `marker` and a space; an empty line is the bare marker.

    A line that holds a line break (a file name with a newline, say) becomes several
    comment lines, so that no text can step out of the comment into the file."""
    split = [part for line in lines for part in (line.splitlines() or [""])]
    return "".join(f"{marker} {line}\n" if line else f"{marker}\n" for line in split)
