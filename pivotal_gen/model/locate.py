"""Turn validation failures into located diagnostics: `FILE:LINE:COL: path: message`."""

from __future__ import annotations

import re
from typing import Any, get_args, get_origin

from pydantic import BaseModel, ValidationError

from pivotal_gen.errors import Diagnostic, Location, suggest
from pivotal_gen.formats.comments import oneline
from pivotal_gen.model.spec import Spec
from pivotal_gen.model.unsupported import shown_input, unsupported
from pivotal_gen.source.document import Document
from pivotal_gen.source.paths import DataPath, Finding, format_path, present_prefix, walk


def finding_diagnostics(findings: list[Finding], document: Document) -> list[Diagnostic]:
    return [
        Diagnostic(f"{format_path(path)}: {message}", _entry_location(document, path))
        for path, message in findings
    ]


def _entry_location(document: Document, path: DataPath) -> Location | None:
    """A scalar is shown where its value is; a mapping or list where its key is."""
    found, value = walk(document.data, path)
    return document.locate(path, key=found == path and isinstance(value, dict | list))


def validation_diagnostics(exc: ValidationError, document: Document) -> list[Diagnostic]:
    """pydantic's errors, one per place, at the line of the offending key or value."""
    diagnostics: dict[DataPath, Diagnostic] = {}
    errors = exc.errors()
    unknown = [
        present_prefix(document.data, _without_tags(document.data, tuple(e["loc"])))
        for e in errors
        if e["type"] == "extra_forbidden"
    ]
    for error in errors:
        loc = _without_tags(document.data, tuple(error["loc"]))
        if error["type"] == "union_tag_invalid":
            loc = (*loc, str(error.get("ctx", {}).get("discriminator", "")).strip("'"))
        path = present_prefix(document.data, loc)
        rest = loc[len(path) :]
        path, rest = _from_list_item(document.data, path, rest)
        # pydantic's messages may repeat the input (a union's tag): a control character in
        # it would break the message's line, or start a line that reads as a message.
        message = oneline(str(error["msg"]).removeprefix("Value error, "))
        at_key = False
        if error["type"] == "missing":
            message = f"missing required key {rest[0]!r}"
        elif error["type"] == "extra_forbidden":
            message = unsupported(path) or (
                f"unknown key {path[-1]!r}{suggest(str(path[-1]), _known_keys(path[:-1]))}"
            )
            at_key = True
        elif rest[:1] == ("[key]",):
            at_key = True
            if error["type"] == "literal_error":  # a key from a fixed set, e.g. a rule name
                known = re.findall(r"'([^']*)'", str(error.get("ctx", {}).get("expected", "")))
                key = str(path[-1])
                message = f"unknown key {key!r}{suggest(key, known)}; one of: {', '.join(known)}"
        elif error["type"] != "value_error":  # our own messages say what they got
            message += shown_input(path, error.get("input"), message)
        if path in diagnostics:
            continue  # one message per place: a union reports once per member
        if error["type"] == "missing" and any(p[:-1] == path for p in unknown):
            continue  # `deploy: {replicas: 2}`: the unknown key says it, not what is missing
        location = document.locate(path, key=at_key)
        diagnostics[path] = Diagnostic(f"{format_path(path)}: {message}", location)
    return list(diagnostics.values())


def _from_list_item(data: Any, path: DataPath, rest: DataPath) -> tuple[DataPath, DataPath]:
    """`depends_on: [a, b]` becomes a mapping before it is validated: an error about its
    key `b` is about the list's item, and is shown there."""
    _, node = walk(data, path)
    if rest[1:] == ("[key]",) and isinstance(node, list) and rest[0] in node:
        return (*path, node.index(rest[0])), ()
    return path, rest


def _without_tags(data: Any, loc: DataPath) -> DataPath:
    """pydantic puts a tagged union's tag in the path (images.backend.node-server.start);
    the document has no such key: drop it."""
    kept: list[str | int] = []
    node = data
    for index, part in enumerate(loc):
        # A tag is never last: a key that is missing is, and may equal some value.
        tag = index < len(loc) - 1 and isinstance(node, dict) and part not in node
        if tag and part in node.values():
            continue
        kept.append(part)
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            node = None
    return tuple(kept)


def _known_keys(path: DataPath) -> list[str]:
    """The keys the model allows at `path`, for "did you mean" hints."""
    current: Any = Spec
    for part in (*path, None):
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            if part is None:
                return list(current.model_fields)
            field = current.model_fields.get(str(part))
            if field is None:
                return []
            current = field.annotation
        elif get_origin(current) is dict:
            current = get_args(current)[1]
        elif get_origin(current) is list:
            current = get_args(current)[0]
        else:
            return []
    return []


def _unwrap(annotation: Any) -> Any:
    """Strip Annotated and unions down to the model inside, if there is one."""
    while True:
        args = get_args(annotation)
        if get_origin(annotation) is None or not args:
            return annotation
        if hasattr(annotation, "__metadata__"):
            annotation = args[0]
        elif get_origin(annotation) in (dict, list):
            return annotation
        else:  # a union: prefer the model member
            models = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
            containers = [a for a in args if get_origin(a) in (dict, list)]
            annotation = (models or containers or [args[0]])[0]
