"""Deterministic YAML and JSON serialisation of generated data.

Outputs are built as data and serialised here, never pasted into text
templates, so any legal value arrives unchanged in the consumer. Strings that
a YAML 1.1 reader (docker-compose v1, PyYAML, many CI tools) would take for
something else, like `on`, `no`, `0755` or `22:22`, are double-quoted.
"""

from __future__ import annotations

import io
import json
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedSeq
from ruamel.yaml.nodes import Node, ScalarNode
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.scalarstring import LiteralScalarString

_STR = "tag:yaml.org,2002:str"
# Line breaks of any kind (YAML folds them in plain and single-quoted styles) and tabs.
_ESCAPE_ALWAYS = frozenset("\n\r\t\x85\u2028\u2029")
_RESOLVERS = (VersionedResolver(version=(1, 1)), VersionedResolver(version=(1, 2)))


def _represent_str(representer: RoundTripRepresenter, value: str) -> Node:
    ambiguous = any(r.resolve(ScalarNode, value, (True, False)) != _STR for r in _RESOLVERS)
    breaks = any(char in _ESCAPE_ALWAYS for char in value)
    style = '"' if ambiguous or breaks else None
    return representer.represent_scalar(_STR, value, style=style)


class _Representer(RoundTripRepresenter):
    pass


_Representer.add_representer(str, _represent_str)


def _yaml() -> YAML:
    yaml = YAML(typ="rt", pure=True)
    yaml.Representer = _Representer
    yaml.default_flow_style = False
    yaml.width = 1 << 16  # never fold long lines
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


_YAML = _yaml()


def inline(items: list[str]) -> CommentedSeq:
    """A list written on one line (`["CMD", "wget", ...]`), as people write commands."""
    seq = CommentedSeq(items)
    seq.fa.set_flow_style()
    return seq


def literal(text: str) -> str:
    """A multi-line string as a `|` block, as people write PromQL; one line stays plain."""
    lines = [line.rstrip() for line in text.strip().split("\n")]
    if len(lines) < 2 or any(char in _ESCAPE_ALWAYS - {"\n"} for char in text):
        return text.strip()  # double-quoted with escapes by the representer
    block: str = LiteralScalarString("\n".join(lines) + "\n")
    return block


def to_yaml(data: Any, header: str = "") -> bytes:
    """`data` as block YAML after `header` (comment lines, each ending in a newline)."""
    buffer = io.StringIO()
    _YAML.dump(data, buffer)
    return (header + buffer.getvalue()).encode("utf-8")


def to_json(data: Any, *, sort_keys: bool = False) -> bytes:
    text = json.dumps(data, indent=2, ensure_ascii=False, sort_keys=sort_keys)
    return (text + "\n").encode("utf-8")


def comment_header(lines: list[str], marker: str = "#") -> str:
    return "".join(f"{marker} {line}\n" if line else f"{marker}\n" for line in lines)
