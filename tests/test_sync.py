"""sync.apply cut short before any one of its file operations, as a killed render is.

Whatever it leaves, each file is its old or its new version, and the next render, of
either version, converges: nothing it wrote is left behind as a file that is not ours,
and no temporary file survives. tests/test_crash_safety.py kills the real CLI at random
moments; this walks every moment between two operations, deterministically.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pivotal_gen.layout import MANIFEST, TEMP_PREFIX
from pivotal_gen.sync.compare import compare
from pivotal_gen.sync.plan import OutputSet, manifest
from pivotal_gen.sync.write import apply

FILES = {
    "a": {"kept.txt": b"A", "same.txt": b"same", "only-a/old.txt": b"old"},
    "b": {"kept.txt": b"B", "same.txt": b"same", "only-b/new.txt": b"new", "only-b/x/y.sh": b"y"},
    "retired": {},  # the profile is gone: all of its folder goes
}


class Killed(BaseException):
    """The process dies here: nothing after it runs, not even cleanup."""


def output(root: Path, version: str) -> OutputSet:
    files = dict(FILES[version])
    if files:
        files[MANIFEST] = manifest(files)
    return OutputSet(root, files, owned=True, fix="render")


def on_disk(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def apply_killed(root: Path, version: str, before: int, monkeypatch: pytest.MonkeyPatch) -> int:
    """Render `version`, killed before its file operation number `before` (a rename that
    puts a file in place, or an unlink); how many operations it completed."""
    done = 0
    dead = False

    def operation(real: Callable[..., Any]) -> Callable[..., Any]:
        def run(*args: Any, **kwargs: Any) -> Any:
            nonlocal done, dead
            if dead:
                return None  # e.g. write_atomic's cleanup: a killed render leaves its temp file
            if done == before:
                dead = True
                raise Killed
            done += 1
            return real(*args, **kwargs)

        return run

    with monkeypatch.context() as patch:
        patch.setattr(os, "replace", operation(os.replace))
        patch.setattr(os, "unlink", operation(os.unlink))
        with contextlib.suppress(Killed):
            apply(compare([output(root, version)]))
    return done


@pytest.mark.parametrize(
    ("old", "new", "then"),
    [
        ("a", "b", "a"),
        ("a", "b", "b"),
        ("b", "a", "b"),
        ("a", "retired", "retired"),
        ("a", "retired", "a"),
    ],
    ids=[
        "create-then-back",
        "create-then-again",
        "remove-then-back",
        "retire-then-again",
        "retire-then-back",
    ],
)
def test_a_render_killed_between_any_two_operations_is_finished_by_the_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, old: str, new: str, then: str
) -> None:
    counting = tmp_path / "count"
    apply(compare([output(counting, old)]))
    operations = apply_killed(counting, new, -1, monkeypatch)  # never killed
    assert operations >= 4
    for before in range(operations + 1):
        root = tmp_path / str(before)
        apply(compare([output(root, old)]))
        old_files = on_disk(root)

        apply_killed(root, new, before, monkeypatch)

        where = f"killed before operation {before} of {operations} rendering {new} over {old}"
        for rel, data in on_disk(root).items():
            if not Path(rel).name.startswith(TEMP_PREFIX):
                assert data in (old_files.get(rel), output(root, new).files.get(rel)), where
        changes = compare([output(root, then)])
        assert [c.path for c in changes if c.kind == "unknown"] == [], where
        apply(changes)
        assert on_disk(root) == output(root, then).files, where
