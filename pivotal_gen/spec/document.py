"""Read YAML into plain data plus the source position of every key and value.

We compose the YAML node graph (yaml_nodes.py: libyaml, or ruamel.yaml where
libyaml declines) and build the Python values ourselves, so that every value
keeps its file position for error messages, numbers keep the text the user
wrote when it is not canonical (`0755` stays "0755"), and aliases cannot blow
up memory (the node budget below).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pivotal_gen.errors import Location, PivotalError
from pivotal_gen.spec import yaml_events as yaml_nodes
from pivotal_gen.spec.paths import DataPath
from pivotal_gen.spec.yaml_events import MAP, MAPPING, SCALAR, SEQ, SEQUENCE, Node

# Values built per document; far above any real spec, far below an alias bomb.
NODE_BUDGET = 200_000

_TAG = "tag:yaml.org,2002:"
_INTERNED_LENGTH = 200
_CANONICAL_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)")
_PLAIN_FLOAT = re.compile(r"[-+]?[0-9]+\.[0-9]+")
# Line breaks in YAML 1.1, ordinary characters in YAML 1.2 and JSON. ruamel's
# scanner still breaks lines at them: it folds NEL out of a quoted string and
# ends a comment at LS, so the spec refuses them raw.
_LEGACY_BREAK = re.compile("[\x85\u2028\u2029]")
# YAML's line breaks, as ruamel counts them in its marks: every position agrees.
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


Positions = tuple[dict[DataPath, Location], dict[DataPath, Location]]  # values, keys


class Document:
    """Plain data with the positions of its values and mapping keys.

    Positions are worked out when first asked for (`positions` says how): only
    errors and explain need them, and for a large spec they cost more time and
    memory than the data itself.
    """

    def __init__(
        self,
        data: Any,
        values: dict[DataPath, Location] | None = None,
        keys: dict[DataPath, Location] | None = None,
        *,
        positions: Callable[[], Positions] | None = None,
    ) -> None:
        self.data = data
        self._positions = positions
        if positions is None:
            self._values, self._keys = values or {}, keys or {}

    @property
    def values(self) -> dict[DataPath, Location]:
        return self._located()[0]

    @property
    def keys(self) -> dict[DataPath, Location]:
        return self._located()[1]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Document):
            return NotImplemented
        return (self.data, self.values, self.keys) == (other.data, other.values, other.keys)

    __hash__ = None  # type: ignore[assignment]  # mutable, like the dataclass it was

    def _located(self) -> Positions:
        if self._positions is not None:
            self._values, self._keys = self._positions()
            self._positions = None
        return self._values, self._keys

    def locate(self, path: DataPath, *, key: bool = False) -> Location | None:
        """The position of `path`, or of its nearest ancestor that has one."""
        if key and path in self.keys:
            return self.keys[path]
        for end in range(len(path), -1, -1):
            found = self.values.get(path[:end])
            if found is not None:
                return found
        return None


def load_document(path: Path) -> Document:
    """Load one YAML file; an empty file is an empty document (data None)."""
    name = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise PivotalError(f"{name}: cannot read: {exc.strerror}") from None
    return parse_document(raw, name)


def parse_document(raw: bytes, name: str) -> Document:
    text = _decode(raw, name)
    legacy = _LEGACY_BREAK.search(text)
    if legacy:
        point = f"{ord(legacy.group()):04X}"
        raise PivotalError(
            f"U+{point} is a line break to some YAML readers and text to others; "
            f"write it as \\u{point} in a double-quoted string",
            _position(name, text, legacy.start()),
        )
    try:  # straight from libyaml's events, the common case
        documents = yaml_nodes.load_data(text, _value, NODE_BUDGET)
    except _Unlocated:
        documents = None
    if documents is None or len(documents) > 1:  # through the node graph
        roots = _compose(text, name)
        try:
            documents = [_Builder(name, None).build(roots[0], ())] if roots else []
        except _Unlocated:  # build again, recording positions, to say where
            return _positioned(text, name)
    if not documents:
        return Document(data=None)
    return Document(documents[0], positions=lambda: _positions(text, name))


def _compose(text: str, name: str) -> list[Node]:
    roots = yaml_nodes.compose(text)
    if roots is None:
        roots = _compose_with_ruamel(text, name)
    if len(roots) > 1:
        raise PivotalError("expected one YAML document, found several", _loc(name, roots[1]))
    return roots


def _positioned(text: str, name: str) -> Document:
    """The document with every position recorded as it is built."""
    roots = _compose(text, name)
    document = Document(data=None)
    if roots:
        document.data = _Builder(name, document).build(roots[0], ())
    return document


def _positions(text: str, name: str) -> Positions:
    document = _positioned(text, name)
    return document.values, document.keys


def _compose_with_ruamel(text: str, name: str) -> list[Node]:
    """Where libyaml declines: ruamel's reading, and its messages for what is not YAML."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError
    from ruamel.yaml.reader import ReaderError

    try:
        return [_from_ruamel(n, {}) for n in YAML(typ="rt").compose_all(text)]
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = f"YAML syntax error: {exc.problem or exc.context or 'invalid YAML'}"
        if exc.context and exc.context_mark and exc.problem_mark:
            message += f" ({exc.context} at line {exc.context_mark.line + 1})"
        loc = Location(name, mark.line + 1, mark.column + 1) if mark else Location(name, 1, 1)
        raise PivotalError(message, loc) from None
    except ReaderError as exc:  # a character YAML forbids; position counts characters
        loc = _position(name, text, exc.position)
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise PivotalError(f"YAML error: {exc.reason} (U+{code:04X})", loc) from None
    except YAMLError as exc:
        raise PivotalError(f"YAML error: {exc}", Location(name, 1, 1)) from None


def _from_ruamel(node: Any, seen: dict[int, Node]) -> Node:
    """ruamel's node as ours; an alias stays one shared node, a recursive one a cycle."""
    if id(node) in seen:
        return seen[id(node)]
    kind = {"scalar": SCALAR, "sequence": SEQUENCE, "mapping": MAPPING}[node.id]
    mark = node.start_mark
    value: Any = node.value if kind == SCALAR else []
    if kind == SCALAR and node.style == ">":
        value = value.replace("\a", "")  # ruamel marks each fold so for round trips
    converted: Node = (kind, str(node.tag), value, mark.line, mark.column)
    seen[id(node)] = converted
    if kind == SEQUENCE:
        value.extend(_from_ruamel(item, seen) for item in node.value)
    elif kind == MAPPING:
        value.extend((_from_ruamel(k, seen), _from_ruamel(v, seen)) for k, v in node.value)
    return converted


def _decode(raw: bytes, name: str) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        # Columns count characters, as everywhere else; the file is valid up to here.
        before = raw[: exc.start].decode("utf-8").removeprefix("\ufeff")
        raise PivotalError(
            "file is not valid UTF-8", _position(name, before, len(before))
        ) from None
    return text.removeprefix("\ufeff")


def _position(name: str, text: str, index: int) -> Location:
    """The line and column of a character offset into `text`."""
    breaks = list(_LINE_BREAK.finditer(text, 0, index))
    line_start = breaks[-1].end() if breaks else 0
    return Location(name, len(breaks) + 1, index - line_start + 1)


def _loc(name: str, node: Node) -> Location:
    return Location(name, node[3] + 1, node[4] + 1)


class _Unlocated(Exception):
    """A problem met while building without positions: build again to locate it."""


class _Builder:
    """Python values from nodes; with a document, recording where each came from."""

    def __init__(self, name: str, document: Document | None):
        self.name = name
        self.document = document
        self.budget = NODE_BUDGET

    def fail(self, message: str, node: Node) -> PivotalError:
        if self.document is None:
            raise _Unlocated
        return PivotalError(message, _loc(self.name, node))

    def build(self, node: Node, path: DataPath) -> Any:
        self.budget -= 1
        if self.budget < 0:
            raise self.fail(
                f"document expands to more than {NODE_BUDGET} values (YAML aliases?)", node
            )
        kind, tag, value, line, column = node
        if self.document is not None:
            self.document.values[path] = Location(self.name, line + 1, column + 1)
        if kind == MAPPING and tag == MAP:
            return self._mapping(value, path)
        if kind == SEQUENCE and tag == SEQ:
            return [self.build(item, (*path, i)) for i, item in enumerate(value)]
        if kind != SCALAR:
            raise self.fail(f"unsupported YAML tag {tag}", node)
        return _scalar(self, node)

    def _mapping(self, pairs: list[tuple[Node, Node]], path: DataPath) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in pairs:
            if key_node[1] == _TAG + "merge":
                message = "YAML merge keys (<<) are not supported; use a profile overlay instead"
                raise self.fail(message, key_node)
            if key_node[0] != SCALAR:
                raise self.fail("mapping keys must be plain strings", key_node)
            key = sys.intern(str(key_node[2]))  # one copy of each key name, however many maps
            child = (*path, key)
            if key in result:
                if self.document is None:
                    raise _Unlocated
                first = self.document.keys[child]
                message = f"duplicate key {key!r} (first defined at line {first.line})"
                raise self.fail(message, key_node)
            if self.document is not None:
                self.document.keys[child] = _loc(self.name, key_node)
            result[key] = self.build(value_node, child)
        return result


def _scalar(builder: _Builder, node: Node) -> Any:
    try:
        return _value(node[1], node[2])
    except _Unlocated:
        raise builder.fail(f"unsupported YAML tag {node[1]}", node) from None


def _value(tag: str, text: str) -> Any:
    """A scalar's value; _Unlocated for a tag we do not read."""
    if tag in (_TAG + "str", _TAG + "timestamp"):
        # Dates stay the text the user wrote. Short strings repeat (images, ${VAR}s,
        # durations): one copy of each keeps a large spec smaller.
        return sys.intern(text) if len(text) <= _INTERNED_LENGTH else text
    if tag == _TAG + "null":
        return None
    if tag == _TAG + "bool":  # yes/on/y too: a %YAML 1.1 document has its booleans
        return text.lower() in ("true", "yes", "on", "y")
    if tag == _TAG + "int":
        return int(text) if _CANONICAL_INT.fullmatch(text) else text
    if tag == _TAG + "float":
        return float(text) if _PLAIN_FLOAT.fullmatch(text) else text
    raise _Unlocated
