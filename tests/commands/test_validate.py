from __future__ import annotations

from pathlib import Path

from tests.conftest import Run


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
    assert lines and all(line.startswith("pivotal.yaml:") for line in lines)
    assert all(line.endswith("(with profile ci)") for line in lines), result.stderr
