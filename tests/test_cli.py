"""No user error ends in a traceback: each is a message and exit 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import Run


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "pivotal.yaml:1:1: the spec must be a mapping"),
        (b"- a\n- b\n", "pivotal.yaml:1:1: the spec must be a mapping"),
        (b"project: x\nservices: {}\n\xff\xfe\n", "pivotal.yaml:3:1: file is not valid UTF-8"),
        (b"project: [x\n", "pivotal.yaml:2:1: YAML syntax error"),
        (b"project: x\n", "pivotal.yaml:1:1: (top level): missing required key 'services'"),
        (b"a: &a [1]\nb: *a\n<<: *a\n", "pivotal.yaml:3:1: YAML merge keys (<<) are not supported"),
    ],
    ids=["empty", "list", "not-utf8", "syntax", "missing-key", "merge-key"],
)
def test_broken_spec_is_a_located_message(
    project: Path, run: Run, content: bytes, message: str
) -> None:
    (project / "pivotal.yaml").write_bytes(content)

    for command in ("validate", "render", "check", "diff"):
        result = run(command)
        assert result.exit_code == 2, (command, result.output)
        assert result.stderr.startswith(message), (command, result.stderr)


def test_missing_spec(project: Path, run: Run) -> None:
    (project / "pivotal.yaml").unlink()
    result = run("check")
    assert result.exit_code == 2
    assert "no spec here (pass --spec PATH)" in result.stderr


def test_empty_profile_is_the_spec_unchanged(project: Path, run: Run) -> None:
    (project / "profiles" / "empty.yaml").write_text("# nothing to change\n")
    assert run("validate", "--profile", "empty").exit_code == 0


def test_usage_errors_exit_2(run: Run) -> None:
    assert run("render", "--bogus").exit_code == 2
    assert run("diff", "--format", "xml").exit_code == 2


def test_spec_option_points_elsewhere(project: Path, tmp_path: Path, run: Run) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = run("--spec", str(project / "pivotal.yaml"), "check")
    assert result.exit_code == 0, result.output


def test_a_closed_pipe_is_not_an_error(project: Path) -> None:
    spec = project / "pivotal.yaml"
    spec.write_text(spec.read_text().replace("redis:8-alpine", "redis:8.2-alpine"))
    command = [sys.executable, "-m", "pivotal_gen", "--spec", str(spec), "diff"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        assert process.stdout is not None and process.stderr is not None
        process.stdout.readline()
        process.stdout.close()
        stderr = process.stderr.read()
        process.wait()
    assert b"Traceback" not in stderr


def test_json_errors_have_one_shape_in_every_command(project: Path, run: Run) -> None:
    (project / "pivotal.yaml").write_bytes(b"project: [x\n")

    reports = []
    for command in ("validate", "check", "diff"):
        result = run(command, "--format", "json")
        assert (result.exit_code, result.stderr) == (2, ""), command
        reports.append(json.loads(result.stdout))

    assert reports[0] == reports[1] == reports[2]
    [error] = reports[0]["errors"]
    assert reports[0]["valid"] is False
    assert (error["file"], error["line"], error["col"]) == ("pivotal.yaml", 2, 1)
    assert error["message"].startswith("YAML syntax error")


def test_github_errors_annotate_the_spec_in_every_command(project: Path, run: Run) -> None:
    (project / "pivotal.yaml").write_bytes(b"project: [x\n")

    for command in ("validate", "check", "diff"):
        result = run(command, "--format", "github")
        assert (result.exit_code, result.stderr) == (2, ""), command
        assert result.stdout.startswith(
            "::error file=pivotal.yaml,line=2,col=1,title=pivotal-gen::YAML syntax error"
        ), command


def test_render_has_no_format_and_reports_errors_as_text(project: Path, run: Run) -> None:
    (project / "pivotal.yaml").write_bytes(b"project: [x\n")

    result = run("render")

    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith("pivotal.yaml:2:1: YAML syntax error")
    assert run("render", "--format", "github").exit_code == 2  # a usage error
