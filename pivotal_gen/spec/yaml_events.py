"""YAML text to data, or to a light node graph, from libyaml's events.

ruamel.yaml's pure-Python parser took most of the time of a render (about a
second per 10,000 lines). PyYAML's binding to libyaml parses in C. load_data
builds values straight from its events; compose builds tuples, for a file that
needs a closer look. Both resolve plain scalars with ruamel's YAML 1.2 rules
(copied below, and held equal to ruamel's by tests/test_yaml_nodes.py). Where
libyaml declines (any error, a %YAML or %TAG directive, an alias that is
undefined or refers to itself) they return None, and source.py composes with
ruamel, whose error messages are the ones users see.
"""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Callable
from typing import Any, TypeVar

from yaml import YAMLError
from yaml.events import (
    AliasEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

T = TypeVar("T")
Next = Callable[[], Any]  # the parser's next event

SCALAR, SEQUENCE, MAPPING = 0, 1, 2
_TAG = "tag:yaml.org,2002:"
STR, SEQ, MAP, MERGE = _TAG + "str", _TAG + "seq", _TAG + "map", _TAG + "merge"

# A node: (kind, tag, value, line, column), line and column from 0 as in marks. The
# value is the text of a scalar, the list of a sequence's nodes, or the list of a
# mapping's (key, value) node pairs. An alias is the anchored node itself, shared.
Node = tuple[int, str, Any, int, int]

# ruamel.yaml's implicit resolvers for YAML 1.2 (resolver.py): tag, pattern, first characters.
_IMPLICIT_1_2 = [
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    (
        "float",
        r"""^(?:
         [-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?
        |[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)
        |[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?
        |[-+]?\.(?:inf|Inf|INF)
        |\.(?:nan|NaN|NAN))$""",
        "-+0123456789.",
    ),
    (
        "int",
        r"""^(?:[-+]?0b[0-1_]+
        |[-+]?0o?[0-7_]+
        |[-+]?[0-9_]+
        |[-+]?0x[0-9a-fA-F_]+)$""",
        "-+0123456789",
    ),
    ("merge", r"^(?:<<)$", "<"),
    ("null", r"^(?: ~ |null|Null|NULL | )$", ["~", "n", "N", ""]),
    (
        "timestamp",
        r"""^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]
        |[0-9][0-9][0-9][0-9] -[0-9][0-9]? -[0-9][0-9]?
        (?:[Tt]|[ \t]+)[0-9][0-9]?
        :[0-9][0-9] :[0-9][0-9] (?:\.[0-9]*)?
        (?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$""",
        "0123456789",
    ),
    ("value", r"^(?:=)$", "="),
    ("yaml", r"^(?:!|&|\*)$", "!&*"),
]
_BY_FIRST: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
for _name, _pattern, _firsts in _IMPLICIT_1_2:
    for _first in _firsts:
        _BY_FIRST.setdefault(_first, []).append((_TAG + _name, re.compile(_pattern, re.X)))


@functools.cache  # specs repeat their values: ports, images, ${VAR}s
def resolve_plain(value: str) -> str:
    """The tag YAML 1.2 (as ruamel reads it) gives an untagged plain scalar."""
    for tag, pattern in _BY_FIRST.get(value[:1], ()):
        if pattern.match(value):
            return tag
    return STR


def scalar_tag(event: Any) -> str:
    """A scalar event's tag, resolved as ruamel resolves it."""
    tag: str | None = event.tag
    if tag is None:
        return resolve_plain(event.value) if event.implicit[0] else STR
    if tag == "!":  # ruamel resolves it as plain, quoted or empty alike
        return resolve_plain(event.value)
    return tag


class _Decline(Exception):
    """libyaml's reading is not the one to give: let ruamel compose."""


def compose(text: str) -> list[Node] | None:
    """The root node of each document in `text`; None where ruamel must decide."""
    return _each_document(text, _composer)


def load_data(text: str, scalar: Callable[[str, str], Any], budget: int) -> list[Any] | None:
    """Each document's value built straight from the events, with no node graph in
    between, for a load that wants no positions; `scalar(tag, text)` makes a scalar's
    value. None for anything that needs a closer look: what compose() declines, any
    anchor or alias, a duplicate, merge (<<) or non-scalar key, a collection tag other
    than map or seq, more than `budget` values. The node graph and source.py's builder
    then decide, and locate any error."""
    return _each_document(text, lambda get: _loader(get, scalar, budget))


def _each_document(text: str, reader: Callable[[Next], Callable[[Any], T]]) -> list[T] | None:
    """What `reader(get)` makes of each document's root event; None where libyaml declines."""
    try:
        from yaml._yaml import CParser
    except ImportError:  # PyYAML built without libyaml
        return None
    get: Next = CParser(text).get_event
    read = reader(get)
    documents: list[T] = []
    try:
        get()  # the stream's start
        event = get()
        while type(event) is not StreamEndEvent:
            if event.version is not None or event.tags:  # ruamel reads %YAML 1.1 as 1.1
                return None
            documents.append(read(get()))
            get()  # the document's end
            event = get()
    except (YAMLError, _Decline, RecursionError):
        return None
    return documents


def _composer(get: Next) -> Callable[[Any], Node]:
    anchors: dict[str, Node | None] = {}  # None: still being composed

    def node(event: Any) -> Node:
        kind = type(event)
        if kind is AliasEvent:
            found = anchors.get(event.anchor)
            if found is None:  # undefined, or recursive: ruamel says which
                raise _Decline
            return found
        mark = event.start_mark
        tag = event.tag
        anchor = event.anchor
        if anchor is not None:
            anchors[anchor] = None
        composed: Node
        if kind is ScalarEvent:
            composed = (SCALAR, scalar_tag(event), event.value, mark.line, mark.column)
        elif kind is SequenceStartEvent:
            items: list[Node] = []
            composed = (SEQUENCE, SEQ if tag in (None, "!") else tag, items, mark.line, mark.column)
            event = get()
            while type(event) is not SequenceEndEvent:
                items.append(node(event))
                event = get()
        elif kind is MappingStartEvent:
            pairs: list[tuple[Node, Node]] = []
            composed = (MAPPING, MAP if tag in (None, "!") else tag, pairs, mark.line, mark.column)
            event = get()
            while type(event) is not MappingEndEvent:
                pairs.append((node(event), node(get())))
                event = get()
        else:
            raise _Decline
        if anchor is not None:
            anchors[anchor] = composed
        return composed

    return node


def _loader(get: Next, scalar: Callable[[str, str], Any], budget: int) -> Callable[[Any], Any]:
    left = budget

    def value(event: Any) -> Any:
        nonlocal left
        left -= 1
        kind = type(event)
        if left < 0 or event.anchor is not None:
            raise _Decline
        tag = event.tag
        if kind is ScalarEvent:
            return scalar(scalar_tag(event), event.value)
        if kind is SequenceStartEvent and tag in (None, "!", SEQ):
            items = []
            event = get()
            while type(event) is not SequenceEndEvent:
                items.append(value(event))
                event = get()
            return items
        if kind is MappingStartEvent and tag in (None, "!", MAP):
            mapping: dict[str, Any] = {}
            event = get()
            while type(event) is not MappingEndEvent:
                # A key is its text, whatever its tag (as the builder takes it).
                if type(event) is not ScalarEvent or event.anchor is not None:
                    raise _Decline
                key = sys.intern(event.value)
                if key in mapping or scalar_tag(event) == MERGE:
                    raise _Decline
                mapping[key] = value(get())
                event = get()
            return mapping
        raise _Decline  # an alias, or a collection with another tag

    return value
