"""alertmanager.yml and the Alertmanager service, checked by amtool and the Compose parser.

amtool here is Debian's 0.25: a webhook's `url_file` (0.26) is stood in by `url` before
it checks a config (tests/alerting.py), and each test that does so says it.
"""

from __future__ import annotations

import functools
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from pivotal_gen.layout import ALERTMANAGER_CONFIG, COMPOSE_DIR, PROMETHEUS_CONFIG, RULES_FILE
from pivotal_gen.model import promql
from pivotal_gen.project import Project
from pivotal_gen.sync.plan import render_profile
from tests.alerting import stand_in_url_files
from tests.compose import APP, INFRA, SECRETS, compose_model
from tests.conftest import REPO, write_tree
from tests.tools import amtool

PROFILES = Project(REPO).profiles
INTEGRATIONS = ("webhook_configs", "email_configs", "slack_configs")


@functools.cache
def _files(profile: str) -> dict[str, bytes]:
    return render_profile(Project(REPO), profile)


def _config(profile: str) -> dict[str, Any]:
    config: dict[str, Any] = YAML(typ="safe").load(_files(profile)[ALERTMANAGER_CONFIG])
    return config


def _amtool(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([amtool(), *args], capture_output=True, text=True, check=False)


def _for_amtool_0_25(config: dict[str, Any], folder: Path) -> Path:
    """The config with webhook url_file stood in by url (0.25 lacks it), as a file."""
    stand_in_url_files(config)
    path = folder / "alertmanager.yml"
    path.write_text(json.dumps(config))  # JSON is YAML
    return path


@pytest.mark.parametrize("profile", PROFILES)
def test_amtool_accepts_every_profiles_config(profile: str, tmp_path: Path) -> None:
    # Stand-in: each webhook url_file becomes a url (amtool 0.25 predates url_file).
    path = _for_amtool_0_25(_config(profile), tmp_path)

    result = _amtool("check-config", str(path))

    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS" in result.stdout


def test_without_the_stand_in_amtool_0_25_refuses_url_file(tmp_path: Path) -> None:
    """Why the stand-in: amtool checks every field, and 0.25 knows no url_file."""
    path = tmp_path / "alertmanager.yml"
    path.write_bytes(_files("prod")[ALERTMANAGER_CONFIG])

    result = _amtool("check-config", str(path))

    assert result.returncode == 1
    assert "field url_file not found" in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("profile", "labels", "receivers"),
    [
        ("prod", ["severity=critical", "alertname=TargetDown"], "oncall"),
        ("prod", ["severity=warning", "alertname=BackendLatencyHigh"], "team-email"),
        ("prod", ["alertname=NoSeverity"], "team-email"),
        ("staging", ["severity=critical"], "oncall"),
        ("dev", ["severity=critical"], "ui-only"),
        ("ci", ["severity=warning"], "ui-only"),
    ],
)
def test_the_routing_tree_sends_each_alert_where_the_spec_says(
    profile: str, labels: list[str], receivers: str, tmp_path: Path
) -> None:
    # Stand-in: webhook url_file as url, for amtool 0.25; routing does not read it.
    path = _for_amtool_0_25(_config(profile), tmp_path)

    result = _amtool(
        "config", "routes", "test", f"--config.file={path}", f"--verify.receivers={receivers}",
        *labels,
    )  # fmt: skip

    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == receivers


def test_criticals_hold_back_the_warning_of_the_same_alert() -> None:
    (rule,) = _config("prod")["inhibit_rules"]
    assert rule == {
        "source_matchers": ['severity="critical"'],
        "target_matchers": ['severity="warning"'],
        "equal": ["alertname", "job", "instance"],
    }


@pytest.mark.parametrize("profile", ["prod", "staging"])
def test_no_credential_is_in_the_files_alertmanager_reads_each_from_a_secret(
    profile: str, tmp_path: Path
) -> None:
    tree = write_tree(_files(profile), tmp_path)
    model = compose_model(tree, [INFRA, APP], SECRETS)
    mounted = {s["target"]: s["source"] for s in model["services"]["alertmanager"]["secrets"]}

    files = [
        value
        for receiver in _config(profile)["receivers"]
        for kind in INTEGRATIONS
        for integration in receiver.get(kind, [])
        for key, value in integration.items()
        if key.endswith("_file")
    ]

    assert files, "the production receivers read their credentials from files"
    for path in files:
        # Each is a secret Compose fills from a variable of .env, none from the repo.
        variable = model["secrets"][mounted[path]]["environment"]
        assert variable in SECRETS
    # That no value from the environment reaches a file: tests/test_hostile_input.py.


def test_staging_pages_nobody_and_needs_no_paging_secret() -> None:
    (oncall,) = [r for r in _config("staging")["receivers"] if r["name"] == "oncall"]
    assert set(oncall) == {"name", "slack_configs"}
    assert oncall["slack_configs"][0]["channel"] == "#pivotal-flow-staging"
    env = _files("staging")[".env.example"].decode()
    assert "token included (secret, not read in this profile)" in env


@pytest.mark.parametrize("profile", ["dev", "ci"])
def test_dev_and_ci_route_to_a_receiver_that_notifies_nobody(profile: str, tmp_path: Path) -> None:
    config = _config(profile)
    receivers = {r["name"]: r for r in config["receivers"]}

    assert receivers[config["route"]["receiver"]] == {"name": "ui-only"}
    assert "routes" not in config["route"]
    # Compose runs it without any of Alertmanager's secrets in the environment.
    others = {k: v for k, v in SECRETS.items() if not k.startswith("ALERTMANAGER_")}
    tree = write_tree(_files(profile), tmp_path)
    assert "secrets" not in compose_model(tree, [INFRA, APP], others)["services"]["alertmanager"]
    env = _files(profile)[".env.example"].decode()
    assert env.count("(secret, not read in this profile)") == 3


def test_compose_runs_alertmanager_from_the_rendered_config_as_nobody(tmp_path: Path) -> None:
    tree = write_tree(_files("prod"), tmp_path)
    service = compose_model(tree, [INFRA, APP], SECRETS)["services"]["alertmanager"]

    assert service["command"] == [
        "--config.file=/etc/alertmanager/alertmanager.yml",
        "--storage.path=/alertmanager",
        "--web.listen-address=:9093",
        "--web.external-url=http://localhost:9093",
        "--web.route-prefix=/",
        "--cluster.listen-address=",
    ]
    assert service["user"] == "nobody"
    assert service["image"] == "prom/alertmanager:v0.35.1"
    assert service["healthcheck"]["test"][-1] == "http://127.0.0.1:9093/-/healthy"
    assert "read_only" not in service  # Compose could not write its secrets into it


def test_prometheus_sends_alerts_to_alertmanager_scrapes_it_and_alerts_when_it_is_down() -> None:
    files = _files("prod")
    config = YAML(typ="safe").load(files[PROMETHEUS_CONFIG])

    assert config["alerting"] == {
        "alertmanagers": [{"static_configs": [{"targets": ["alertmanager:9093"]}]}]
    }
    (job,) = [j for j in config["scrape_configs"] if j["job_name"] == "alertmanager"]
    assert job["static_configs"][0]["targets"] == ["alertmanager:9093"]
    rules = YAML(typ="safe").load(files[f"{COMPOSE_DIR}/{RULES_FILE}"])
    down = rules["groups"][0]["rules"][0]
    assert down["alert"] == "TargetDown"
    assert "alertmanager" in (promql.selectors(down["expr"])[0].values("job") or [])
