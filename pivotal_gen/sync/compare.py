"""Compare the planned outputs with the files on disk.

render applies the changes (write.py), check reports them, diff prints them:
one comparison, three endings. Nothing is read through a symlinked folder.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Literal

from pivotal_gen.errors import Diagnostic, Location, PivotalError
from pivotal_gen.layout import MANIFEST, TEMP_PREFIX
from pivotal_gen.project import Project
from pivotal_gen.sync import memo
from pivotal_gen.sync.folders import executable, folders_between, linked_folder, read
from pivotal_gen.sync.plan import OutputSet, file_mode, plan_outputs, remember

ChangeKind = Literal["missing", "stale", "obsolete", "unknown", "foreign"]


@dataclass(frozen=True)
class Change:
    root: Path  # the output folder the file belongs to
    path: Path
    # missing/stale: (re)write; obsolete: ours, no longer rendered; unknown: not ours;
    # foreign: we would write it, but no manifest of ours lists it and its bytes differ
    kind: ChangeKind
    old: bytes | None
    new: bytes | None
    fix: str
    mode: int = 0o644  # what a write gives the file
    base: Path | None = None  # where the paths of a diff start (OutputSet.base); else root

    @property
    def writes(self) -> bool:
        return self.kind in ("missing", "stale")

    @property
    def patch_path(self) -> str:
        """The path in a diff: relative to the folder rendered into (or the project),
        so that `git -C THERE apply` takes the patch."""
        return self.path.relative_to(self.base or self.root).as_posix()


@dataclass(frozen=True)
class Comparison:
    """What the planned outputs would change on disk."""

    changes: list[Change]
    # Records in the check memo (memo.py) that disk holds the outputs: call it when
    # nothing changed, or once the changes are applied.
    remember: Callable[[], None]
    counts: tuple[int, int] = (0, 0)  # files planned, in how many profiles


def compare_project(
    project: Project, profiles: tuple[str, ...], out: Path | None, *, cache: bool
) -> Comparison:
    """Render in memory the named profiles (all by default) and compare them with disk.

    With `cache`, a comparison of every profile into out/ may record its result in
    the check memo; the inputs are digested before planning, so that an edit made
    meanwhile is never vouched for."""
    before = None
    if cache and not profiles and out is None:
        found = memo.inputs(str(project.spec_file))
        before = found[0] if found else None
    outputs = plan_outputs(project, profiles, out)
    files = sum(len(output.files) for output in outputs)
    rendered = sum(1 for output in outputs if output.managed and output.files)
    return Comparison(
        compare(outputs), lambda: remember(project, outputs, before), (files, rendered)
    )


def compare(outputs: list[OutputSet]) -> list[Change]:
    return [change for output in outputs for change in _compare_one(output)]


def _compare_one(output: OutputSet) -> list[Change]:
    root = output.root
    for folder in (root.parent, root) if output.owned else ():
        if folder.is_symlink():  # out/ or out/<profile>: everything would happen elsewhere
            raise PivotalError(
                f"{folder}: a symlink; pivotal-gen neither reads nor writes through one; "
                "fix: replace it by a folder"
            )
    if root.exists() and not root.is_dir():
        raise PivotalError(f"{root}: output folder is a file")
    listed = _previous_files(root) if output.managed else set()
    changes = _rendered(output, listed) + _leftover_temporaries(output, listed)
    if output.managed:
        retired = _retired(output, listed)
        changes += [
            Change(root, root / rel, "obsolete", old, None, output.fix, base=output.patch_base)
            for rel, old in retired.items()
        ]
        if output.owned:
            changes += _unknown(output, set(output.files) | set(retired) | listed)
    return changes


def _rendered(output: OutputSet, listed: set[str]) -> list[Change]:
    """Each rendered file that is missing on disk, or differs in bytes, link or mode.

    In a folder with a manifest, a file with other bytes that no manifest of ours lists
    was written by someone else: it is foreign, and only `render --adopt` replaces it."""
    root, base, changes = output.root, output.patch_base, []
    for rel, new in output.files.items():
        path = root / rel
        old = None if linked_folder(root, path) else read(path)
        mode = file_mode(rel)
        if old is None:
            changes.append(Change(root, path, "missing", None, new, output.fix, mode, base))
        elif old != new and output.managed and rel != MANIFEST and rel not in listed:
            fix = f"{output.fix} --adopt, to let pivotal-gen replace it"
            changes.append(Change(root, path, "foreign", old, new, fix, mode, base))
        elif old != new or path.is_symlink() or executable(path) != bool(mode & 0o111):
            # a link is replaced, even to the same bytes
            changes.append(Change(root, path, "stale", old, new, output.fix, mode, base))
    return changes


def _leftover_temporaries(output: OutputSet, listed: set[str]) -> list[Change]:
    """A killed render leaves its temporary file beside a file it was writing: one we
    render now, one the manifest lists (apply lists a file before creating it), or the
    manifest itself."""
    root = output.root
    folders = {root} | {(root / rel).parent for rel in (*output.files, *listed)}
    changes = []
    for folder in sorted(folders):
        if linked_folder(root, folder / TEMP_PREFIX):
            continue  # not ours to clean: it is somewhere else
        for leftover in sorted(folder.glob(TEMP_PREFIX + "*")):
            old = read(leftover)
            fix, base = output.fix, output.patch_base
            changes.append(Change(root, leftover, "obsolete", old, None, fix, base=base))
    return changes


def _retired(output: OutputSet, listed: set[str]) -> dict[str, bytes]:
    """Files an earlier render wrote (its manifest lists them) that are no longer
    rendered and still exist, with their bytes."""
    root = output.root
    previous = listed - set(output.files)
    if not output.files and (root / MANIFEST).is_file():
        previous.add(MANIFEST)  # nothing is rendered here any more: the manifest goes too
    found = {rel: read(root / rel) for rel in sorted(previous)}
    return {rel: old for rel, old in found.items() if old is not None}


def _unknown(output: OutputSet, known: set[str]) -> list[Change]:
    """Files in a folder we own that no render of ours wrote."""
    root = output.root
    fix = "remove it: pivotal-gen only deletes files it wrote"
    return [
        Change(root, root / rel, "unknown", None, None, fix, base=output.patch_base)
        for rel in _files_under(root)
        if rel not in known and not PurePosixPath(rel).name.startswith(TEMP_PREFIX)
    ]


def _previous_files(root: Path) -> set[str]:
    """Files the last render listed in its manifest; only safe relative paths.

    An entry reached through a symlinked folder is an error: reading or removing it
    would touch a file outside the output folder (render deleted /tmp/victim/x so)."""
    text = read(root / MANIFEST) or b""  # a symlinked manifest reads empty: not trusted
    try:
        listed = json.loads(text)["files"]
    except (ValueError, KeyError, TypeError):  # none, or not one of ours
        return set()
    safe = set()
    for rel in listed if isinstance(listed, dict) else ():
        parts = PurePosixPath(rel).parts
        if parts and not PurePosixPath(rel).is_absolute() and ".." not in parts:
            safe.add(rel)
    linked = _linked_entries(root, text, sorted(safe))
    if linked:
        raise PivotalError(linked)
    return safe


def _linked_entries(root: Path, text: bytes, listed: list[str]) -> list[Diagnostic]:
    """One error per symlinked folder the manifest leads through, at its first entry."""
    first: dict[Path, tuple[str, int]] = {}
    for rel in listed:
        for folder in folders_between(root, root / rel):
            if folder.is_symlink():
                entry, count = first.get(folder, (rel, 0))
                first[folder] = (entry, count + 1)
                break
    found = []
    for folder, (rel, count) in sorted(first.items()):
        at = max(text.find(json.dumps(rel).encode()), 0)
        before = text[:at].decode("utf-8", errors="replace")
        line, col = before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1
        more = f" (and {count - 1} more entries)" if count > 1 else ""
        found.append(
            Diagnostic(
                f"{rel}{more}: listed here, but {folder.relative_to(root).as_posix()} is a "
                "symlink; pivotal-gen neither reads nor removes files through one; fix: "
                "replace the link by a folder",
                Location(str(root / MANIFEST), line, col),
            )
        )
    return found


def _files_under(root: Path) -> list[str]:
    if not root.is_dir():
        return []
    found = []
    for folder, _dirs, names in os.walk(root, onerror=_unreadable):
        for name in names:
            found.append((Path(folder) / name).relative_to(root).as_posix())
    return sorted(found)


def _unreadable(exc: OSError) -> None:
    raise PivotalError(f"{exc.filename}: cannot read: {exc.strerror}")
