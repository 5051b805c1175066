from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import Run
from tests.workflow_commands import runner_commands


def test_valid_spec_and_profiles(run: Run) -> None:
    result = run("validate")
    assert result.exit_code == 0
    assert result.stdout == "valid: pivotal.yaml with ci, dev, prod, staging\n"


def test_unknown_profile_lists_the_known_ones(run: Run) -> None:
    result = run("validate", "--profile", "prdo")
    assert result.exit_code == 2
    assert result.stderr == (
        "pivotal-gen: unknown profile 'prdo' (did you mean 'prod'?); "
        "known profiles: ci, dev, prod, staging (files profiles/<name>.yaml)\n"
    )


def test_errors_of_all_profiles_are_reported_together(project: Path, run: Run) -> None:
    (project / "profiles/dev.yaml").write_text("services:\n  redis:\n    ports: [70000]\n")
    (project / "profiles/ci.yaml").write_text("services:\n  redis:\n    restart: never\n")

    result = run("validate")

    assert result.exit_code == 2
    assert [line.split(":")[0] for line in result.stderr.splitlines()] == [
        "profiles/ci.yaml",
        "profiles/dev.yaml",
    ]


def test_an_error_at_a_spec_line_caused_by_a_profile_names_the_profile(
    project: Path, run: Run
) -> None:
    # Removing postgres's healthcheck breaks every `service_healthy` wait on it, in the spec.
    (project / "profiles/ci.yaml").write_text("services:\n  postgres:\n    healthcheck: null\n")

    result = run("validate", "--profile", "ci")

    lines = result.stderr.splitlines()
    at_spec = [line for line in lines if line.startswith("pivotal.yaml:")]
    at_profile = [line for line in lines if line.startswith("profiles/ci.yaml:3:5: ")]
    assert at_spec and len(at_spec) + len(at_profile) == len(lines), result.stderr
    removal = (
        "(with profile ci, which removes services.postgres.healthcheck at profiles/ci.yaml:3:5)"
    )
    assert all(line.endswith(removal) for line in at_spec), result.stderr
    # the removal's own line, once for each error it causes
    assert len(at_profile) == len(at_spec), result.stderr


def test_json_when_valid(run: Run) -> None:
    result = run("validate", "--format", "json")

    assert (result.exit_code, result.stderr) == (0, "")
    assert json.loads(result.stdout) == {
        "valid": True,
        "profiles": ["ci", "dev", "prod", "staging"],
    }


def test_json_errors_are_located_on_stdout(project: Path, run: Run) -> None:
    (project / "profiles/x.yaml").write_text("services:\n  redis:\n    ports: [70000]\n")

    result = run("validate", "--profile", "x", "--format", "json")

    assert (result.exit_code, result.stderr) == (2, "")
    assert json.loads(result.stdout) == {
        "valid": False,
        "errors": [
            {
                "file": "profiles/x.yaml",
                "line": 3,
                "col": 13,
                "message": "services.redis.ports[0]: port 70000 is out of range (1-65535)",
            }
        ],
    }


def test_json_error_without_a_location(run: Run) -> None:
    result = run("validate", "--profile", "prdo", "--format", "json")

    assert result.exit_code == 2
    [error] = json.loads(result.stdout)["errors"]
    assert (error["file"], error["line"], error["col"]) == (None, None, None)
    assert error["message"].startswith("unknown profile 'prdo' (did you mean 'prod'?)")


def test_github_when_valid_says_so_in_plain_text(run: Run) -> None:
    result = run("validate", "--format", "github")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == "valid: pivotal.yaml with ci, dev, prod, staging\n"


def test_github_annotates_the_profile_line_and_col(project: Path, run: Run) -> None:
    (project / "profiles/x.yaml").write_text(
        "# a comment first, so that the line is not 1\nservices:\n  redis:\n    restart: never\n"
    )

    result = run("validate", "--profile", "x", "--format", "github")

    assert (result.exit_code, result.stderr) == (2, "")
    assert result.stdout == (
        "::error file=profiles/x.yaml,line=4,col=14,title=pivotal-gen::services.redis.restart: "
        "Input should be 'no', 'always', 'on-failure' or 'unless-stopped', got \"never\"\n"
    )


def test_github_message_reaches_the_runner_whole(project: Path, run: Run) -> None:
    # A service name with %, a comma, a colon and a newline, which the message quotes.
    (project / "profiles/x.yaml").write_text('services:\n  "50%,b:c\\nd": {}\n')
    text = run("validate", "--profile", "x").stderr

    result = run("validate", "--profile", "x", "--format", "github")

    assert result.exit_code == 2
    assert len(result.stdout.splitlines()) == 1  # one annotation, whatever the message holds
    assert "50%25" in result.stdout
    [command] = runner_commands(result.stdout)
    assert command.properties == {
        "file": "profiles/x.yaml",
        "line": "2",
        "col": "3",
        "title": "pivotal-gen",
    }
    assert text == f"profiles/x.yaml:2:3: {command.data}\n"


def test_github_error_without_a_location(run: Run) -> None:
    result = run("validate", "--profile", "prdo", "--format", "github")

    assert (result.exit_code, result.stderr) == (2, "")
    assert result.stdout.startswith("::error title=pivotal-gen::unknown profile 'prdo'")
