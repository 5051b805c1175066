"""The hooks in .pre-commit-hooks.yaml, run by pre-commit itself (`try-repo`)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.tools import require


@pytest.fixture
def platform(project: Path) -> Path:
    """The copied project as a git repository, as pre-commit needs."""
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "init"]):
        subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *command],
            cwd=project,
            check=True,
        )
    return project


def try_repo(platform: Path, hook: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    pre_commit = require(f"{sys.prefix}/bin/pre-commit", "pre-commit", "pip install -e '.[test]'")
    require(shutil.which("git"), "git", "apt-get install git")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    return subprocess.run(
        [pre_commit, "try-repo", str(REPO), hook, "--all-files"],
        cwd=platform,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


@pytest.mark.slow  # pre-commit builds a hook environment: about a minute
def test_check_hook_passes_then_names_stale_files(platform: Path, tmp_path: Path) -> None:
    assert try_repo(platform, "pivotal-gen-check", tmp_path).returncode == 0

    spec = platform / "pivotal.yaml"
    spec.write_text(spec.read_text().replace("redis:8-alpine", "redis:8.2-alpine"))
    result = try_repo(platform, "pivotal-gen-check", tmp_path)

    assert result.returncode == 1
    assert "out/dev/infra/docker/docker-compose.yml: out of date" in result.stdout

    render = try_repo(platform, "pivotal-gen-render", tmp_path)
    assert render.returncode == 1  # it rewrote files: the commit must include them
    assert "updated out/dev/infra/docker/docker-compose.yml" in render.stdout
    assert try_repo(platform, "pivotal-gen-render", tmp_path).returncode == 0
    assert try_repo(platform, "pivotal-gen-check", tmp_path).returncode == 0
