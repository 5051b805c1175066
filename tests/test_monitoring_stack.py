"""The monitoring stack end to end: what Compose mounts is what was rendered,
and a service added to the spec is scraped, alerted on and charted."""

from __future__ import annotations

import json
import posixpath
import subprocess
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from pivotal_gen.layout import (
    ALERTMANAGER_CONFIG,
    COMPOSE_DIR,
    PROMETHEUS_CONFIG,
    RULE_TESTS_FILE,
    RULES_FILE,
)
from pivotal_gen.model import promql
from pivotal_gen.project import Project
from pivotal_gen.sync.plan import render_profile
from pivotal_gen.targets.grafana import PROVIDERS_FILE
from tests.compose import APP, INFRA, SECRETS, compose_model
from tests.conftest import COMPLIANT, REPO, write_tree
from tests.known_metrics import ALL
from tests.tools import promtool

PROFILES = Project(REPO).profiles
RULES = f"{COMPOSE_DIR}/{RULES_FILE}"
RULE_TESTS = f"{COMPOSE_DIR}/{RULE_TESTS_FILE}"


def _host_path(service: dict[str, Any], container_path: str) -> Path:
    """Where a container path of `service` comes from on the host, through its bind mounts."""
    for volume in service.get("volumes", []):
        target = volume["target"]
        if volume["type"] == "bind" and (
            container_path == target or container_path.startswith(target + "/")
        ):
            assert volume.get("read_only"), f"{target} should be mounted read-only"
            return Path(volume["source"]) / posixpath.relpath(container_path, target)
    raise AssertionError(f"nothing is mounted at {container_path}")


@pytest.mark.parametrize("profile", PROFILES)
def test_containers_read_exactly_the_rendered_files(profile: str, tmp_path: Path) -> None:
    files = render_profile(Project(REPO), profile)
    tree = write_tree(files, tmp_path)
    services = compose_model(tree, [INFRA, APP], SECRETS)["services"]

    # Prometheus: its default config path, and every rule file relative to it.
    prometheus = services["prometheus"]
    config_in_container = "/etc/prometheus/prometheus.yml"
    assert _host_path(prometheus, config_in_container) == tree / PROMETHEUS_CONFIG
    config = YAML(typ="safe").load(files[PROMETHEUS_CONFIG])
    for rule_file in config["rule_files"]:
        in_container = posixpath.join(posixpath.dirname(config_in_container), rule_file)
        assert _host_path(prometheus, in_container).read_bytes() == files[RULES]

    # Grafana: the provisioning folder it reads by default, and the provider's path.
    grafana = services["grafana"]
    provisioning = _host_path(grafana, "/etc/grafana/provisioning")
    rendered = {p for p in files if p.startswith("infra/docker/grafana/provisioning/")}
    assert {
        p.relative_to(tree).as_posix() for p in provisioning.rglob("*") if p.is_file()
    } == rendered
    provider = YAML(typ="safe").load(files[PROVIDERS_FILE])["providers"][0]
    dashboards = _host_path(grafana, provider["options"]["path"])
    assert sorted(p.name for p in dashboards.iterdir()) == [
        "alertmanager.json", "api-health.json", "database.json", "node-process.json", "redis.json"
    ]  # fmt: skip

    # Alertmanager: the config its generated command names, and its data in a named volume.
    alertmanager = services["alertmanager"]
    flags = dict(flag.split("=", 1) for flag in alertmanager["command"])
    assert _host_path(alertmanager, flags["--config.file"]) == tree / ALERTMANAGER_CONFIG
    (data,) = [v for v in alertmanager["volumes"] if v["target"] == flags["--storage.path"]]
    assert data["type"] == "volume"


def test_exporters_take_credentials_from_the_environment(tmp_path: Path) -> None:
    tree = write_tree(render_profile(Project(REPO), "prod"), tmp_path)
    text = (tree / INFRA).read_text()
    assert "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD is required" in text
    env = compose_model(tree, [INFRA], SECRETS)["services"]["postgres-exporter"]["environment"]
    assert env["DATA_SOURCE_PASS"] == SECRETS["POSTGRES_PASSWORD"]
    assert env["DATA_SOURCE_URI"] == "postgres:5432/pivotal?sslmode=disable"


def test_alerts_use_metrics_the_stack_exposes() -> None:
    rules = YAML(typ="safe").load(render_profile(Project(REPO), "prod")[RULES])
    for group in rules["groups"]:
        for rule in group["rules"]:
            for selector in promql.selectors(rule["expr"]):
                assert selector.metric in ALL, f"{rule['alert']}: {selector.metric}"


WORKER = """
  worker:
    layer: application
    description: A queue worker
    build: {context: ., dockerfile: apps/backend/Dockerfile}
    expose: [9464]
    metrics: {kind: node, port: 9464, interval: 10s}
    # What the policy rules ask of any long-running service in production:
    healthcheck: {test: [CMD, wget, -q, --spider, "http://127.0.0.1:9464/metrics"]}
    restart: unless-stopped
    deploy: {resources: {limits: {cpus: "0.5", memory: 256M}}}
"""


def test_a_new_service_with_metrics_is_scraped_alerted_on_and_charted(
    project: Path, tmp_path: Path
) -> None:
    spec = project / "pivotal.yaml"
    spec.write_text(spec.read_text().replace("\nservices:\n", "\nservices:\n" + WORKER, 1))

    files = render_profile(Project(project), "prod")

    jobs = YAML(typ="safe").load(files[PROMETHEUS_CONFIG])["scrape_configs"]
    worker = next(job for job in jobs if job["job_name"] == "worker")
    assert worker["scrape_interval"] == "10s"
    assert worker["static_configs"][0]["targets"] == ["worker:9464"]
    down = YAML(typ="safe").load(files[RULES])["groups"][0]["rules"][0]
    assert down["alert"] == "TargetDown"
    assert "worker" in (promql.selectors(down["expr"])[0].values("job") or [])
    for board in ("api-health", "node-process"):
        dashboard = json.loads(files[f"infra/docker/grafana/dashboards/{board}.json"])
        jobs = dashboard["templating"]["list"][0]["query"].split(",")
        assert sorted(jobs) == ["pivotal-backend", "worker"]

    tree = write_tree(files, tmp_path / "tree")
    assert compose_model(tree, [INFRA, APP], SECRETS)["services"]["worker"]["expose"] == ["9464"]
    result = subprocess.run(
        [promtool(), "test", "rules", str(tree / RULE_TESTS)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "worker down" in (tree / RULE_TESTS).read_text()


def test_postgres_gets_its_pg_stat_statements_init_script(tmp_path: Path) -> None:
    tree = write_tree(render_profile(Project(REPO), "prod"), tmp_path)
    model = compose_model(tree, [INFRA], SECRETS)
    (mounted,) = model["services"]["postgres"]["configs"]
    assert mounted["target"] == "/docker-entrypoint-initdb.d/10-pg-stat-statements.sql"
    content = model["configs"][mounted["source"]]["content"]
    assert content == "CREATE EXTENSION IF NOT EXISTS pg_stat_statements;\n"
    assert "shared_preload_libraries=pg_stat_statements" in model["services"]["postgres"]["command"]


@pytest.mark.parametrize("evaluation_interval", ["30s", "5m", "98m"])
def test_target_down_tests_wait_for_a_long_evaluation_interval(
    evaluation_interval: str, tmp_path: Path
) -> None:
    """Found by test_properties_render.py: the TargetDown cases checked at for+3m,
    before an evaluation_interval of 5m had evaluated the rule a second time."""
    server = {
        "layer": "infrastructure",
        "image": "busybox:1.37",
        "expose": [1],
        "metrics": {},
        **COMPLIANT,
    }
    spec = {
        "project": "p",
        "services": {"prom": server},
        "monitoring": {
            "prometheus": "prom",
            "runbook_url": "https://runbooks.example/{alert}",
            "evaluation_interval": evaluation_interval,
        },
    }
    (tmp_path / "profiles").mkdir()
    (tmp_path / "profiles" / "plain.yaml").write_text("")
    (tmp_path / "pivotal.yaml").write_text(json.dumps(spec))
    tree = write_tree(render_profile(Project(tmp_path), "plain"), tmp_path / "tree")
    result = subprocess.run(
        [promtool(), "test", "rules", str(tree / RULE_TESTS)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
