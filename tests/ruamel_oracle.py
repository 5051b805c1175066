"""The reference for a faster YAML emitter: serialize.to_yaml's ruamel.yaml setup.

A copy of the setup to_yaml uses, with the width as a parameter: the emitter
that is to replace it must write the same bytes for every value it accepts.
"""

from __future__ import annotations

import io
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.nodes import Node, ScalarNode
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.resolver import VersionedResolver

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


def dump_converted(data: Any, width: int = 1 << 16) -> str:
    """What ruamel writes for `data` (holding ruamel's own CommentedSeq and scalar strings)."""
    buffer = io.StringIO()
    _yaml(width).dump(data, buffer)  # a new YAML each time: one that raised is left unusable
    return buffer.getvalue()
