"""The repo checks itself: out/ and schema/ are exactly what render writes today."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from pivotal_gen.cli.main import main
from pivotal_gen.model.schema import schema_files
from pivotal_gen.project import Project
from pivotal_gen.sync.plan import file_mode, render_profile
from tests.conftest import REPO
from tests.tools import yamllint_errors

PROJECT = Project(REPO)


@pytest.mark.parametrize("profile", PROJECT.profiles)
def test_committed_output_is_byte_identical(profile: str) -> None:
    folder = REPO / "out" / profile
    on_disk = {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }
    assert on_disk == render_profile(PROJECT, profile), (
        f"out/{profile} is stale: run `pivotal-gen render --profile {profile}` and commit"
    )


def test_committed_schemas_are_current() -> None:
    on_disk = {p.relative_to(REPO).as_posix(): p.read_bytes() for p in (REPO / "schema").iterdir()}
    assert on_disk == schema_files()


def test_every_documented_profile_exists() -> None:
    assert {"dev", "staging", "prod", "ci"} <= set(PROJECT.profiles)


def test_check_passes_on_this_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 0, result.output
    assert result.output == ""


def _render_in_subprocess(out: Path, **env: str) -> dict[str, bytes]:
    command = [sys.executable, "-m", "pivotal_gen", "--spec", str(REPO / "pivotal.yaml")]
    subprocess.run(
        [*command, "render", "--profile", "prod", "--out", str(out)],
        check=True,
        capture_output=True,
        env={**os.environ, **env},
    )
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def test_output_does_not_depend_on_hash_seed_locale_or_clock(tmp_path: Path) -> None:
    first = _render_in_subprocess(tmp_path / "a", PYTHONHASHSEED="0", LC_ALL="C", TZ="UTC")
    second = _render_in_subprocess(
        tmp_path / "b", PYTHONHASHSEED="4242", LC_ALL="C.UTF-8", TZ="Pacific/Kiritimati"
    )
    assert first == second
    assert first == render_profile(PROJECT, "prod")


def test_secrets_in_the_environment_never_reach_a_file(tmp_path: Path) -> None:
    planted = {
        name: f"planted-{name.lower()}-value" for name in ("JWT_SECRET", "POSTGRES_PASSWORD")
    }
    files = _render_in_subprocess(tmp_path / "out", **planted)
    for name, data in files.items():
        for value in planted.values():
            assert value.encode() not in data, name


@pytest.mark.parametrize("profile", PROJECT.profiles)
def test_committed_scripts_are_executable_and_nothing_else_is(profile: str) -> None:
    folder = REPO / "out" / profile
    for path in folder.rglob("*"):
        if path.is_file():
            rel = path.relative_to(folder).as_posix()
            executable = bool(path.stat().st_mode & 0o111)
            assert executable == bool(file_mode(rel) & 0o111), rel
            assert executable == rel.startswith("scripts/"), rel


@pytest.mark.parametrize("profile", PROJECT.profiles)
def test_every_generated_yaml_file_passes_yamllint(profile: str) -> None:
    errors = yamllint_errors()
    files = {
        path: content
        for path, content in render_profile(PROJECT, profile).items()
        if path.endswith((".yml", ".yaml"))
    }
    assert files, f"profile {profile} renders no YAML file"
    problems = {path: errors(content.decode("utf-8")) for path, content in files.items()}
    assert {path: found for path, found in problems.items() if found} == {}
