"""Every string field of the spec, found in the model's JSON schema, and where each one
can hold a value in the shipped `pivotal.yaml`.

A field is a path through the schema: property names, `<key>` (the key of a mapping:
free text the user writes), `*` (a mapping's value) and `[]` (a list item). Union
members that accept a string count, and so does a value of any type (`{}`). Both the
schema of what the user may write and that of the model it becomes are walked, so the
long forms behind a short syntax (`ports`, `volumes`) count too. A field added to the
model is found here without editing the tests.

A place is one field made concrete: a string the spec already has there (in
`pivotal.yaml` as written, else in its long form, the validated model written out), or
where it has none, the smallest addition that holds one (a missing object is created,
the key of a new entry copies a sibling's value). A setting says how a value goes
there, with a benign value the spec accepts, so that what a hostile value renders can
be compared with what an ordinary one does.
"""

from __future__ import annotations

import copy
import itertools
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from pivotal_gen.model.spec import Spec

KEY = "<key>"
VALUE = "*"
ITEM = "[]"


class _New:
    """The key of a new entry, where a mapping has no entry to hold a value."""

    def __repr__(self) -> str:
        return "<new>"


NEW = _New()
# Benign values tried, in order, where the spec has none of its own: most fields take
# one of them (a name, a path, a URL path, an image, a duration, a reason, a URL).
CANDIDATES = ("x", "/x", "x:1", "1s", "1", "/x/y.sql", "why this is so here", "http://x")
NEW_KEYS = ("x", "X", "X1", "/x")


@dataclass(frozen=True)
class Step:
    kind: str  # a property name, or KEY, VALUE, ITEM
    # VALUE under a discriminated union: the tag an entry carries; KEY: the names allowed.
    where: tuple[tuple[str, str], ...] = ()
    choices: tuple[str, ...] = field(default=(), compare=False)

    def __str__(self) -> str:
        tags = ",".join(f"{k}={v}" for k, v in self.where)
        return f"{self.kind}[{tags}]" if tags else self.kind


Field = tuple[Step, ...]


def label(path: Field) -> str:
    return ".".join(str(step) for step in path)


def string_fields() -> list[Field]:
    """Every field where the spec holds a string: as written, then in the long forms."""
    found = _walk(Spec.model_json_schema())
    return list(dict.fromkeys(found + _walk(Spec.model_json_schema(mode="serialization"))))


def _walk(schema: dict[str, Any]) -> list[Field]:
    defs = schema.get("$defs", {})
    found: dict[Field, None] = {}

    def resolve(node: Any) -> Any:
        while isinstance(node, dict) and "$ref" in node:
            node = defs[node["$ref"].rsplit("/", 1)[1]]
        return node

    def walk(node: Any, path: Field) -> None:
        node = resolve(node)
        if node is True or node == {}:  # any value, a string among them
            found[path] = None
            return
        if not isinstance(node, dict) or len(path) > 16:  # (no recursion in the model)
            return
        alternatives = node.get("anyOf") or node.get("oneOf")
        if alternatives:
            tag = (node.get("discriminator") or {}).get("propertyName")
            for alternative in alternatives:
                const = resolve(alternative).get("properties", {}).get(tag, {}).get("const")
                if tag and const is not None and path and path[-1].kind == VALUE:
                    walk(alternative, (*path[:-1], Step(VALUE, ((str(tag), str(const)),))))
                else:
                    walk(alternative, path)
            return
        kind = node.get("type")
        if kind == "string" or "enum" in node or "const" in node:
            found[path] = None
        elif kind == "object":
            for name, prop in node.get("properties", {}).items():
                walk(prop, (*path, Step(name)))
            extra = node.get("additionalProperties", False)
            if extra is not False:
                names = tuple(node.get("propertyNames", {}).get("enum", ()))
                found[(*path, Step(KEY, choices=names))] = None
                walk(extra, (*path, Step(VALUE)))
        elif kind == "array":
            for item in node.get("prefixItems", []):
                walk(item, (*path, Step(ITEM)))
            if "items" in node:
                walk(node["items"], (*path, Step(ITEM)))

    walk(schema, ())
    return list(found)


@dataclass(frozen=True)
class Place:
    """One field made concrete in a spec: where a value goes, and the spec's own value."""

    field: Field
    base: int  # which of the spec's forms it is in (see places)
    path: tuple[Any, ...]  # str keys, int indexes, NEW; a key field ends in KEY
    own: str | None  # the string the spec holds there, if any

    @property
    def name(self) -> str:
        return ".".join(str(part) for part in self.path)


def places(bases: list[dict[str, Any]], path: Field) -> list[Place]:
    """Where the field can be set: every string of the spec as written there, else of its
    long form (bases[1]), else a new spot in the spec as written."""
    found: list[Place] = []

    def walk(base: int, node: Any, steps: Field, at: tuple[Any, ...]) -> None:
        if not steps:
            found.append(Place(path, base, at, node if isinstance(node, str) else None))
            return
        step, rest = steps[0], steps[1:]
        if step.kind == KEY:
            found.append(Place(path, base, (*at, KEY), None))
        elif step.kind == VALUE:
            entries = node.items() if isinstance(node, dict) else ()
            matching = [(k, v) for k, v in entries if _tagged(v, step.where)]
            for key, value in matching:
                walk(base, value, rest, (*at, key))
            if not matching:
                walk(base, None, rest, (*at, NEW))
        elif step.kind == ITEM:
            items = node if isinstance(node, list) else []
            for index, item in enumerate(items):
                walk(base, item, rest, (*at, index))
            if not items:
                walk(base, None, rest, (*at, 0))
        else:
            walk(
                base,
                node.get(step.kind) if isinstance(node, dict) else None,
                rest,
                (*at, step.kind),
            )

    for base, data in enumerate(bases):
        walk(base, data, path, ())
        held = [place for place in found if place.own is not None or place.path[-1] == KEY]
        if held:
            return held
        found.clear()
    walk(0, bases[0], path, ())
    return found


def _tagged(value: Any, where: tuple[tuple[str, str], ...]) -> bool:
    return all(isinstance(value, dict) and value.get(k) == v for k, v in where)


@dataclass(frozen=True)
class Setting:
    """How a value goes to a place: the made-up key of a new entry, the value a new key
    gets (a sibling's), and a benign value that the spec accepts there."""

    new_key: str
    sibling: Any
    benign: str


Couple = Callable[[dict[str, Any], Place, str], None]


def put(
    data: dict[str, Any], place: Place, setting: Setting, value: str, couple: Couple | None = None
) -> dict[str, Any]:
    """A copy of data with value at the place (the key of a new entry, for a key field);
    couple moves the values that the checks hold equal to this one along with it. Only
    the mappings and lists on the way to the place are copied: couple copies what it
    changes."""
    result = dict(data)
    node: Any = result
    path: list[Any] = [setting.new_key if part is NEW else part for part in place.path]
    for part, following in itertools.pairwise(path):
        empty: Any = [] if isinstance(following, int) else {}
        if isinstance(node, list) and part >= len(node):
            node.append(empty)
        child = node[part] if isinstance(node, list) else node.get(part)
        node[part] = copy.copy(child) if isinstance(child, type(empty)) else empty
        node = node[part]
    last = path[-1]
    if last == KEY:
        node[value] = copy.deepcopy(setting.sibling)
    elif isinstance(last, int) and last >= len(node):
        node.append(value)
    else:
        node[last] = value
    if couple is not None:
        couple(result, place, value)
    return result


def settings_to_try(data: dict[str, Any], place: Place) -> Iterator[Setting]:
    """Ways to hold an ordinary value at the place, the likeliest to be accepted first."""
    if place.path[-1] == KEY:
        parent: Any = data
        for part in place.path[:-1]:
            parent = parent.get(part) if isinstance(parent, dict) else None
        siblings = list(parent.items()) if isinstance(parent, dict) else []
        names = place.field[-1].choices
        for key, sibling in siblings:
            for benign in (*names, f"{key}x", f"x{key}", f"{key}2"):
                if benign not in parent:
                    yield Setting("", sibling, benign)
        for sibling in ("x", {}, []):
            for benign in names or NEW_KEYS:
                yield Setting("", sibling, benign)
        return
    services = list(data.get("services", {}))  # what names refer to
    values = (place.own,) if place.own is not None else (*CANDIDATES, *services)
    for new_key in NEW_KEYS if NEW in place.path else ("",):
        for benign in values:
            yield Setting(new_key, None, benign)


MARKER = "\ue000pivotal-gen-test-marker\ue000"


def spec_text(
    data: dict[str, Any], place: Place, setting: Setting, value: str, couple: Couple | None = None
) -> tuple[str, set[int]]:
    """The spec as JSON (which is YAML) with value at the place, and the lines (1-based)
    where an error about the value may point: its own (or its key's, for a key field),
    or that of the mapping or list holding it (a rule about a whole entry or list, a
    volume or a healthcheck's test, is reported there).

    Every scalar and key is on a line of its own and every string is escaped to one
    line, so the lines are unambiguous."""
    text = json.dumps(put(data, place, setting, MARKER, couple), indent=1, ensure_ascii=True)
    marker = json.dumps(MARKER, ensure_ascii=True)
    line = text[: text.index(marker)].count("\n")  # 0-based; (a coupled value holds more)
    lines = text.splitlines()
    depth = len(lines[line]) - len(lines[line].lstrip())
    holder = next(i for i in range(line, -1, -1) if len(lines[i]) - len(lines[i].lstrip()) < depth)
    found = {line + 1, holder + 1}
    bare = marker[1:-1]
    return text.replace(bare, json.dumps(value, ensure_ascii=True)[1:-1]) + "\n", found
