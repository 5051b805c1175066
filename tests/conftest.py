"""Shared fixtures: a copy of the real project to edit, and the CLI runner."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from hypothesis import settings

from pivotal_gen.checks.cross import check_spec
from pivotal_gen.cli.main import main
from pivotal_gen.model.spec import Spec

REPO = Path(__file__).resolve().parent.parent

# Property tests (tests/test_properties_*.py) run the Compose parser and promtool
# per example: no deadline, a few examples, and no example database written into
# the repo. CI draws the same examples on every run (derandomize), so that a red
# CI is reproducible; HYPOTHESIS_PROFILE=thorough explores many more locally.
# Hypothesis still caches (character tables, constants) in a storage folder,
# by default .hypothesis/ in the working directory: keep it out of the repo.
os.environ.setdefault(
    "HYPOTHESIS_STORAGE_DIRECTORY", os.path.join(tempfile.gettempdir(), "pivotal-gen-hypothesis")
)
settings.register_profile("pivotal", deadline=None, database=None, max_examples=25)
settings.register_profile("ci", settings.get_profile("pivotal"), derandomize=True)
settings.register_profile("thorough", settings.get_profile("pivotal"), max_examples=500)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "pivotal")
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of this repo's spec, profiles and generated files, safe to change."""
    root = tmp_path / "project"
    root.mkdir()
    shutil.copy(REPO / "pivotal.yaml", root / "pivotal.yaml")
    for folder in ("profiles", "out", "schema"):
        shutil.copytree(REPO / folder, root / folder)
    return root


Run = Callable[..., Result]

# What the policy rules ask of a long-running service outside production, for the
# small specs tests write: a non-root user and a healthcheck.
COMPLIANT = {"user": "nobody", "healthcheck": {"test": ["CMD", "true"]}}


def spec_findings(raw: dict[str, Any]) -> list[str]:
    """What the checks across the spec find in a small spec, as `dotted.path: message`."""
    spec = Spec.model_validate(raw)
    return [f"{'.'.join(map(str, path))}: {message}" for path, message in check_spec(spec, raw)]


def write_tree(files: dict[str, bytes], root: Path) -> Path:
    """Write rendered files under root, as the platform repo would hold them."""
    for rel, data in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    return root


@pytest.fixture
def run(project: Path, monkeypatch: pytest.MonkeyPatch) -> Run:
    """Run the CLI in the copied project; returns click's Result (exit_code, stdout, stderr)."""
    monkeypatch.chdir(project)

    def invoke(*args: str) -> Result:
        return CliRunner().invoke(main, list(args), catch_exceptions=False)

    return invoke
