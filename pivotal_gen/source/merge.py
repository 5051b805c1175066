"""Overlay a profile onto the spec, keeping where each merged value came from.

Rules (documented in docs/profiles.md): mappings merge key by key; any other value
(scalars and lists) replaces the base value whole; `null` removes the key.
"""

from __future__ import annotations

from typing import Any

from pivotal_gen.errors import PivotalError
from pivotal_gen.source.document import Document, Positions
from pivotal_gen.source.paths import DataPath, present_prefix


def overlay(base: Document, profile: Document) -> Document:
    """The merged document; positions point at whichever file set each value."""
    if profile.data is None:
        return base
    if not isinstance(profile.data, dict):
        raise PivotalError("a profile must be a mapping of spec keys", profile.locate(()))
    if base.data is not None and not isinstance(base.data, dict):
        raise PivotalError("a profile applies to a mapping only", base.locate(()))
    replaced: set[DataPath] = set()
    data = _merge(base.data or {}, profile.data, (), replaced)
    return Document(data, positions=lambda: _positions(base, profile, data, replaced))


def merge_data(base: Any, top: Any) -> Any:
    """The data of `overlay`, without positions: what the layers so far made, for explain."""
    if not isinstance(top, dict) or not isinstance(base, dict):
        return base if top is None else top
    return _merge(base, top, (), set())


def _positions(base: Document, profile: Document, data: Any, replaced: set[DataPath]) -> Positions:
    """Merged mappings keep their base position; what the profile replaced points at it."""
    covered: dict[DataPath, bool] = {(): False}

    def set_by_profile(path: DataPath) -> bool:  # each path once: a big spec has 100,000
        found = covered.get(path)
        if found is None:
            found = covered[path] = path in replaced or set_by_profile(path[:-1])
        return found

    values = {p: loc for p, loc in base.values.items() if not set_by_profile(p)}
    keys = {p: loc for p, loc in base.keys.items() if not set_by_profile(p)}
    for positions, source in ((values, profile.values), (keys, profile.keys)):
        for path, loc in source.items():
            if (set_by_profile(path) or path not in positions) and present_prefix(
                data, path
            ) == path:
                positions[path] = loc
    return values, keys


def _merge(
    base: dict[str, Any], top: dict[str, Any], path: DataPath, replaced: set[DataPath]
) -> dict[str, Any]:
    result = dict(base)
    for key, value in top.items():
        child = (*path, key)
        if value is None:
            result.pop(key, None)
            replaced.add(child)
        elif isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = _merge(result[key], value, child, replaced)
        else:
            result[key] = _without_nulls(value)
            replaced.add(child)
    return result


def _without_nulls(value: Any) -> Any:
    """A value the profile adds whole: its nulls remove keys too, there being nothing to keep."""
    if isinstance(value, dict):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    return value
