"""The executable's shortcut takes only command lines that click reads as a plain check."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from pivotal_gen.cli import main
from pivotal_gen.commands import check
from pivotal_gen.launch import plain_check
from pivotal_gen.options import Options

PLAIN = [
    ["check"],
    ["--spec", "pivotal.yaml", "check"],
    ["--spec", "sub/pivotal.yaml", "check"],
    ["--spec=sub/pivotal.yaml", "check"],
    ["--spec", "check", "check"],  # a spec file named check
]
OTHER = [
    [],
    ["render"],
    ["validate"],
    ["check", "--no-cache"],
    ["check", "--format", "json"],
    ["check", "--profile", "prod"],
    ["check", "--help"],
    ["--spec", "check"],
    ["--spec", "--help", "check"],
    ["--spec=", "check"],
    ["--spec", ".", "check"],  # a folder: click refuses it
    ["-h", "check"],
    ["check", "check"],
    ["--version", "check"],
    ["--spe", "x", "check"],  # click would expand the prefix: leave it to click
]


@pytest.mark.parametrize("args", PLAIN, ids=" ".join)
def test_plain_checks_are_what_click_reads_as_a_plain_check(
    args: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[Options] = []

    def record(options: Options) -> int:
        seen.append(options)
        return 0

    monkeypatch.setattr(check, "run", record)

    result = CliRunner().invoke(main, args)

    assert result.exit_code == 0, result.output
    spec = plain_check(args)
    assert spec is not None
    assert seen == [Options(spec=Path(spec))]  # every option at its default


@pytest.mark.parametrize("args", OTHER, ids=lambda a: " ".join(a) or "nothing")
def test_anything_else_goes_to_click(args: list[str]) -> None:
    assert plain_check(args) is None
