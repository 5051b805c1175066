"""Where a project's files are, and loading its spec with a profile merged in."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from pivotal_gen.checks.cross import check_spec
from pivotal_gen.checks.rules.engine import check_policy
from pivotal_gen.errors import Diagnostic, Location, PivotalError, suggest
from pivotal_gen.layout import OUT_DIR, PROFILE_NAME, PROFILES_DIR, SPEC_FILE
from pivotal_gen.model.locate import finding_diagnostics, validation_diagnostics
from pivotal_gen.model.profile_names import unknown_names
from pivotal_gen.model.spec import Spec
from pivotal_gen.source.document import Document, load_document
from pivotal_gen.source.merge import overlay
from pivotal_gen.source.paths import format_path
from pivotal_gen.source.removals import concerns, removals

_PROFILE_NAME = re.compile(PROFILE_NAME)


def _bad_name(name: str) -> str:
    # escaped: the name may hold a line break, the very thing refused
    shown = name.encode("unicode_escape").decode("ascii")
    return (
        f"{PROFILES_DIR}/{shown}.yaml: not a profile name; a profile name is 1 to 63 "
        "lowercase letters, digits and `_.-`, starting with a letter or digit (e.g. prod, "
        "staging-eu): rename the file"
    )


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
    spec_name: str = SPEC_FILE  # --spec may name another file; profiles/ etc. sit beside it
    # Profiles as written, each read once (load and explain both need them).
    _profile_documents: dict[str, Document] = field(
        default_factory=dict, init=False, compare=False, repr=False
    )

    @classmethod
    def of(cls, spec_file: Path) -> Project:
        """The project whose spec is `spec_file` (--spec): profiles/, out/ and schema/ beside it."""
        return cls(spec_file.parent, spec_file.name)

    @property
    def spec_file(self) -> Path:
        return self.root / self.spec_name

    @property
    def out_root(self) -> Path:
        return self.root / OUT_DIR

    def profile_file(self, name: str) -> Path:
        return self.root / PROFILES_DIR / f"{name}.yaml"

    @functools.cached_property
    def profiles(self) -> list[str]:
        # Not only files: a folder or a broken link named *.yaml is refused when read,
        # where skipping it would make render retire the profile's output.
        return sorted(p.stem for p in (self.root / PROFILES_DIR).glob("*.yaml"))

    def require_profiles(self, names: tuple[str, ...]) -> list[str]:
        """The named profiles (all when none are named), checked to exist and to be names.

        A badly named file is refused when it is asked for, by name or as one of all the
        profiles; a stray one does not stop `--profile prod`."""
        bad = [name for name in (names or self.profiles) if not _PROFILE_NAME.fullmatch(name)]
        if bad:
            raise PivotalError([Diagnostic(_bad_name(name)) for name in bad])
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
        if not self.spec_file.exists():
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
        written = self.profile_document(profile)
        typos = unknown_names(self.base_document.data, written.data, self.spec_name)
        if typos:  # before validating: it would only say what the misspelt entry lacks
            raise PivotalError(finding_diagnostics(typos, written))
        document = overlay(self.base_document, written)
        return self._validate(profile, document, (self.spec_file, self.profile_file(profile)))

    def profile_document(self, name: str) -> Document:
        """A profile as written, before it is merged."""
        if name not in self._profile_documents:
            self._profile_documents[name] = load_document(self.profile_file(name))
        return self._profile_documents[name]

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
            raise PivotalError(
                self._name_profile(profile, validation_diagnostics(exc, document))
            ) from None
        findings = check_spec(spec, document.data)
        findings += check_policy(spec, profile, self.profiles)
        if findings:
            raise PivotalError(self._name_profile(profile, finding_diagnostics(findings, document)))
        return Loaded(profile, spec, document, sources)

    def _name_profile(self, profile: str | None, diagnostics: list[Diagnostic]) -> list[Diagnostic]:
        """The spec alone is valid (it is checked first), so an error at a line of the spec
        comes from the profile: say which, and point at what the profile removed that the
        error names, or the user would look for the cause in the spec alone."""
        if profile is None:
            return diagnostics
        removed = removals(self.profile_document(profile))
        named: list[Diagnostic] = []
        for d in diagnostics:
            if d.location is None or d.location.file != str(self.spec_file):
                named.append(d)
                continue
            causes = [(path, at) for path, at in removed if concerns(path, d.message)]
            where = "".join(f", which removes {format_path(p)} at {at}" for p, at in causes)
            named.append(Diagnostic(f"{d.message} (with profile {profile}{where})", d.location))
            subject = d.message.split(": ", 1)[0]
            named += [
                Diagnostic(f"{format_path(p)}: removed here, but {subject} needs it", at)
                for p, at in causes
            ]
        return named
