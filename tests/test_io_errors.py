"""Every I/O failure (a full disk, say) is one line naming the file, exit 2, no traceback,
no temporary file left, and a tree the next render finishes."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pivotal_gen.layout import TEMP_PREFIX
from pivotal_gen.sync import compare
from tests.conftest import Run
from tests.tools import unavailable

FULL = "No space left on device"


def _bump(project: Path) -> None:
    spec = project / "pivotal.yaml"
    spec.write_text(spec.read_text().replace("{published: 3000,", "{published: 3005,"))


def _full(*_args: Any, **_kwargs: Any) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def _temporaries(root: Path) -> list[Path]:
    return [p for p in root.rglob(TEMP_PREFIX + "*") if ".pivotal-gen-cache" not in p.parts]


FAILURES: dict[str, Callable[[pytest.MonkeyPatch], None]] = {
    "fsync": lambda m: m.setattr(os, "fsync", _full),
    "rename": lambda m: m.setattr(os, "replace", _full),
    "chmod": lambda m: m.setattr(os, "chmod", _full),
    "mkdir": lambda m: m.setattr(Path, "mkdir", _full),
    "unlink": lambda m: m.setattr(Path, "unlink", _full),
    "mkstemp": lambda m: m.setattr(tempfile, "mkstemp", _full),
}


@pytest.mark.parametrize("step", FAILURES)
def test_a_failing_step_of_render_is_one_line_and_exit_2(
    project: Path, run: Run, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    _bump(project)
    (project / "profiles/ci.yaml").unlink()  # a retired profile: removals too
    (project / "out/dev/scripts/ci/api-smoke.sh").unlink()  # a creation (and its folder)
    shutil.rmtree(project / "out/dev/scripts")
    with monkeypatch.context() as broken:
        FAILURES[step](broken)
        result = run("render")

    assert result.exit_code == 2, result.output
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith("pivotal-gen: ")
    assert FULL in result.stderr
    assert str(project) in result.stderr or "out/" in result.stderr  # the file
    assert _temporaries(project) == []
    assert run("render").exit_code == 0  # the next render finishes the job
    assert run("check", "--no-cache").exit_code == 0


def test_a_failing_write_in_a_writer_thread_is_exit_2(
    project: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    _bump(project)  # many stale files: written together, in threads
    calls = []

    def fsync_fails_once_a_few_ran(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 3:
            _full()

    monkeypatch.setattr(os, "fsync", fsync_fails_once_a_few_ran)
    result = run("render")

    assert (result.exit_code, len(result.stderr.splitlines())) == (2, 1), result.output
    assert f"cannot write: {FULL}" in result.stderr
    assert _temporaries(project) == []


def test_a_manifest_that_cannot_be_read_is_exit_2(
    project: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = os.open

    def unreadable(path: str | Path, flags: int, *args: int, **kwargs: int) -> int:
        if Path(path).name == ".pivotal-gen-manifest.json":
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        return real(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", unreadable)
    for command in ("render", "check", "diff"):
        result = run(command, "--no-cache") if command == "check" else run(command)
        assert result.exit_code == 2, (command, result.output)
        assert ".pivotal-gen-manifest.json: cannot read: Input/output error" in result.stderr


def test_schema_on_a_full_disk_is_exit_2(
    project: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / "schema/pivotal.schema.json").write_text("{}")
    monkeypatch.setattr(os, "fsync", _full)
    result = run("schema")
    assert (result.exit_code, len(result.stderr.splitlines())) == (2, 1), result.output
    assert "schema/pivotal.schema.json: cannot write: No space left on device" in result.stderr
    assert _temporaries(project) == []


def test_any_os_error_that_escapes_is_exit_2_not_a_traceback(
    project: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The safety net in cli/main.py: exit 1 would read as 'stale' in CI."""

    def lost(*_args: Any, **_kwargs: Any) -> None:
        raise OSError(errno.EIO, os.strerror(errno.EIO), "/mnt/gone")

    monkeypatch.setattr(compare, "compare", lost)
    for command in ("render", "check", "diff"):
        result = run(command, "--no-cache") if command == "check" else run(command)
        assert (result.exit_code, result.stderr) == (
            2,
            "pivotal-gen: /mnt/gone: Input/output error\n",
        ), command


def test_a_really_full_file_system(project: Path, tmp_path: Path) -> None:
    """A 64 KiB tmpfs: the real ENOSPC, through the real CLI, then room, then done."""
    disk = tmp_path / "disk"
    disk.mkdir()
    mount = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(disk)], capture_output=True
    )
    if mount.returncode != 0:
        unavailable(f"cannot mount a tmpfs here: {mount.stderr.decode().strip()}")
    try:
        command = [sys.executable, "-m", "pivotal_gen", "render", "--profile", "prod"]
        environment = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}

        def render() -> subprocess.CompletedProcess[str]:
            return subprocess.run(
                [*command, "--out", str(disk / "platform")],
                cwd=project,
                capture_output=True,
                text=True,
                env=environment,
            )

        full = render()
        assert full.returncode == 2, full.stderr
        assert "Traceback" not in full.stderr
        assert f"cannot write: {FULL}" in full.stderr
        assert len(full.stderr.splitlines()) == 1
        assert _temporaries(disk) == []

        subprocess.run(["mount", "-o", "remount,size=4m", str(disk)], check=True)
        assert render().returncode == 0
        check = subprocess.run(
            [sys.executable, "-m", "pivotal_gen", "check", "--profile", "prod", "--out",
             str(disk / "platform")],
            cwd=project, capture_output=True, text=True, env=environment,
        )  # fmt: skip
        assert check.returncode == 0, check.stdout
    finally:
        subprocess.run(["umount", str(disk)], check=False)
