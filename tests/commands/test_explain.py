"""`pivotal-gen explain`: the merged value and every line that set it, on the real spec."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.conftest import Run


def _line_of(path: Path, text: str) -> int:
    """The 1-based line of the first line of `path` containing `text`."""
    lines = path.read_text().splitlines()
    return next(i for i, line in enumerate(lines, 1) if text in line)


def test_a_profile_value_wins_over_the_spec_and_both_are_named(project: Path, run: Run) -> None:
    result = run("explain", "services.postgres.restart", "--profile", "prod")

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == 'services.postgres.restart = "unless-stopped"'
    prod_line = _line_of(project / "profiles" / "prod.yaml", "restart: unless-stopped")
    assert re.search(
        rf"profiles/prod\.yaml:{prod_line}:\d+ +\"unless-stopped\" +<- wins", result.stdout
    )


def test_the_spec_alone_without_a_profile(project: Path, run: Run) -> None:
    result = run("explain", "services.postgres.ports")

    assert result.exit_code == 0
    assert "profiles/" not in result.stdout
    assert re.search(
        r"pivotal\.yaml:\d+:\d+ +\[\"127\.0\.0\.1:5433:5432\"\] +<- wins", result.stdout
    )


def test_an_overridden_list_names_both_layers_base_first(run: Run) -> None:
    result = run("explain", "services.postgres.ports", "--profile", "prod")

    lines = result.stdout.splitlines()
    assert lines[0] == "services.postgres.ports = []"
    assert lines[1].lstrip().startswith("pivotal.yaml:") and lines[1].endswith("overridden")
    assert lines[2].lstrip().startswith("profiles/prod.yaml:") and lines[2].endswith("<- wins")


def test_an_environment_value_follows_its_variable_to_the_profile(project: Path, run: Run) -> None:
    result = run("explain", "services.backend.environment.NODE_ENV", "--profile", "dev")

    assert result.exit_code == 0
    dev_line = _line_of(project / "profiles" / "dev.yaml", "default: development")
    spec_line = _line_of(project / "pivotal.yaml", "default: production")
    assert re.search(
        rf'\$\{{NODE_ENV\}} .*default "development" from profiles/dev\.yaml:{dev_line}:\d+ '
        rf"\(overrides pivotal\.yaml:{spec_line}:\d+\)",
        result.stdout,
    ), result.stdout


def test_a_secret_is_said_to_come_from_the_environment_only(run: Run) -> None:
    result = run("explain", "services.backend.environment.DATABASE_URL", "--profile", "prod")

    assert "${POSTGRES_PASSWORD} comes from the environment (.env); a secret" in result.stdout


def test_a_mapping_lists_where_each_key_comes_from(run: Run) -> None:
    result = run("explain", "services.postgres", "--profile", "prod")

    rows = [
        re.fullmatch(r"  (\S+) +.*?  (\S+)(?:  \(overrides .*\))?", line)
        for line in result.stdout.split("keys:\n")[1].splitlines()
    ]
    keys = {row[1]: row[2] for row in rows if row is not None}
    assert keys["image"].startswith("pivotal.yaml:")
    assert keys["restart"].startswith("profiles/prod.yaml:")
    assert keys["expose"] == "default"


def test_json_for_tools(run: Run) -> None:
    result = run("explain", "services.postgres.ports", "--profile", "prod", "--format", "json")

    report = json.loads(result.stdout)
    assert report["value"] == []
    assert [(s["file"], s["wins"]) for s in report["set_by"]] == [
        ("pivotal.yaml", False),
        ("profiles/prod.yaml", True),
    ]


def test_inside_a_list_the_profile_replaced_the_spec_no_longer_wins(run: Run) -> None:
    gone = run("explain", "services.frontend.ports[0].host_ip", "--profile", "prod")
    item = run("explain", "services.frontend.ports[0]", "--profile", "prod", "--format", "json")

    lines = gone.stdout.splitlines()
    assert lines[0] == "services.frontend.ports[0].host_ip = null  (not set)"
    assert lines[1].endswith('"127.0.0.1"  overridden')
    assert lines[2].endswith("replaces it whole") and "profiles/prod.yaml:" in lines[2]
    assert [(s["action"], s["wins"]) for s in json.loads(item.stdout)["set_by"]] == [
        ("set", False),
        ("set", True),
    ]


def test_a_value_derived_from_http_names_the_key_it_comes_from(project: Path, run: Run) -> None:
    http = _line_of(project / "pivotal.yaml", "http: {port: 3000, health: /health}")

    test = run("explain", "services.backend.healthcheck.test", "--profile", "prod")
    target = run("explain", "services.backend.ports[0].target", "--format", "json")
    checks = run("explain", "services.backend.healthcheck")

    assert test.exit_code == 0, test.output
    assert test.stdout == (
        'services.backend.healthcheck.test = ["CMD", "wget", "-q", "--spider", '
        f'"http://127.0.0.1:3000/health"]  (derived from services.backend.http at '
        f"pivotal.yaml:{http}:5)\n"
    )
    report = json.loads(target.stdout)
    assert (report["value"], report["origin"]) == (3000, "derived")
    assert report["derived_from"] == {
        "path": "services.backend.http.port",
        "file": "pivotal.yaml",
        "line": http,
        "col": 12,
    }
    assert re.search(
        r"\n  test +\[\.\.\.\] \(5 items\) +derived from services\.backend\.http ", checks.stdout
    )


def test_a_derived_metrics_port_and_job(run: Run) -> None:
    metrics = run("explain", "services.backend.metrics", "--format", "json")

    children = json.loads(metrics.stdout)["children"]
    assert children["port"]["derived_from"]["path"] == "services.backend.http.port"
    assert children["job"]["origin"] == "files"


def test_an_unknown_path_is_a_user_error_with_a_suggestion(run: Run) -> None:
    result = run("explain", "services.backend.portz")

    assert result.exit_code == 2
    assert "no key 'portz' in services.backend (did you mean 'ports'?)" in result.stderr


def test_an_unknown_profile_lists_the_known_ones(run: Run) -> None:
    result = run("explain", "services", "--profile", "prdo")

    assert result.exit_code == 2
    assert "did you mean 'prod'?" in result.stderr


def test_an_invalid_profile_can_still_be_explained(project: Path, run: Run) -> None:
    (project / "profiles" / "broken.yaml").write_text(
        "services:\n  backend:\n    restart: sometimes\n"
    )

    result = run("explain", "services.backend.restart", "--profile", "broken")

    assert result.exit_code == 0
    assert '"sometimes"  <- wins' in result.stdout
    assert "note: the merged spec is invalid" in result.stdout


def test_the_documented_examples_are_what_explain_prints(run: Run) -> None:
    """docs/profiles.md shows real output; this keeps it so when pivotal.yaml moves lines."""
    page = (Path(__file__).resolve().parents[2] / "docs" / "profiles.md").read_text()
    examples = re.findall(r"^\$ pivotal-gen (explain .*)\n((?:(?!\$ |```).*\n)+)", page, re.M)
    assert len(examples) >= 2
    for command, expected in examples:
        assert run(*command.split()).stdout == expected, command
