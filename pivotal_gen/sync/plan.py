"""Compute every output in memory: `{path: bytes}` per output folder.

render, check and diff all start here and differ only in what they do with
the comparison against disk (sync.py).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from pivotal_gen.errors import Diagnostic, PivotalError
from pivotal_gen.formats.json import to_json
from pivotal_gen.layout import MANIFEST
from pivotal_gen.model.schema import schema_files
from pivotal_gen.project import Project
from pivotal_gen.sync import memo
from pivotal_gen.targets.context import RenderContext
from pivotal_gen.targets.registry import TARGETS

# Generated files ending so are written executable (the scripts); all others are not.
EXECUTABLE_SUFFIX = ".sh"


def file_mode(rel: str) -> int:
    """The permissions a generated file is written with; render, check and diff agree on it."""
    return 0o755 if rel.endswith(EXECUTABLE_SUFFIX) else 0o644


@dataclass(frozen=True)
class OutputSet:
    """Files for one folder, and how much of that folder pivotal-gen owns."""

    root: Path
    files: dict[str, bytes]  # posix paths relative to root
    owned: bool  # every file in root is ours: unknown files are stale
    fix: str  # the command that regenerates it
    managed: bool = True  # root has a manifest of what earlier renders wrote
    base: Path | None = None  # where a diff's paths start (--out DIR, else the project)

    @property
    def patch_base(self) -> Path:
        return self.base if self.base is not None else self.root


def render_profile(project: Project, profile: str) -> dict[str, bytes]:
    ctx = RenderContext(project.load(profile), project.root)
    files: dict[str, bytes] = {}
    for target in TARGETS:
        for path, content in target.render(ctx).items():
            if path in files:
                raise RuntimeError(f"target {target.NAME} renders {path}, already rendered")
            if PurePosixPath(path).is_absolute() or ".." in PurePosixPath(path).parts:
                raise RuntimeError(
                    f"target {target.NAME} renders {path}, outside the output folder"
                )
            files[path] = content
    files[MANIFEST] = manifest(files)
    return dict(sorted(files.items()))


def manifest(files: dict[str, bytes]) -> bytes:
    """What a render wrote, so that the next one can remove what it no longer writes."""
    digests = {path: hashlib.sha256(data).hexdigest() for path, data in sorted(files.items())}
    return to_json({"generator": "pivotal-gen", "files": digests})


def plan_outputs(project: Project, profiles: tuple[str, ...], out: Path | None) -> list[OutputSet]:
    """Every output of the named profiles (all by default) and the schema."""
    names = project.require_profiles(profiles)
    if out is not None and len(names) != 1:
        raise PivotalError("--out renders one profile: name it with --profile")
    outputs: list[OutputSet] = []
    problems: list[Diagnostic] = []
    for name in names:
        try:
            files = render_profile(project, name)
        except PivotalError as exc:  # report every profile's problems at once
            problems.extend(d for d in exc.diagnostics if d not in problems)
            continue
        root = out if out is not None else project.out_root / name
        fix = f"pivotal-gen render --profile {name}" + (f" --out {out}" if out else "")
        base = out if out is not None else project.root
        outputs.append(OutputSet(root, files, owned=out is None, fix=fix, base=base))
    if problems:
        raise PivotalError(problems)
    if out is None and not profiles:
        outputs.extend(_retired_profiles(project, names))
    outputs.append(schema_output(project))
    return outputs


def schema_output(project: Project) -> OutputSet:
    """The JSON Schemas under schema/, beside the user's own files."""
    return OutputSet(project.root, schema_files(), False, "pivotal-gen schema", managed=False)


def _retired_profiles(project: Project, names: list[str]) -> list[OutputSet]:
    """out/<name>/ that we rendered for a profile that no longer exists: all of it goes."""
    if not project.out_root.is_dir():
        return []
    return [
        OutputSet(
            folder,
            {},
            owned=True,
            fix=f"pivotal-gen render (profile {folder.name} is gone)",
            base=project.root,
        )
        for folder in sorted(project.out_root.iterdir())
        # a link is not ours: never looked into, let alone emptied
        if folder.name not in names and not folder.is_symlink() and memo.rendered_into(str(folder))
    ]


def remember(project: Project, outputs: list[OutputSet], before: bytes | None) -> None:
    """Record in the check memo that disk now holds `outputs` (memo.py), when they are
    every profile's and the inputs, digested as `before` ahead of planning, still hold."""
    if before is None:
        return
    entries = [
        memo.entry(
            (output.root / rel).relative_to(project.root).as_posix(),
            bool(file_mode(rel) & 0o111),
            data,
        )
        for output in outputs
        for rel, data in output.files.items()
    ]
    memo.record(str(project.spec_file), before, entries)
