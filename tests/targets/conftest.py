"""Fixtures the target tests share."""

from __future__ import annotations

from pathlib import Path

import pytest

from pivotal_gen.project import Project
from pivotal_gen.sync.plan import render_profile
from tests.conftest import REPO
from tests.fake_docker import install_tree


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """The dev profile rendered as a platform repo, with a .env."""
    root = install_tree(render_profile(Project(REPO), "dev"), tmp_path / "platform")
    (root / ".env").write_text("POSTGRES_PASSWORD=x\n")
    return root
