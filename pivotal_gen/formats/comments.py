"""The comment lines generated files start with, for any format with line comments."""

from __future__ import annotations


def comment_header(lines: list[str], marker: str = "#") -> str:
    """Each line after `marker` and a space; an empty line is the bare marker."""
    return "".join(f"{marker} {line}\n" if line else f"{marker}\n" for line in lines)
