"""Compare rendered outputs with the files on disk, and bring disk up to date.

render applies the changes, check reports them, diff prints them: one
comparison, three endings. Writes are atomic (temp file in the same folder,
then rename), so a file is always its old or its new version, and a symlink
in the way is replaced, never written through.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Literal

from pivotal_gen.cli.options import Options
from pivotal_gen.errors import PivotalError
from pivotal_gen.layout import MANIFEST, TEMP_PREFIX
from pivotal_gen.sync.plan import OutputSet, file_mode, plan_outputs, remember

ChangeKind = Literal["missing", "stale", "obsolete", "unknown"]


@dataclass(frozen=True)
class Change:
    root: Path  # the output folder the file belongs to
    path: Path
    # missing/stale: (re)write; obsolete: ours, no longer rendered; unknown: not ours
    kind: ChangeKind
    old: bytes | None
    new: bytes | None
    fix: str
    mode: int = 0o644  # what a write gives the file

    @property
    def writes(self) -> bool:
        return self.kind in ("missing", "stale")


@dataclass(frozen=True)
class Comparison:
    """What the outputs the options name would change on disk."""

    changes: list[Change]
    # Records in the check memo (memo.py) that disk holds the outputs: call it when
    # nothing changed, or once the changes are applied.
    remember: Callable[[], None]


def compare_project(options: Options) -> Comparison:
    """Render in memory what the options name and compare it with disk."""
    project, before = options.project, options.memo_inputs  # the inputs, before planning
    outputs = plan_outputs(project, options.profiles, options.out)
    return Comparison(compare(outputs), lambda: remember(project, outputs, before))


def compare(outputs: list[OutputSet]) -> list[Change]:
    return [change for output in outputs for change in _compare_one(output)]


def _compare_one(output: OutputSet) -> list[Change]:
    root = output.root
    if root.exists() and not root.is_dir():
        raise PivotalError(f"{root}: output folder is a file")
    changes: list[Change] = []
    for rel, new in output.files.items():
        old = None if _linked_folder(root, root / rel) else _read(root / rel)
        mode = file_mode(rel)
        if old is None:
            changes.append(Change(root, root / rel, "missing", None, new, output.fix, mode))
        elif (
            old != new
            or (root / rel).is_symlink()  # a link is replaced, even to the same bytes
            or _executable(root / rel) != bool(mode & 0o111)
        ):
            changes.append(Change(root, root / rel, "stale", old, new, output.fix, mode))
    listed = _previous_files(root) if output.managed else set()
    # A killed render leaves its temporary file beside a file it was writing: one we
    # render now, one the manifest lists (apply lists a file before creating it), or
    # the manifest itself.
    folders = {root} | {(root / rel).parent for rel in (*output.files, *listed)}
    for folder in sorted(folders):
        if _linked_folder(root, folder / TEMP_PREFIX):
            continue  # not ours to clean: it is somewhere else
        for leftover in sorted(folder.glob(TEMP_PREFIX + "*")):
            changes.append(Change(root, leftover, "obsolete", _read(leftover), None, output.fix))
    if not output.managed:
        return changes
    previous = listed - set(output.files)
    if not output.files and (root / MANIFEST).is_file():
        previous.add(MANIFEST)  # nothing is rendered here any more: the manifest goes too
    for rel in sorted(previous):
        old = _read(root / rel)
        if old is not None:
            changes.append(Change(root, root / rel, "obsolete", old, None, output.fix))
    if output.owned:
        known = set(output.files) | previous
        for rel in _files_under(root):
            if rel not in known and not PurePosixPath(rel).name.startswith(TEMP_PREFIX):
                fix = "remove it: pivotal-gen only deletes files it wrote"
                changes.append(Change(root, root / rel, "unknown", None, None, fix))
    return changes


def apply(changes: list[Change]) -> None:
    """Write what is missing or stale, remove what we wrote and no longer render.

    Killed at any moment, this leaves every file we wrote listed in the manifest on
    disk, so that the next render finishes the job or removes it: files that exist are
    replaced; those no longer rendered are removed while the old manifest still lists
    them (it goes last); then the new manifest is written, and only then the files it
    adds are created.
    """
    _write_all([c for c in changes if c.kind == "stale" and not _is_manifest(c)])
    for change in sorted((c for c in changes if c.kind == "obsolete"), key=_is_manifest):
        change.path.unlink(missing_ok=True)
        _prune_empty_parents(change.path.parent, change.root)
    _write_all([c for c in changes if c.writes and _is_manifest(c)])
    _write_all([c for c in changes if c.kind == "missing" and not _is_manifest(c)])


def _is_manifest(change: Change) -> bool:
    return change.path.name == MANIFEST


def _write_all(changes: list[Change]) -> None:
    """Write files whose order does not matter, together: each write waits for its
    fsync, and the file system flushes many at once (the repo's 106 files took 0.45 s
    one after the other, 0.05 s together)."""
    for change in changes:  # first, and one at a time: two writes may share a folder
        _unlink_folder_links(change.root, change.path)
    if len(changes) < 2:
        for change in changes:
            _write(change)
        return
    with ThreadPoolExecutor(max_workers=16) as pool:
        for future in [pool.submit(_write, change) for change in changes]:
            future.result()  # the first error, once every write has ended


def _write(change: Change) -> None:
    assert change.new is not None
    write_atomic(change.path, change.new, change.mode)


def write_atomic(path: Path, data: bytes, mode: int = 0o644) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=path.parent)
    except OSError as exc:
        raise PivotalError(f"{path}: cannot write: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
        os.replace(temp, path)  # replaces a symlink itself, never its target
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def _folders_between(root: Path, path: Path) -> list[Path]:
    """The folders below root that contain path, outermost first."""
    return [root / p for p in reversed(path.relative_to(root).parents) if p != Path(".")]


def _linked_folder(root: Path, path: Path) -> bool:
    """Whether path is reached through a symlinked folder: writing there would leave root."""
    return any(folder.is_symlink() for folder in _folders_between(root, path))


def _unlink_folder_links(root: Path, path: Path) -> None:
    """Replace symlinked folders below root by real ones: never write through a link."""
    for folder in _folders_between(root, path):
        if folder.is_symlink():
            folder.unlink()


def _executable(path: Path) -> bool:
    """Only the executable bit counts: it is all git keeps, the rest follows the umask."""
    return bool(path.stat().st_mode & 0o111)


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise PivotalError(f"{path}: a folder is where a generated file belongs") from None
    except OSError as exc:
        raise PivotalError(f"{path}: cannot read: {exc.strerror}") from None


def _previous_files(root: Path) -> set[str]:
    """Files the last render listed in its manifest; only safe relative paths."""
    try:
        listed = json.loads((root / MANIFEST).read_bytes())["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return set()
    safe = set()
    for rel in listed if isinstance(listed, dict) else ():
        parts = PurePosixPath(rel).parts
        if parts and not PurePosixPath(rel).is_absolute() and ".." not in parts:
            safe.add(rel)
    return safe


def _files_under(root: Path) -> list[str]:
    if not root.is_dir():
        return []
    found = []
    for folder, _dirs, names in os.walk(root):
        for name in names:
            found.append((Path(folder) / name).relative_to(root).as_posix())
    return sorted(found)


def _prune_empty_parents(folder: Path, root: Path) -> None:
    with contextlib.suppress(OSError):  # stops at the first folder that is not empty
        while folder != root and folder.is_relative_to(root) and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent
