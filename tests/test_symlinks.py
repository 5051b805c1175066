"""Symlinks in the output tree: nothing is read, compared, written or removed through a
symlinked folder, and a symlinked file is replaced, never followed (issue 14).

A manifest an attacker (or an accident) edited may list a file behind a link; render
deleted it and diff printed it, so such an entry is an error, located in the manifest.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from pivotal_gen.layout import MANIFEST
from tests.conftest import Run
from tests.test_hostile_input import everything

COMMANDS = (("render",), ("check", "--no-cache"), ("diff",))


def _list(manifest: Path, *entries: str) -> None:
    data = json.loads(manifest.read_text())
    data["files"].update(dict.fromkeys(entries, "0" * 64))
    manifest.write_text(json.dumps(data, indent=2))


@pytest.fixture
def victim(tmp_path: Path) -> Path:
    folder = tmp_path / "victim"
    folder.mkdir()
    (folder / "secret.txt").write_text("TOP-SECRET\n")
    return folder


def _line_of(manifest: Path, entry: str) -> int:
    return next(
        n for n, line in enumerate(manifest.read_text().splitlines(), 1) if f'"{entry}"' in line
    )


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_a_manifest_entry_behind_a_symlinked_folder_is_an_error(
    project: Path, run: Run, victim: Path, command: tuple[str, ...]
) -> None:
    (project / "out/prod/evil").symlink_to(victim, target_is_directory=True)
    manifest = project / "out/prod" / MANIFEST
    _list(manifest, "evil/secret.txt")
    before = everything(project)

    result = run(*command, "--profile", "prod")

    line = _line_of(manifest, "evil/secret.txt")
    assert result.exit_code == 2, result.output
    assert result.stderr == (
        f"out/prod/{MANIFEST}:{line}:5: evil/secret.txt: listed here, but evil is a symlink; "
        "pivotal-gen neither reads nor removes files through one; fix: replace the link by "
        "a folder\n"
    )
    assert "TOP-SECRET" not in result.output
    assert "Traceback" not in result.output
    assert (victim / "secret.txt").read_text() == "TOP-SECRET\n"
    assert everything(project) == before


def test_diff_never_prints_the_environment_through_proc_self(project: Path, run: Run) -> None:
    (project / "out/prod/proc").symlink_to("/proc/self", target_is_directory=True)
    _list(project / "out/prod" / MANIFEST, "proc/environ")
    os.environ["PIVOTAL_TEST_SECRET"] = "s3cr3t-value"
    try:
        results = [run("diff", "--format", f) for f in ("github", "text", "json")]
    finally:
        del os.environ["PIVOTAL_TEST_SECRET"]
    for result in results:
        assert result.exit_code == 2
        assert "s3cr3t-value" not in result.output
        assert "proc/environ: listed here, but proc is a symlink" in result.output


@pytest.mark.parametrize("linked", ["out", "out/prod"])
def test_a_symlinked_output_folder_is_refused(
    project: Path, run: Run, tmp_path: Path, linked: str
) -> None:
    elsewhere = tmp_path / "elsewhere"
    (project / linked).rename(elsewhere)
    (project / linked).symlink_to(elsewhere, target_is_directory=True)
    (project / "pivotal.yaml").write_text(
        (project / "pivotal.yaml").read_text().replace("{published: 3000,", "{published: 3005,")
    )
    before = everything(elsewhere)

    for command in COMMANDS:
        result = run(*command, "--profile", "prod")
        assert result.exit_code == 2, (command, result.output)
        assert result.stderr == (
            f"pivotal-gen: {linked}: a symlink; pivotal-gen neither reads nor writes "
            "through one; fix: replace it by a folder\n"
        )
    assert everything(elsewhere) == before


def test_a_symlinked_file_is_never_read_and_a_retired_one_is_unlinked(
    project: Path, run: Run, victim: Path
) -> None:
    (project / "out/prod/.env.example").unlink()
    (project / "out/prod/.env.example").symlink_to(victim / "secret.txt")
    (project / "out/prod/old.txt").symlink_to(victim / "secret.txt")
    _list(project / "out/prod" / MANIFEST, "old.txt")

    for command in COMMANDS[1:]:
        result = run(*command)
        assert result.exit_code == 1, (command, result.output)
        assert "TOP-SECRET" not in result.output
    assert run("render").exit_code == 0

    assert not (project / "out/prod/.env.example").is_symlink()
    assert not os.path.lexists(project / "out/prod/old.txt")
    assert (victim / "secret.txt").read_text() == "TOP-SECRET\n"


def test_a_symlinked_manifest_is_not_trusted(project: Path, run: Run, victim: Path) -> None:
    (victim / MANIFEST).write_text(json.dumps({"files": {"secret.txt": "0" * 64}}))
    manifest = project / "out/prod" / MANIFEST
    manifest.unlink()
    manifest.symlink_to(victim / MANIFEST)
    (project / "out/prod/secret.txt").symlink_to(victim / "secret.txt")

    result = run("diff")
    assert "TOP-SECRET" not in result.output
    assert "Only in out/prod: secret.txt" in result.output  # not ours: its listing is not trusted
    run("render")

    assert (victim / "secret.txt").read_text() == "TOP-SECRET\n"
    assert (victim / MANIFEST).exists()
    assert not manifest.is_symlink()


def test_a_retired_profile_folder_that_is_a_link_is_left_alone(
    project: Path, run: Run, victim: Path
) -> None:
    (victim / MANIFEST).write_text(json.dumps({"files": {"secret.txt": "0" * 64}}))
    (project / "out/old").symlink_to(victim, target_is_directory=True)

    result = run("render")

    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in victim.iterdir()) == [MANIFEST, "secret.txt"]


def test_out_dir_refuses_a_manifest_entry_behind_a_link(
    project: Path, run: Run, victim: Path, tmp_path: Path
) -> None:
    target = tmp_path / "rendered"
    assert run("render", "--profile", "prod", "--out", str(target)).exit_code == 0
    (target / "evil").symlink_to(victim, target_is_directory=True)
    _list(target / MANIFEST, "evil/secret.txt")
    (project / "pivotal.yaml").write_text(
        (project / "pivotal.yaml").read_text().replace("{published: 3000,", "{published: 3005,")
    )

    for adopt in ((), ("--adopt",)):
        result = run("render", "--profile", "prod", "--out", str(target), *adopt)
        assert result.exit_code == 2, result.output
        assert "evil/secret.txt: listed here, but evil is a symlink" in result.stderr
    assert (victim / "secret.txt").read_text() == "TOP-SECRET\n"
