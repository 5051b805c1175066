"""Where a merged value came from: every layer that set it, and which one won.

The merge rules (merge.py) decide the story: a mapping merges key by key, so
every layer that writes one contributes to it; anything else a later layer
writes (a scalar, a list, `null`) replaces what the earlier layers set, also
when it replaces an ancestor whole. Values no file sets come from the model's
defaults, or are derived by the model from another key (model/derived.py).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from pivotal_gen.errors import Location, PivotalError, suggest
from pivotal_gen.source.document import Document
from pivotal_gen.source.merge import merge_data
from pivotal_gen.source.paths import DataPath, format_path, walk

# What one layer did at the explained path.
Action = Literal["set", "merged", "removed", "replaced"]
Origin = Literal["files", "default", "derived", "absent"]

# A plain key, a list index, a JSON string in brackets (as format_path writes keys
# with dots, quotes or spaces), or a single-quoted key for hand-typing.
_SEGMENT = re.compile(r"""\.?([^.\[\]"']+)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]|\['([^']*)'\]""")


@dataclass(frozen=True)
class Layer:
    """One file of the merge, in order: the spec first, then the profile."""

    name: str
    document: Document


@dataclass(frozen=True)
class Setting:
    layer: str
    location: Location | None
    action: Action
    value: Any  # what this layer wrote there (None when it removed it)
    overridden: bool = False  # a later layer replaced it


@dataclass(frozen=True)
class Explanation:
    path: DataPath
    origin: Origin
    value: Any
    settings: list[Setting]
    children: dict[str | int, Explanation] = field(default_factory=dict)
    derived_from: DataPath | None = None  # the key a derived value comes from

    @property
    def winners(self) -> list[Setting]:
        return [s for s in self.settings if not s.overridden]


def parse_path(text: str) -> tuple[str, ...]:
    """`services.backend.ports[0]` or `services.postgres.files["/a/b.sql"]` into segments;
    indices stay text until the data says whether they index a list."""
    segments: list[str] = []
    position = 0
    while position < len(text):
        match = _SEGMENT.match(text, position)
        try:
            if match is None or (position == 0 and text.startswith(".")):
                raise ValueError
            plain, index, quoted, single = match.groups()
            segments.append(json.loads(quoted) if quoted else plain or index or single)
        except ValueError:  # no segment here, or a bad escape in a quoted key
            raise PivotalError(
                f"cannot read path {text!r} at character {position + 1}: write keys separated "
                'by dots, list items as [0], and keys with dots as ["a.b"]'
            ) from None
        position = match.end()
    if not segments:
        raise PivotalError("the path is empty: name a key, e.g. services.backend.ports")
    return tuple(segments)


def resolve(segments: tuple[str, ...], *trees: Any) -> DataPath:
    """The data path of `segments`: a digit segment indexes a list where any tree has one."""
    path: list[str | int] = []
    for segment in segments:
        here = [walk(tree, tuple(path)) for tree in trees]
        at_list = any(found == tuple(path) and isinstance(v, list) for found, v in here)
        path.append(int(segment) if at_list and segment.isdigit() else segment)
    return tuple(path)


def explain(
    layers: list[Layer],
    merged: Any,
    defaults: Any,
    path: DataPath,
    *,
    derived: Mapping[DataPath, tuple[Any, DataPath]] | None = None,
    must_exist: bool = True,
) -> Explanation:
    """How `path` got its value in `merged`; `defaults` is the validated model's data, or None,
    and `derived` the values it derives from other keys (path -> value, source path).
    A path that nothing sets is an error, unless `must_exist` is false."""
    before: list[Any] = [None]  # what the layers before each one made of the data
    for layer in layers[:-1]:
        before.append(merge_data(before[-1], layer.document.data))
    return _Context(layers, before, merged, defaults, derived or {}).explain(path, must_exist)


@dataclass(frozen=True)
class _Context:
    layers: list[Layer]
    before: list[Any]
    merged: Any
    defaults: Any
    derived: Mapping[DataPath, tuple[Any, DataPath]]

    def explain(self, path: DataPath, must_exist: bool = True) -> Explanation:
        settings = _settings(self.layers, self.before, path)
        found, value = walk(self.merged, path)
        source: DataPath | None = None
        if found == path:
            origin: Origin = "files"
        elif path in self.derived:
            origin, (value, source) = "derived", self.derived[path]
        else:
            value = _default(self.defaults, self.merged, path)
            origin = "absent" if value is _ABSENT else "default"
            value = None if value is _ABSENT else value
            if origin == "absent" and not settings and must_exist:
                raise PivotalError(self._unknown(path))
        children: dict[str | int, Explanation] = {}
        if isinstance(value, dict) and origin != "derived":
            more = [*_dict_at(self.defaults, path), *self._derived_keys(path)]
            for key in [*value, *(k for k in dict.fromkeys(more) if k not in value)]:
                children[key] = self.explain((*path, key))
        elif isinstance(value, list) and origin == "files":
            for index in range(len(value)):
                children[index] = self.explain((*path, index))
        return Explanation(path, origin, value, settings, children, source)

    def _derived_keys(self, path: DataPath) -> list[str | int]:
        return [p[-1] for p in self.derived if p[:-1] == path]

    def _unknown(self, path: DataPath) -> str:
        found, parent = walk(self.merged, path)
        missing = path[len(found)]
        where = format_path(found) if found else "the top level"
        if isinstance(parent, dict):
            more = [*_dict_at(self.defaults, found), *self._derived_keys(found)]
            hint = suggest(str(missing), [str(k) for k in dict.fromkeys([*parent, *more])])
            return f"{format_path(path)}: no key {missing!r} in {where}{hint}"
        if isinstance(parent, list):
            return f"{format_path(path)}: {where} has {len(parent)} item(s), no [{missing}]"
        return f"{format_path(path)}: {where} is a single value, it has no {missing!r}"


def _settings(layers: list[Layer], before: list[Any], path: DataPath) -> list[Setting]:
    settings: list[Setting] = []
    for number, layer in enumerate(layers):
        data = layer.document.data
        found, value = walk(data, path)
        whole = _written_whole(before[number], data, path) if number > 0 else path
        if found == path:
            if value is None and number > 0:
                action: Action = "removed"
            elif whole is None:
                action = "merged"  # a mapping into the mapping the layers before made
            else:
                action = "set"
            if action != "merged":
                settings = [_overridden(s) for s in settings]
            settings.append(Setting(layer.name, _where(layer.document, path), action, value))
        elif whole is not None:
            # An ancestor written whole (a list, a scalar, null) replaces everything below it,
            # also where the new list holds a mapping at the same index: lists do not merge.
            settings = [_overridden(s) for s in settings]
            _, written = walk(data, whole)
            what: Action = "removed" if written is None else "replaced"
            if settings:
                settings.append(Setting(layer.name, _where(layer.document, whole), what, written))
    return settings


def _written_whole(before: Any, data: Any, path: DataPath) -> DataPath | None:
    """The shortest part of `path` a layer writes whole rather than merging key by key into
    what the layers before made; None when it merges all the way down or stops short."""
    for end in range(1, len(path) + 1):
        prefix = path[:end]
        found, value = walk(data, prefix)
        if found != prefix:
            return None
        old_found, old = walk(before, prefix)
        if not isinstance(value, dict) or old_found != prefix or not isinstance(old, dict):
            return prefix
    return None


def _overridden(setting: Setting) -> Setting:
    return Setting(setting.layer, setting.location, setting.action, setting.value, True)


def _where(document: Document, path: DataPath) -> Location | None:
    """A key's line for mapping entries, the item's for list items."""
    return document.locate(path, key=bool(path) and isinstance(path[-1], str))


class _Absent:
    pass


_ABSENT: Any = _Absent()


def _default(defaults: Any, merged: Any, path: DataPath) -> Any:
    """The model's value at `path`, when no file has it: only below a mapping the files
    have (a key left out), not inside a value written in another form (`"3000:3000"`)."""
    _, parent = walk(merged, path)
    if defaults is None or not isinstance(parent, dict):
        return _ABSENT
    found_default, value = walk(defaults, path)
    return value if found_default == path else _ABSENT


def _dict_at(tree: Any, path: DataPath) -> dict[str, Any]:
    found, value = walk(tree, path)
    return value if found == path and isinstance(value, dict) else {}
