"""The reference for pivotal_gen.formats.yaml_emitter: serialize.to_yaml as it was, on ruamel.yaml.

This is the ruamel.yaml setup to_yaml used until yaml_emitter.py replaced it
for speed; the emitter must write the same bytes for every value it accepts.
The only change: serialize's Inline and Literal markers become the ruamel types
the old inline() and literal() returned, keeping shared objects shared (ruamel
writes those with anchors).
"""

from __future__ import annotations

import io
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedSeq
from ruamel.yaml.nodes import Node, ScalarNode
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.scalarstring import LiteralScalarString

from pivotal_gen.formats.yaml_emitter import Inline, Literal

_STR = "tag:yaml.org,2002:str"
# Line breaks of any kind (YAML folds them in plain and single-quoted styles) and tabs.
_ESCAPE_ALWAYS = frozenset("\n\r\t\x85\u2028\u2029")
RESOLVERS = (VersionedResolver(version=(1, 1)), VersionedResolver(version=(1, 2)))


def reads_back_as_str(value: str) -> bool:
    """What both YAML versions' resolvers make of `value` written plain."""
    return all(r.resolve(ScalarNode, value, (True, False)) == _STR for r in RESOLVERS)


def _represent_str(representer: RoundTripRepresenter, value: str) -> Node:
    ambiguous = not reads_back_as_str(value)
    breaks = any(char in _ESCAPE_ALWAYS for char in value)
    style = '"' if ambiguous or breaks else None
    return representer.represent_scalar(_STR, value, style=style)


class _Representer(RoundTripRepresenter):
    pass


_Representer.add_representer(str, _represent_str)


def _yaml(width: int) -> YAML:
    yaml = YAML(typ="rt", pure=True)
    yaml.Representer = _Representer
    yaml.default_flow_style = False
    yaml.width = width  # to_yaml: 1 << 16, to never fold (but ruamel does, past it)
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def to_ruamel(data: Any, memo: dict[int, Any] | None = None) -> Any:
    """`data` with Inline and Literal as ruamel's types; shared objects stay shared."""
    memo = {} if memo is None else memo
    if id(data) in memo:
        return memo[id(data)]
    converted: Any
    if type(data) is Literal:
        return LiteralScalarString(str(data))
    if type(data) is Inline:
        converted = CommentedSeq()
        converted.fa.set_flow_style()
        memo[id(data)] = converted
        converted.extend(to_ruamel(item, memo) for item in data)
    elif type(data) is list:
        converted = memo[id(data)] = []
        converted.extend(to_ruamel(item, memo) for item in data)
    elif type(data) is dict:
        converted = memo[id(data)] = {}
        converted.update((key, to_ruamel(value, memo)) for key, value in data.items())
    elif type(data) is tuple and data:
        converted = memo[id(data)] = tuple(to_ruamel(item, memo) for item in data)
    else:
        return data
    return converted


def dump_converted(data: Any, width: int = 1 << 16) -> str:
    """What ruamel writes for data already converted by to_ruamel."""
    buffer = io.StringIO()
    _yaml(width).dump(data, buffer)  # a new YAML each time: one that raised is left unusable
    return buffer.getvalue()


def oracle_yaml(data: Any, header: str = "") -> bytes:
    return (header + dump_converted(to_ruamel(data))).encode("utf-8")
