"""prometheus.yml, the alert rules and their tests, checked by the real promtool."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from pivotal_gen.layout import COMPOSE_DIR, PROMETHEUS_CONFIG, RULE_TESTS_FILE, RULES_FILE
from pivotal_gen.project import Project
from pivotal_gen.sync.plan import render_profile
from tests.conftest import REPO, write_tree
from tests.tools import promtool

PROFILES = Project(REPO).profiles
RULES = f"{COMPOSE_DIR}/{RULES_FILE}"
RULE_TESTS = f"{COMPOSE_DIR}/{RULE_TESTS_FILE}"


def _promtool(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([promtool(), *args], cwd=cwd, capture_output=True, text=True, check=False)


def _render(project: Path, profile: str, tmp_path: Path) -> Path:
    """The profile of the project at `project`, rendered into tmp_path/tree."""
    return write_tree(render_profile(Project(project), profile), tmp_path / "tree")


@pytest.mark.parametrize("profile", PROFILES)
def test_promtool_accepts_config_rules_and_passes_the_rule_tests(
    profile: str, tmp_path: Path
) -> None:
    tree = _render(REPO, profile, tmp_path)
    # Run from elsewhere: rule_files must resolve relative to the config, not the cwd.
    config = _promtool("check", "config", str(tree / PROMETHEUS_CONFIG), cwd=tmp_path)
    assert config.returncode == 0, config.stdout + config.stderr
    assert "SUCCESS: 1 rule files found" in config.stdout
    rules = _promtool("check", "rules", str(tree / RULES), cwd=tmp_path)
    assert rules.returncode == 0, rules.stdout + rules.stderr
    tests = _promtool("test", "rules", str(tree / RULE_TESTS), cwd=tmp_path)
    assert tests.returncode == 0, tests.stdout + tests.stderr


def test_every_alert_has_a_firing_and_a_quiet_case() -> None:
    files = render_profile(Project(REPO), "prod")
    tests = YAML(typ="safe").load(files[RULE_TESTS])
    rules = YAML(typ="safe").load(files[RULES])
    names = {rule["alert"] for group in rules["groups"] for rule in group["rules"]}
    firing: set[str] = set()
    quiet: set[str] = set()
    for test in tests["tests"]:
        for check in test["alert_rule_test"]:
            (firing if check["exp_alerts"] else quiet).add(check["alertname"])
    assert firing == names
    assert quiet == names


def test_a_rule_test_fails_when_the_alert_does_not_behave(project: Path, tmp_path: Path) -> None:
    """The rendered tests can fail: raise a threshold and the firing case breaks."""
    spec = project / "pivotal.yaml"
    spec.write_text(spec.read_text().replace("{bytes: 805306368}", "{bytes: 2000000000}"))
    tree = _render(project, "prod", tmp_path)

    result = _promtool("test", "rules", str(tree / RULE_TESTS), cwd=tmp_path)

    assert result.returncode == 1
    assert "BackendMemoryHigh: fires at 900 MB" in result.stdout + result.stderr


def test_a_profile_changes_a_threshold_alone() -> None:
    staging = YAML(typ="safe").load(render_profile(Project(REPO), "staging")[RULES])
    prod = YAML(typ="safe").load(render_profile(Project(REPO), "prod")[RULES])

    def memory_rule(rules: Any) -> Any:
        alerts = [rule for group in rules["groups"] for rule in group["rules"]]
        return next(rule for rule in alerts if rule["alert"] == "BackendMemoryHigh")

    selector = 'process_resident_memory_bytes{job="pivotal-backend"}'
    assert memory_rule(prod)["expr"] == f"{selector} > 805306368"
    assert memory_rule(staging)["expr"] == f"{selector} > 402653184"
    assert memory_rule(staging)["for"] == memory_rule(prod)["for"] == "5m"


def test_control_characters_in_the_rules_notice_leave_the_rules_readable(
    project: Path, tmp_path: Path
) -> None:
    # The notice is written as comment lines on top of alerts.yml; Prometheus's YAML
    # reader refuses a control character anywhere in a file, comments included.
    spec = project / "pivotal.yaml"
    notice = '  rules_notice: "Adapted\\x7f from\\x1b x\\x00 (MIT)\\x9b\\ttabbed"\n  rules_old: |\n'
    spec.write_text(spec.read_text().replace("  rules_notice: |\n", notice))
    text = spec.read_text()
    start = text.index("  rules_old: |\n")
    end = text.index("  target_down:")
    spec.write_text(text[:start] + text[end:])
    tree = _render(project, "prod", tmp_path)

    rules = _promtool("check", "rules", str(tree / RULES), cwd=tmp_path)

    assert rules.returncode == 0, rules.stdout + rules.stderr
    assert "# Adapted\\x7f from\\x1b x\\x00 (MIT)\\x9b\ttabbed\n" in (tree / RULES).read_text()
