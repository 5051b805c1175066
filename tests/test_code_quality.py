"""The code base stays lint-clean and type-checked (mypy strict with the pydantic plugin)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import REPO
from tests.tools import require


@pytest.mark.parametrize(
    "command",
    [["ruff", "check", "."], ["ruff", "format", "--check", "."], ["mypy"]],
    ids=["ruff-check", "ruff-format", "mypy"],
)
def test_code_quality(command: list[str]) -> None:
    tool = require(f"{sys.prefix}/bin/{command[0]}", command[0], "pip install -e '.[test]'")
    result = subprocess.run(
        [tool, *command[1:]], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
