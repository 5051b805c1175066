"""The executable's shortcut takes only command lines that click reads as the plain
`check` and `render` of the pre-commit hooks."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from pivotal_gen.cli.commands import check, render
from pivotal_gen.cli.launch import shortcut_spec
from pivotal_gen.cli.main import main
from pivotal_gen.cli.options import Options

SHORTCUTS = [  # the command line, and whether it fails on change
    (["check"], False),
    (["render"], False),
    (["render", "--fail-on-change"], True),
    (["--spec", "pivotal.yaml", "check"], False),
    (["--spec", "sub/pivotal.yaml", "render"], False),
    (["--spec=sub/pivotal.yaml", "check"], False),
    (["--spec", "check", "check"], False),  # a spec file named check
]
OTHER = [
    [],
    ["validate"],
    ["diff"],
    ["check", "--no-cache"],
    ["check", "--format", "json"],
    ["check", "--profile", "prod"],
    ["render", "--profile", "prod"],
    ["render", "--out", "x"],
    ["render", "--fail-on-change", "--fail-on-change"],
    ["render", "--help"],
    ["check", "--help"],
    ["--spec", "check"],
    ["--spec", "--help", "check"],
    ["--spec=", "check"],
    ["--spec", ".", "check"],  # a folder: click refuses it
    ["-h", "check"],
    ["check", "check"],
    ["--version", "check"],
    ["--spe", "x", "check"],
]


@pytest.mark.parametrize(
    ("args", "fail_on_change"), SHORTCUTS, ids=[" ".join(a) for a, _ in SHORTCUTS]
)
def test_shortcuts_are_what_click_reads_with_every_other_option_at_its_default(
    args: list[str], fail_on_change: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[Options] = []

    def record(given: Options) -> int:
        seen.append(given)
        return 0

    monkeypatch.setattr(check, "run", record)
    monkeypatch.setattr(render, "run", record)

    result = CliRunner().invoke(main, args)

    assert result.exit_code == 0, result.output
    spec = shortcut_spec(args)
    assert spec is not None
    assert seen == [Options(spec=Path(spec), fail_on_change=fail_on_change)]


@pytest.mark.parametrize("args", OTHER, ids=lambda a: " ".join(a) or "nothing")
def test_anything_else_goes_to_click(args: list[str]) -> None:
    assert shortcut_spec(args) is None
