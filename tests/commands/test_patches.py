"""`pivotal-gen diff > x.patch` is a patch git applies where the files are."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.conftest import Run
from tests.tools import require


def _git(folder: Path, *args: str) -> None:
    git = require("git", "git", "apt-get install git")
    subprocess.run([git, "-C", str(folder), *args], check=True, capture_output=True)


def _apply(folder: Path, patch: str) -> None:
    (folder.parent / "x.patch").write_text(patch)
    _git(folder, "apply", str(folder.parent / "x.patch"))


@pytest.mark.parametrize("relative", [False, True], ids=["absolute", "relative"])
def test_a_diff_into_out_applies_in_that_folder(
    project: Path, run: Run, tmp_path: Path, relative: bool
) -> None:
    platform = tmp_path / "platform"
    platform.mkdir()
    _git(platform, "init", "-q")
    out = os.path.relpath(platform, project) if relative else str(platform)

    diff = run("diff", "--profile", "prod", "--out", out)
    _apply(platform, diff.stdout)

    # every file and its executable bit, as render would have written them
    assert run("check", "--profile", "prod", "--out", out).exit_code == 0
    listed = json.loads(run("diff", "--profile", "dev", "--out", out, "--format", "json").stdout)[
        "changes"
    ]
    assert "infra/docker/docker-compose.yml" in {c["path"] for c in listed}  # as in the patch


def test_a_diff_of_out_applies_from_the_project_root(project: Path, run: Run) -> None:
    _git(project, "init", "-q")
    (project / "out/dev/scripts/ci/api-smoke.sh").unlink()  # created executable
    (project / "out/dev/scripts/ci/db-migrate.sh").chmod(0o644)  # a mode change only
    (project / "out/ci/.env.example").write_text("stale\n")
    spec = project / "pivotal.yaml"
    spec.write_text(spec.read_text().replace("{published: 3000,", "{published: 3005,"))

    _apply(project, run("diff").stdout)

    assert run("check", "--no-cache").exit_code == 0


def test_a_diff_removing_a_retired_profile_applies(project: Path, run: Run) -> None:
    _git(project, "init", "-q")
    (project / "profiles/ci.yaml").unlink()

    _apply(project, run("diff").stdout)

    assert run("check", "--no-cache").exit_code == 0
