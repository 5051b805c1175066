"""Data-driven negative cases: each file in cases/invalid/ is a profile that
breaks one rule; its first line says the located error it must produce.

    # error: [FILE:]LINE:COL: message start

FILE defaults to the profile itself (profiles/case.yaml).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import Run

CASES = sorted((Path(__file__).parent / "cases" / "invalid").glob("*.yaml"))
_EXPECT = re.compile(
    r"# error: (?:(?P<file>[^:\s]+):)?(?P<line>\d+|\*):(?P<col>\d+|\*): (?P<message>.+)"
)


def expected(case: Path) -> re.Pattern[str]:
    """The expected message start; LINE or COL may be `*` where they would be brittle."""
    match = _EXPECT.fullmatch(case.read_text().splitlines()[0])
    assert match, f"{case.name}: first line must be '# error: [FILE:]LINE:COL: message'"
    file = match["file"] or "profiles/case.yaml"
    parts = [file, match["line"], match["col"], " " + match["message"]]
    return re.compile(":".join(r"\d+" if p == "*" else re.escape(p) for p in parts))


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_invalid_profile_is_located(case: Path, project: Path, run: Run) -> None:
    shutil.copy(case, project / "profiles" / "case.yaml")

    result = run("validate", "--profile", "case")

    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert any(expected(case).match(line) for line in lines), result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("command", ["render", "check", "diff"])
def test_every_command_refuses_an_invalid_profile(command: str, project: Path, run: Run) -> None:
    shutil.copy(CASES[0], project / "profiles" / "case.yaml")
    before = sorted(p.relative_to(project) for p in (project / "out").rglob("*"))

    result = run(command, "--profile", "case")

    assert result.exit_code == 2
    assert result.stderr.startswith("profiles/case.yaml:")
    assert sorted(p.relative_to(project) for p in (project / "out").rglob("*")) == before
