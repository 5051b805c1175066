"""`pivotal-gen explain PATH`: a merged value, and every file and line that set it."""

from __future__ import annotations

import json
import sys
from typing import Any

from pivotal_gen.cli.options import Options
from pivotal_gen.errors import EXIT_OK, Location, PivotalError, display_path
from pivotal_gen.model import interpolation
from pivotal_gen.model.derived import Derived, derived_values
from pivotal_gen.project import Project
from pivotal_gen.source.document import Document
from pivotal_gen.source.merge import overlay
from pivotal_gen.source.paths import format_path
from pivotal_gen.source.provenance import Explanation, Layer, Setting, explain, parse_path, resolve

_INLINE = 60  # a value longer than this, as JSON, is summarised


def run(options: Options) -> int:
    project = Project.of(options.spec)
    segments = parse_path(options.path)
    profile = project.require_profiles(options.profiles)[0] if options.profiles else None
    layers = [Layer(str(project.spec_file), project.base_document)]
    if profile is not None:
        layers.append(Layer(str(project.profile_file(profile)), project.profile_document(profile)))
    merged, defaults, derived, invalid = _merged(project, profile)
    path = resolve(segments, *(layer.document.data for layer in layers))
    explanation = explain(layers, merged.data, defaults, path, derived=derived)
    sources = _Sources(merged)
    variables = {
        name: explain(
            layers, merged.data, defaults, ("variables", name, "default"), must_exist=False
        )
        for name in _referenced(explanation.value, merged.data)
    }
    if options.format == "json":
        report = _as_json(explanation, sources, invalid)
        report["variables"] = {name: _as_json(v, sources) for name, v in variables.items()}
        sys.stdout.write(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    else:
        lines = _text(explanation, sources)
        for name, variable in variables.items():
            lines.append(f"${{{name}}} comes from the environment (.env); ")
            lines.extend(_variable_text(variable, merged.data["variables"][name]))
        if invalid:
            lines.append(f"note: {invalid}; defaults are not shown\n")
        sys.stdout.write("".join(lines))
    return EXIT_OK


def _merged(project: Project, profile: str | None) -> tuple[Document, Any, Derived, str | None]:
    """The merged document, the validated spec's data with its defaults, the values the model
    derives, and a note when the merge is invalid: explaining it still works then, without
    the defaults and derived values."""
    try:
        loaded = project.load(profile)
    except PivotalError as exc:
        merged = project.base_document
        if profile is not None:
            merged = overlay(merged, project.profile_document(profile))
        note = f"the merged spec is invalid ({len(exc.diagnostics)} error(s); run validate)"
        return merged, None, {}, note
    defaults = loaded.spec.model_dump(mode="json", by_alias=True, exclude_none=True)
    return loaded.document, defaults, derived_values(loaded.spec, loaded.document.data), None


class _Sources:
    """Where a derived value comes from, as text and as JSON."""

    def __init__(self, merged: Document) -> None:
        self.merged = merged

    def location(self, explanation: Explanation) -> Location | None:
        source = explanation.derived_from
        return None if source is None else self.merged.locate(source, key=True)

    def text(self, explanation: Explanation) -> str:
        source = explanation.derived_from
        where = self.location(explanation)
        at = f" at {where}" if where is not None else ""
        return f"derived from {format_path(source)}{at}" if source is not None else ""

    def json(self, explanation: Explanation) -> dict[str, Any] | None:
        if explanation.derived_from is None:
            return None
        where = self.location(explanation)
        return {
            "path": format_path(explanation.derived_from),
            "file": display_path(where.file) if where else None,
            "line": where.line if where else None,
            "col": where.col if where else None,
        }


def _referenced(value: Any, merged: Any) -> list[str]:
    """The declared variables a string value refers to, in order, once each."""
    if not isinstance(value, str):
        return []
    try:
        names = interpolation.references(value)
    except interpolation.InterpolationError:
        return []
    declared = merged.get("variables") or {} if isinstance(merged, dict) else {}
    return [name for name in dict.fromkeys(names) if isinstance(declared.get(name), dict)]


def _variable_text(default: Explanation, variable: dict[str, Any]) -> list[str]:
    if variable.get("secret"):
        return ["a secret: no default, it must be set there\n"]
    if default.origin == "absent":
        return ["no default, it must be set there\n"]
    where = " + ".join(_at(s.location) for s in default.winners) or "the model"
    losers = [_at(s.location) for s in default.settings if s.overridden]
    override = f" (overrides {', '.join(losers)})" if losers else ""
    return [f"default {_show(default.value)} from {where}{override}\n"]


def _text(explanation: Explanation, sources: _Sources) -> list[str]:
    name = format_path(explanation.path)
    value = explanation.value
    # A derived value has no lines of its own to list item by item: show it whole.
    whole = not isinstance(value, dict | list) or explanation.origin == "derived"
    shown = json.dumps(value, ensure_ascii=False) if whole else _show(value)
    lines = [f"{name} = {shown}{_origin_note(explanation, sources)}\n"]
    width = max((len(_at(s.location)) for s in explanation.settings), default=0)
    merging = any(s.action == "merged" for s in explanation.winners)
    for setting in explanation.settings:
        lines.append(f"  {_at(setting.location):<{width}}  {_what(setting, merging)}\n")
    if explanation.children:
        lines.append("keys:\n" if isinstance(explanation.value, dict) else "items:\n")
        rows = [
            (_child_name(k), _show(c.value), _child_origin(c, sources))
            for k, c in explanation.children.items()
        ]
        key_width = max(len(row[0]) for row in rows)
        value_width = max(len(row[1]) for row in rows)
        for key, value, origin in rows:
            lines.append(f"  {key:<{key_width}}  {value:<{value_width}}  {origin}\n")
    return lines


def _origin_note(explanation: Explanation, sources: _Sources) -> str:
    if explanation.origin == "derived":
        return f"  ({sources.text(explanation)})"
    if explanation.origin == "default":
        return "  (default: no file sets it)"
    if explanation.origin == "absent":
        return "  (not set)"
    return ""


def _what(setting: Setting, merging: bool) -> str:
    if setting.action == "removed":
        verdict = "removes it" if not setting.overridden else "removed, then set again"
        return f"null  {verdict}"
    if setting.action == "replaced":
        return f"{_show(setting.value)}  replaces it whole"
    verdict = "overridden" if setting.overridden else ("merged" if merging else "<- wins")
    return f"{_show(setting.value)}  {verdict}"


def _child_name(key: str | int) -> str:
    return format_path((key,))


def _child_origin(child: Explanation, sources: _Sources) -> str:
    if child.origin == "derived":
        return sources.text(child)
    if child.origin == "default":
        return "default"
    winners = [_at(s.location) for s in child.winners if s.action != "removed"]
    losers = [_at(s.location) for s in child.settings if s.overridden]
    text = " + ".join(winners) or "not set"
    return text + (f"  (overrides {', '.join(losers)})" if losers else "")


def _at(location: Location | None) -> str:
    return str(location) if location is not None else "?"


def _show(value: Any) -> str:
    """JSON, so that "0755" and 755 or "true" and true look different; long values summarised."""
    text = json.dumps(value, ensure_ascii=False)
    if len(text) <= _INLINE:
        return text
    if isinstance(value, dict):
        return f"{{...}} ({len(value)} keys)"
    if isinstance(value, list):
        return f"[...] ({len(value)} items)"
    return text[: _INLINE - 4] + '..."'


def _as_json(
    explanation: Explanation, sources: _Sources, invalid: str | None = None
) -> dict[str, Any]:
    report: dict[str, Any] = {
        "path": format_path(explanation.path),
        "value": explanation.value,
        "origin": explanation.origin,
        "set_by": [_setting_json(s) for s in explanation.settings],
    }
    if explanation.derived_from is not None:
        report["derived_from"] = sources.json(explanation)
    if explanation.children:
        report["children"] = {
            _child_name(key): _as_json(child, sources)
            for key, child in explanation.children.items()
        }
    if invalid:
        report["note"] = invalid
    return report


def _setting_json(setting: Setting) -> dict[str, Any]:
    where = setting.location
    return {
        "file": display_path(where.file if where else setting.layer),
        "line": where.line if where else None,
        "col": where.col if where else None,
        "action": setting.action,
        "value": setting.value,
        "wins": not setting.overridden and setting.action in ("set", "merged"),
    }
