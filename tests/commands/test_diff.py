from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import Run


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
    assert changes[0]["diff"].startswith("--- /dev/null\n+++ b/out/ci/.env.example\n")


def test_json_when_current(run: Run) -> None:
    result = run("diff", "--format", "json")
    assert (result.exit_code, json.loads(result.stdout)) == (0, {"changes": []})
