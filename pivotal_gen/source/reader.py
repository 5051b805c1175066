"""YAML text to plain data, from libyaml's events, optionally with every position.

PyYAML's binding to libyaml parses in C; the builder below makes dicts, lists and
scalars (core_schema.py) straight from its events. Asked to, it also records the
position of every value and mapping key by path. Recording costs more time and
memory than the data, so a load builds without it, and builds again with it only
when positions are wanted (document.py).

Whatever the builder refuses is a PivotalError at the event's position: anything
libyaml finds wrong, a second document, a %YAML directive for another version, a
duplicate, merge (<<) or non-scalar key, a plain scalar that other YAML readers
read otherwise (other_readers.py), a tag outside the core schema, an alias
that is undefined or recursive, more than NODE_BUDGET values (aliases can expand a
small text enormously) or more than MAX_DEPTH levels.
"""

from __future__ import annotations

from collections.abc import Callable
from sys import intern
from typing import Any

from yaml import MarkedYAMLError, YAMLError
from yaml._yaml import CParser
from yaml.events import (
    AliasEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.reader import ReaderError

from pivotal_gen.errors import Location, PivotalError
from pivotal_gen.source import core_schema
from pivotal_gen.source.core_schema import MAP, SCALAR_TAGS, SEQ, TAG
from pivotal_gen.source.other_readers import NOT_TEXT_WORDS, NUMBER_START
from pivotal_gen.source.paths import DataPath
from pivotal_gen.source.yaml_errors import position, syntax_error

# Values built per document; far above any real spec, far below an alias bomb.
NODE_BUDGET = 200_000
# Collections nested in each other; a real spec has a dozen levels at most.
MAX_DEPTH = 200

Positions = tuple[dict[DataPath, Location], dict[DataPath, Location]]  # values, keys
_MERGE = TAG + "merge"
_NOTHING: tuple[None, None] = (None, None)


class NeedsPositions(Exception):
    """Building without positions met what only a build with them can report."""


class _Anchor:
    """An anchored node: its value, its text if a scalar, and what it recorded."""

    __slots__ = ("key", "keys", "value", "values")

    def __init__(self, value: Any, key: str | None, values: list[Any], keys: list[Any]):
        self.value, self.key, self.values, self.keys = value, key, values, keys


def read(text: str, name: str, *, record: bool) -> tuple[Any, Positions | None]:
    """The data of the one document in `text` (None if there is none) and, if `record`,
    its positions. NeedsPositions if not recording and only positions can say what
    is wrong (a duplicate key's first line): read again with `record`."""
    builder = _Builder(text, name, record)
    try:
        return builder.document()
    except ReaderError as exc:  # a character YAML forbids; position counts UTF-8 bytes
        index = len(text.encode("utf-8")[: exc.position].decode("utf-8", errors="replace"))
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        message = f"YAML error: {exc.reason} (U+{code:04X})"
        raise PivotalError(message, position(name, text, index)) from None
    except MarkedYAMLError as exc:
        raise syntax_error(exc, name, text) from None
    except YAMLError as exc:  # not raised by libyaml's parser today; say something anyway
        raise PivotalError(f"YAML error: {exc}", Location(name, 1, 1)) from None


class _Builder:
    def __init__(self, text: str, name: str, record: bool):
        self.next: Callable[[], Any] = CParser(text).get_event
        self.name = name
        self.budget = NODE_BUDGET
        self.anchors: dict[str, _Anchor | None] = {}  # None: still being built
        self.values: dict[DataPath, Location] | None = {} if record else None
        self.keys: dict[DataPath, Location] | None = {} if record else None

    def fail(self, message: str, event: Any) -> PivotalError:
        mark = event.start_mark
        return PivotalError(message, Location(self.name, mark.line + 1, mark.column + 1))

    def document(self) -> tuple[Any, Positions | None]:
        get = self.next
        get()  # the stream's start
        start = get()
        if type(start) is StreamEndEvent:
            return None, None
        self.directives(start)
        data = self.node(get(), (), 0)
        get()  # the document's end
        if type(get()) is not StreamEndEvent:  # another document: say where its content is
            raise self.fail("expected one YAML document, found several", get())
        if self.values is None or self.keys is None:
            return data, None
        return data, (self.values, self.keys)

    def directives(self, start: Any) -> None:
        if start.version is not None and start.version != (1, 2):
            version = ".".join(map(str, start.version))
            raise self.fail(
                f"%YAML {version}: this file is read as YAML 1.2; remove the directive",
                start,
            )
        # %TAG directives need nothing: libyaml expands each tag, a core schema's or refused.

    def node(self, event: Any, path: DataPath, depth: int) -> Any:
        kind = type(event)
        if kind is AliasEvent:
            return self.alias(event, path, depth)
        self.budget -= 1
        if self.budget < 0:
            raise self.budget_error(event)
        values = self.values
        if values is not None:
            mark = event.start_mark
            values[path] = Location(self.name, mark.line + 1, mark.column + 1)
        anchor = event.anchor
        if anchor is not None:
            self.anchors[anchor] = None
            # From the node's own position, recorded above.
            before = (len(values) - 1, len(self.keys or ())) if values is not None else (0, 0)
        tag = event.tag
        if kind is ScalarEvent:
            value = self.scalar(event)
        elif depth >= MAX_DEPTH:
            raise self.depth_error(event)
        elif kind is SequenceStartEvent and tag in (None, "!", SEQ):
            value = self.sequence(path, depth + 1)
        elif kind is MappingStartEvent and tag in (None, "!", MAP):
            value = self.mapping(path, depth + 1)
        else:
            what = "sequence" if kind is SequenceStartEvent else "mapping"
            raise self.fail(self.tag_message(tag, what), event)
        if anchor is not None:
            key = event.value if kind is ScalarEvent else None
            self.anchors[anchor] = _Anchor(value, key, *self.recorded(path, before))
        return value

    def scalar(self, event: Any) -> Any:
        tag = event.tag
        if tag is not None and tag not in SCALAR_TAGS:
            raise self.fail(self.tag_message(tag, "scalar"), event)
        try:
            if tag is not None:
                return core_schema.tagged(tag, event.value)
            if event.implicit[0]:
                return core_schema.plain(event.value)
            return core_schema.text(event.value)
        except ValueError as exc:  # outside the core schema, or read otherwise elsewhere
            raise self.fail(str(exc), event) from None

    def sequence(self, path: DataPath, depth: int) -> list[Any]:
        get, node = self.next, self.node
        items: list[Any] = []
        event = get()
        if self.values is None:
            while type(event) is not SequenceEndEvent:
                items.append(node(event, path, depth))
                event = get()
        else:
            while type(event) is not SequenceEndEvent:
                items.append(node(event, (*path, len(items)), depth))
                event = get()
        return items

    def mapping(self, path: DataPath, depth: int) -> dict[str, Any]:
        get, node, keys = self.next, self.node, self.keys
        result: dict[str, Any] = {}
        event = get()
        while type(event) is not MappingEndEvent:
            if type(event) is ScalarEvent and event.anchor is None and event.tag is None:
                key = event.value  # the common case, in short
                if event.implicit[0] and (key in NOT_TEXT_WORDS or key[:1] in NUMBER_START):
                    self.key_check(event)
                key = intern(key)  # one copy of each key name, however many mappings
                where = None
            else:
                key, where = self.odd_key(event)
            if keys is None:
                if key in result:
                    raise NeedsPositions
                result[key] = node(get(), path, depth)
            else:
                child = (*path, key)
                first = keys.get(child)
                if first is not None:
                    message = f"duplicate key {key!r} (first defined at line {first.line})"
                    raise self.fail(message, event)
                if where is None:
                    mark = event.start_mark
                    where = Location(self.name, mark.line + 1, mark.column + 1)
                keys[child] = where
                result[key] = node(get(), child, depth)
            event = get()
        return result

    def odd_key(self, event: Any) -> tuple[str, Location | None]:
        """The text of a key that is an alias, anchored or tagged, and the position of an
        alias's anchor (an alias is its anchored node, there too); or why it cannot be one."""
        kind = type(event)
        if kind is AliasEvent:
            anchor = self.anchored(event)
            if anchor.key is None:
                raise self.fail("mapping keys must be plain strings", event)
            return intern(anchor.key), anchor.values[0][1] if anchor.values else None
        if kind is not ScalarEvent:
            raise self.fail("mapping keys must be plain strings", event)
        if event.tag == _MERGE:
            raise self.merge_error(event)
        if event.tag is None and event.implicit[0]:  # a key is its text, if others agree
            self.key_check(event)
        self.scalar(event)  # and its tag must be one we read
        if event.anchor is not None:  # a key may be reused as a value, or as a key
            mark = event.start_mark
            here = [((), Location(self.name, mark.line + 1, mark.column + 1))]
            recorded = here if self.values is not None else []
            self.anchors[event.anchor] = _Anchor(self.scalar(event), event.value, recorded, [])
        return intern(event.value), None

    def key_check(self, event: Any) -> None:
        """Refuse a plain key that other YAML readers read as other than text."""
        problem = core_schema.key_problem(event.value)
        if problem is not None:
            raise self.merge_error(event) if event.value == "<<" else self.fail(problem, event)

    def anchored(self, event: Any) -> _Anchor:
        name = event.anchor
        if name not in self.anchors:
            raise self.fail(f"alias *{name} has no anchor &{name} before it", event)
        anchor = self.anchors[name]
        if anchor is None:
            message = f"alias *{name} is inside the node it refers to (a recursive alias)"
            raise self.fail(message, event)
        return anchor

    def alias(self, event: Any, path: DataPath, depth: int) -> Any:
        """The anchored value built again, and its positions recorded again under `path`."""
        anchor = self.anchored(event)
        value = self.copy(anchor.value, event, depth)
        if self.values is not None and self.keys is not None:
            self.values.update(((*path, *rest), loc) for rest, loc in anchor.values)
            self.keys.update(((*path, *rest), loc) for rest, loc in anchor.keys)
        return value

    def copy(self, value: Any, alias: Any, depth: int) -> Any:
        self.budget -= 1
        if self.budget < 0:
            raise self.budget_error(alias)
        if type(value) not in (dict, list):
            return value
        if depth >= MAX_DEPTH:
            raise self.depth_error(alias)
        if type(value) is dict:
            return {key: self.copy(item, alias, depth + 1) for key, item in value.items()}
        return [self.copy(item, alias, depth + 1) for item in value]

    def recorded(self, path: DataPath, before: tuple[int, int]) -> tuple[list[Any], list[Any]]:
        """What was recorded since `before`, by path relative to `path`: what an alias
        of the node just built records under its own path."""
        if self.values is None or self.keys is None:
            return [], []
        cut = len(path)
        found = []
        for recorded, start in ((self.values, before[0]), (self.keys, before[1])):
            items = reversed(recorded.items())
            newest = [next(items) for _ in range(len(recorded) - start)]
            found.append([(p[cut:], loc) for p, loc in reversed(newest)])
        return found[0], found[1]

    def depth_error(self, event: Any) -> PivotalError:
        return self.fail(f"YAML nested more than {MAX_DEPTH} levels deep", event)

    def budget_error(self, event: Any) -> PivotalError:
        message = f"document expands to more than {NODE_BUDGET} values (YAML aliases?)"
        return self.fail(message, event)

    def merge_error(self, event: Any) -> PivotalError:
        message = "YAML merge keys (<<) are not supported; use a profile overlay instead"
        return self.fail(message, event)

    @staticmethod
    def tag_message(tag: str, what: str) -> str:
        if tag in SCALAR_TAGS or tag in (SEQ, MAP):
            return f"YAML tag {core_schema.short(tag)} cannot tag a {what}"
        return f"unsupported YAML tag {tag}"
