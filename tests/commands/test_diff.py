from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import Run
from tests.workflow_commands import runner_commands

COMPOSE = "infra/docker/docker-compose.yml"


def test_nothing_to_show_when_current(run: Run) -> None:
    result = run("diff")
    assert (result.exit_code, result.output) == (0, "")


def test_unified_diff_with_git_style_paths(project: Path, run: Run) -> None:
    spec = project / "pivotal.yaml"
    spec.write_text(spec.read_text().replace("image: redis:8-alpine", "image: redis:8.2-alpine"))

    result = run("diff", "--profile", "prod")

    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert "--- a/out/prod/infra/docker/docker-compose.yml" in lines
    assert "+++ b/out/prod/infra/docker/docker-compose.yml" in lines
    assert "-    image: redis:8-alpine" in lines
    assert "+    image: redis:8.2-alpine" in lines
    assert not (project / "out/prod/infra/docker/docker-compose.yml").read_text().count("8.2")


def test_missing_file_diffs_from_dev_null(project: Path, run: Run) -> None:
    (project / "out/ci/.env.example").unlink()
    result = run("diff", "--profile", "ci")
    assert "--- /dev/null" in result.stdout
    assert "+++ b/out/ci/.env.example" in result.stdout


def test_json_for_machines(project: Path, run: Run) -> None:
    (project / "out/ci/.env.example").unlink()
    (project / "out/ci/stray").write_text("")

    result = run("diff", "--profile", "ci", "--format", "json")

    assert result.exit_code == 1
    changes = json.loads(result.stdout)["changes"]
    assert [(c["path"], c["status"]) for c in changes] == [
        ("out/ci/.env.example", "missing"),
        ("out/ci/stray", "unknown"),
    ]
    assert changes[0]["fix"] == "pivotal-gen render --profile ci"
    assert changes[0]["diff"].startswith(
        "diff --git a/out/ci/.env.example b/out/ci/.env.example\n"
        "new file mode 100644\n--- /dev/null\n+++ b/out/ci/.env.example\n"
    )


def test_json_when_current(run: Run) -> None:
    result = run("diff", "--format", "json")
    assert (result.exit_code, json.loads(result.stdout)) == (0, {"changes": []})


def test_github_when_current_is_silent(run: Run) -> None:
    result = run("diff", "--format", "github")
    assert (result.exit_code, result.output) == (0, "")


def test_github_annotates_each_file_and_folds_its_diff(project: Path, run: Run) -> None:
    (project / "out/ci/.env.example").unlink()
    compose = project / "out/ci/infra/docker/docker-compose.yml"
    compose.write_text(compose.read_text().replace("redis:8-alpine", "redis:latest"))
    text = run("diff", "--profile", "ci").stdout

    result = run("diff", "--profile", "ci", "--format", "github")

    assert (result.exit_code, result.stderr) == (1, "")
    lines = result.stdout.splitlines()
    assert [line for line in lines if line.startswith("::error")] == [
        f"::error file=out/ci/{name},title=pivotal-gen diff"
        f"::{what}; fix: pivotal-gen render --profile ci"
        for name, what in [(".env.example", "missing"), (COMPOSE, "out of date")]
    ]
    groups = [line for line in lines if line.startswith(("::group::", "::endgroup::"))]
    assert groups == [
        "::group::out/ci/.env.example",
        "::endgroup::",
        f"::group::out/ci/{COMPOSE}",
        "::endgroup::",
    ]
    # Inside the groups, the same diff as the text format, line for line.
    body = [line for line in lines if not line.startswith("::")]
    assert body == text.splitlines()
    commands = runner_commands(result.stdout)
    assert [c.name for c in commands] == ["error", "group", "endgroup"] * 2
