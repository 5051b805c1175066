"""Where a project's files are, and loading its spec with a profile merged in."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args, get_origin

from pydantic import BaseModel, ValidationError

from pivotal_gen.checks import check_spec, suggest
from pivotal_gen.errors import Diagnostic, Location, PivotalError
from pivotal_gen.merge import overlay
from pivotal_gen.model import Spec
from pivotal_gen.source import DataPath, Document, load_document, present_prefix

SPEC_FILE = "pivotal.yaml"
PROFILES_DIR = "profiles"
OUT_DIR = "out"


@dataclass(frozen=True)
class Loaded:
    """A validated spec, and the merged document its values came from."""

    profile: str | None
    spec: Spec
    document: Document
    sources: tuple[Path, ...]


@dataclass(frozen=True)
class Project:
    root: Path

    @property
    def spec_file(self) -> Path:
        return self.root / SPEC_FILE

    @property
    def out_root(self) -> Path:
        return self.root / OUT_DIR

    def profile_file(self, name: str) -> Path:
        return self.root / PROFILES_DIR / f"{name}.yaml"

    @functools.cached_property
    def profiles(self) -> list[str]:
        folder = self.root / PROFILES_DIR
        return sorted(p.stem for p in folder.glob("*.yaml") if p.is_file())

    def require_profiles(self, names: tuple[str, ...]) -> list[str]:
        """The named profiles (all when none are named), checked to exist."""
        for name in names:
            if name not in self.profiles:
                known = ", ".join(self.profiles) or "none"
                raise PivotalError(
                    f"unknown profile {name!r}{suggest(name, self.profiles)}; known profiles: "
                    f"{known} (files {PROFILES_DIR}/<name>.yaml)"
                )
        return list(dict.fromkeys(names)) if names else list(self.profiles)

    @functools.cached_property
    def base_document(self) -> Document:
        if not self.spec_file.is_file():
            raise PivotalError(f"{self.spec_file}: no spec here (pass --spec PATH)")
        return load_document(self.spec_file)

    @functools.cached_property
    def base(self) -> Loaded:
        """The spec alone, validated: a profile adjusts a valid spec, it cannot complete one."""
        return self._validate(None, self.base_document, (self.spec_file,))

    def load(self, profile: str | None) -> Loaded:
        """Merge `profile` onto the spec and validate the result."""
        base = self.base  # its errors first: they are the root of any profile's
        if profile is None:
            return base
        path = self.profile_file(profile)
        document = overlay(self.base_document, load_document(path))
        return self._validate(profile, document, (self.spec_file, path))

    def _validate(
        self, profile: str | None, document: Document, sources: tuple[Path, ...]
    ) -> Loaded:
        if not isinstance(document.data, dict):
            raise PivotalError(
                "the spec must be a mapping with at least `project` and `services`",
                document.locate(()) or Location(str(self.spec_file), 1, 1),
            )
        try:
            spec = Spec.model_validate(document.data)
        except ValidationError as exc:
            raise PivotalError(_diagnostics(exc, document)) from None
        findings = check_spec(spec, document.data)
        if findings:
            raise PivotalError(
                [
                    Diagnostic(f"{format_path(path)}: {message}", _entry_location(document, path))
                    for path, message in findings
                ]
            )
        return Loaded(profile, spec, document, sources)


def format_path(path: DataPath) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or "(top level)"


def _entry_location(document: Document, path: DataPath) -> Location | None:
    """A scalar is shown where its value is; a mapping or list where its key is."""
    value: Any = document.data
    for part in path:
        value = value[part] if present_prefix(value, (part,)) else None
    return document.locate(path, key=isinstance(value, dict | list))


def _diagnostics(exc: ValidationError, document: Document) -> list[Diagnostic]:
    diagnostics: dict[DataPath, Diagnostic] = {}
    for error in exc.errors():
        loc: DataPath = tuple(error["loc"])
        path = present_prefix(document.data, loc)
        rest = loc[len(path) :]
        message = str(error["msg"]).removeprefix("Value error, ")
        at_key = False
        if error["type"] == "missing":
            message = f"missing required key {rest[0]!r}"
        elif error["type"] == "extra_forbidden":
            message = f"unknown key {path[-1]!r}{suggest(str(path[-1]), _known_keys(path[:-1]))}"
            at_key = True
        elif rest[:1] == ("[key]",):
            at_key = True
        if path in diagnostics:
            continue  # one message per place: a union reports once per member
        location = document.locate(path, key=at_key)
        diagnostics[path] = Diagnostic(f"{format_path(path)}: {message}", location)
    return list(diagnostics.values())


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
