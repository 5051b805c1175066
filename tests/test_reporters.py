"""The reporters on their own: escaping, shapes and streams, without running a command."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import get_args

import click
import pytest

from pivotal_gen.cli.main import main
from pivotal_gen.cli.options import Format
from pivotal_gen.cli.reporters import (
    REPORTERS,
    GitHubReporter,
    JsonReporter,
    Reporter,
    TextReporter,
    unified,
    workflow_command,
)
from pivotal_gen.errors import Diagnostic, Location
from pivotal_gen.sync.compare import Change, ChangeKind
from tests.workflow_commands import Command, runner_commands

# Every character the runner treats specially, in a message and in a path.
AWKWARD = "50% of 2,3: a\nb\rc"


def test_every_format_has_a_reporter_and_every_command_offers_every_format() -> None:
    assert set(REPORTERS) == set(get_args(Format))
    for name in ("check", "diff", "validate"):
        command = main.commands[name]
        [option] = [p for p in command.params if p.name == "fmt"]
        assert isinstance(option.type, click.Choice)
        assert list(option.type.choices) == list(get_args(Format)), name


def test_workflow_command_escapes_properties_and_data_as_the_runner_unescapes_them() -> None:
    line = workflow_command("error", AWKWARD + " %0A", file="a,b:c%d\ne", line=3)

    assert line == "::error file=a%2Cb%3Ac%25d%0Ae,line=3::50%25 of 2,3: a%0Ab%0Dc %250A"
    assert runner_commands(line) == [
        Command("error", {"file": "a,b:c%d\ne", "line": "3"}, AWKWARD + " %0A")
    ]


def test_github_error_annotates_file_line_and_col(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    out = io.StringIO()
    where = Location(str(tmp_path / "team,a" / "profiles" / "x.yaml"), 12, 7)

    GitHubReporter(out=out).report_errors([Diagnostic(AWKWARD, where)])

    assert out.getvalue() == (
        "::error file=team%2Ca/profiles/x.yaml,line=12,col=7,title=pivotal-gen"
        "::50%25 of 2,3: a%0Ab%0Dc\n"
    )
    assert runner_commands(out.getvalue()) == [
        Command(
            "error",
            {"file": "team,a/profiles/x.yaml", "line": "12", "col": "7", "title": "pivotal-gen"},
            AWKWARD,
        )
    ]


def test_github_error_without_a_location_has_only_a_title() -> None:
    out = io.StringIO()
    GitHubReporter(out=out).report_errors([Diagnostic("no spec here")])
    assert out.getvalue() == "::error title=pivotal-gen::no spec here\n"


def _change(tmp_path: Path, old: bytes | None, new: bytes | None) -> Change:
    root = tmp_path / "out" / "ci"
    kind: ChangeKind = "missing" if old is None else "stale"
    return Change(root, root / "scripts" / "x.sh", kind, old, new, "pivotal-gen render")


def test_diff_shows_file_contents_but_never_runs_the_commands_in_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    # A script that prints workflow commands itself, as CI scripts do; its diff must not.
    old = b"echo '::error::boom'\n::add-mask::secret\n"
    new = b"echo '##[error]legacy'\n::add-mask::secret\n::error file=a::injected\n"
    change = _change(tmp_path, old, new)
    out = io.StringIO()

    GitHubReporter(out=out).report_diff([change])

    log = out.getvalue()
    assert unified(change) in log  # shown in full, inside the group
    path = "out/ci/scripts/x.sh"
    assert runner_commands(log) == [
        Command(
            "error",
            {"file": path, "title": "pivotal-gen diff"},
            "out of date; fix: pivotal-gen render",
        ),
        Command("group", {}, path),
        Command("endgroup"),
    ]


def test_diff_resume_token_is_stable_and_not_in_the_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)

    def stop_lines(new: bytes) -> list[str]:
        out = io.StringIO()
        GitHubReporter(out=out).report_diff([_change(tmp_path, None, new)])
        return [line for line in out.getvalue().splitlines() if "stop-commands" in line]

    [first] = stop_lines(b"a\n")
    assert stop_lines(b"a\n") == [first]  # the same inputs, the same output
    assert stop_lines(b"b\n") != [first]
    token = first.removeprefix("::stop-commands::")
    assert token not in unified(_change(tmp_path, None, b"a\n"))


def test_text_errors_go_to_stderr_as_file_line_col() -> None:
    out, err = io.StringIO(), io.StringIO()
    where = Location("pivotal.yaml", 12, 7)

    TextReporter(out=out, err=err).report_errors([Diagnostic("bad port", where)])

    assert (out.getvalue(), err.getvalue()) == ("", "pivotal.yaml:12:7: bad port\n")


def test_json_errors_keep_the_message_whole_and_null_a_missing_location() -> None:
    out = io.StringIO()
    located = Diagnostic(AWKWARD, Location("pivotal.yaml", 12, 7))

    JsonReporter(out=out).report_errors([located, Diagnostic("no spec here")])

    assert json.loads(out.getvalue()) == {
        "valid": False,
        "errors": [
            {"file": "pivotal.yaml", "line": 12, "col": 7, "message": AWKWARD},
            {"file": None, "line": None, "col": None, "message": "no spec here"},
        ],
    }


@pytest.mark.parametrize("reporter", [GitHubReporter, TextReporter])
def test_nothing_to_report_prints_nothing(reporter: type[Reporter]) -> None:
    out, err = io.StringIO(), io.StringIO()
    reporter(out=out, err=err).report_check([])
    reporter(out=out, err=err).report_diff([])
    assert (out.getvalue(), err.getvalue()) == ("", "")
