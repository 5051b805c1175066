"""Deterministic YAML and JSON serialisation of generated data.

Outputs are built as data and serialised here, never pasted into text
templates, so any legal value arrives unchanged in the consumer. Strings that
a YAML 1.1 reader (docker-compose v1, PyYAML, many CI tools) would take for
something else, like `on`, `no`, `0755` or `22:22`, are double-quoted.

YAML is written by yaml_emitter.py: the bytes ruamel.yaml wrote here before,
at a fraction of the cost (tests/ruamel_oracle.py keeps ruamel as the reference).
"""

from __future__ import annotations

import json
from typing import Any

from pivotal_gen.formats.yaml_emitter import Inline, Literal, dump

# Characters a `|` block cannot hold as they are (tabs, carriage returns, Unicode line breaks).
_NOT_IN_BLOCKS = frozenset("\r\t\x85\u2028\u2029")


def inline(items: list[str]) -> Inline:
    """A list written on one line (`["CMD", "wget", ...]`), as people write commands."""
    return Inline(items)


def literal(text: str) -> str:
    """A multi-line string as a `|` block, as people write PromQL; one line stays plain."""
    lines = [line.rstrip() for line in text.strip().split("\n")]
    if len(lines) < 2 or any(char in _NOT_IN_BLOCKS for char in text):
        return text.strip()  # double-quoted with escapes by the emitter
    return Literal("\n".join(lines) + "\n")


def to_yaml(data: Any, header: str = "") -> bytes:
    """`data` as block YAML after `header` (comment lines, each ending in a newline)."""
    return (header + dump(data)).encode("utf-8")


def to_json(data: Any, *, sort_keys: bool = False) -> bytes:
    text = json.dumps(data, indent=2, ensure_ascii=False, sort_keys=sort_keys)
    return (text + "\n").encode("utf-8")


def comment_header(lines: list[str], marker: str = "#") -> str:
    return "".join(f"{marker} {line}\n" if line else f"{marker}\n" for line in lines)
