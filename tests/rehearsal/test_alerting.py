"""Rehearsal: the rendered production Prometheus and Alertmanager files, run for real.

Debian's Prometheus (2.42) loads the rendered prometheus.yml and alert rules, scrapes
itself and Alertmanager, and finds the other jobs down; TargetDown fires, reaches
Debian's Alertmanager (0.25) running the rendered alertmanager.yml through the rendered
Compose entrypoint and command, and the on-call receiver's webhook and Slack notifications arrive at
an HTTP receiver in this test.

Stand-ins, each for one reason, and nothing else is changed:
  prometheus.yml   targets: prometheus and alertmanager -> their loopback ports, every
                   other job -> a closed loopback port; alerting target -> Alertmanager's
                   loopback port; scrape_interval and evaluation_interval -> 1s (speed).
                   No Prometheus 3 field needs standing in: 2.42 reads the file as is.
  alerts.yml       TargetDown `for: 1m` -> 0s (speed; the rest of the rules as rendered).
  secrets          /run/secrets -> a temp folder holding the receiver's URLs and a dummy
                   SMTP password, in the files the entrypoint checks and the config reads.
  alertmanager.yml webhook url_file -> url of the test's receiver (0.25 has no url_file);
                   smarthost -> a closed loopback port (no mail leaves the machine);
                   group_wait -> 0s, group_interval -> 1s (speed).
  entrypoint       the image's /bin/alertmanager -> Debian's program.
  command          --config.file, --storage.path -> the temp folder;
                   --web.listen-address -> a loopback port.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from pivotal_gen.layout import (
    ALERTMANAGER_CONFIG,
    COMPOSE_DIR,
    GRAFANA_DASHBOARDS,
    INFRA_FILE,
    PROMETHEUS_CONFIG,
)
from pivotal_gen.layout import RULES_FILE as RULES_IN_CONFIG
from pivotal_gen.project import Project
from pivotal_gen.sync.plan import render_profile
from tests.alerting import SECRETS_IN_CONTAINER, stand_in_entrypoint, stand_in_url_files
from tests.compose import unescape
from tests.conftest import REPO, write_tree
from tests.known_metrics import ALERTMANAGER, PROMETHEUS
from tests.rehearsal.prometheus import rules, serve_prometheus, stand_in_config, values
from tests.rehearsal.servers import free_port, running, wait_until
from tests.rehearsal.web import StubHttp, answers, get_text, posted_json, stub_http
from tests.tools import debian_program

pytestmark = pytest.mark.slow

RULES = f"{COMPOSE_DIR}/{RULES_IN_CONFIG}"
ONCALL_PATH, SLACK_PATH = "/oncall", "/slack"


def _load(files: dict[str, bytes], path: str) -> Any:
    return YAML(typ="safe").load(files[path])


def _rules_stand_ins(rules: dict[str, Any]) -> None:
    (down,) = [r for g in rules["groups"] for r in g["rules"] if r["alert"] == "TargetDown"]
    assert down["for"] == "1m"  # the spec's, stood in
    down["for"] = "0s"


def _alertmanager_stand_ins(
    config: dict[str, Any], secrets: Path, sink: StubHttp, closed: int
) -> None:
    """Secrets in the `secrets` folder instead of /run/secrets, each filled with what the
    receiver reading it needs; mail to a closed port; no waiting before notifying."""
    receiver = f"http://127.0.0.1:{sink.port}"
    secrets.mkdir()

    def fill(path: str, value: str) -> str:
        assert path.startswith(SECRETS_IN_CONTAINER), path
        stood = secrets / path.removeprefix(SECRETS_IN_CONTAINER)
        stood.write_text(value)
        return str(stood)

    for path in stand_in_url_files(config, receiver + ONCALL_PATH):  # the on-call webhook
        fill(path, receiver + ONCALL_PATH)
    for entry in config["receivers"]:
        for slack in entry.get("slack_configs", []):
            slack["api_url_file"] = fill(slack["api_url_file"], receiver + SLACK_PATH)
        for mail in entry.get("email_configs", []):
            mail["auth_password_file"] = fill(mail["auth_password_file"], "rehearsal-only")
            mail["smarthost"] = f"127.0.0.1:{closed}"
    config["route"] |= {"group_wait": "0s", "group_interval": "1s"}


def _entrypoint_stand_ins(entrypoint: list[str], secrets: Path) -> list[str]:
    shell, flag, script, name = (unescape(part) for part in entrypoint)
    alertmanager = debian_program("prometheus-alertmanager", "prometheus-alertmanager")
    return [shell, flag, stand_in_entrypoint(script, secrets, alertmanager), name]


def _command_stand_ins(command: list[str], folder: Path, port: int) -> list[str]:
    replaced = {
        "--config.file": str(folder / "alertmanager.yml"),
        "--storage.path": str(folder / "alertmanager-data"),
        "--web.listen-address": f"127.0.0.1:{port}",
    }
    flags = [flag.split("=", 1)[0] for flag in command]
    assert set(replaced) <= set(flags), command
    return [f"{flag}={replaced[flag]}" if flag in replaced else arg
            for flag, arg in zip(flags, command, strict=True)]  # fmt: skip


def _write_yaml(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data))  # JSON is YAML


def _firing(sink: StubHttp, path: str) -> list[dict[str, Any]]:
    """The notifications at `path` whose alerts include a firing TargetDown."""
    found = []
    for body in posted_json(sink, path):
        if isinstance(body, dict) and any(
            a.get("labels", {}).get("alertname") == "TargetDown" and a.get("status") == "firing"
            for a in body.get("alerts", [])
        ):
            found.append(body)
    return found


def _slack_firing(sink: StubHttp) -> list[dict[str, Any]]:
    """The Slack messages announcing a firing TargetDown (Slack's own payload)."""
    found = []
    for body in posted_json(sink, SLACK_PATH):
        if isinstance(body, dict) and body["attachments"][0]["title"].startswith(
            "[FIRING] TargetDown"
        ):
            found.append(body)
    return found


def test_a_down_target_pages_oncall_through_the_rendered_files(tmp_path: Path) -> None:
    files = render_profile(Project(REPO), "prod")
    tree = write_tree(files, tmp_path / "tree")
    am_port, prom_port, closed = free_port(), free_port(), free_port()
    ports = {"prometheus": prom_port, "alertmanager": am_port}

    config = stand_in_config(files, tree, ports, closed)
    rendered_rules = _load(files, RULES)
    _rules_stand_ins(rendered_rules)
    _write_yaml(tree / RULES, rendered_rules)

    with stub_http(lambda _request: (200, [], b"")) as sink:
        manager = _load(files, ALERTMANAGER_CONFIG)
        _alertmanager_stand_ins(manager, tmp_path / "secrets", sink, closed)
        _write_yaml(tmp_path / "alertmanager.yml", manager)
        service = _load(files, INFRA_FILE)["services"]["alertmanager"]
        alertmanager_argv = [
            *_entrypoint_stand_ins(service["entrypoint"], tmp_path / "secrets"),
            *_command_stand_ins(service["command"], tmp_path, am_port),
        ]
        # Both are stopped by PID when the block ends, whatever happened in it.
        with (
            running(alertmanager_argv, log=tmp_path / "alertmanager.log",
                    ready=lambda: answers(f"http://127.0.0.1:{am_port}/-/healthy")),
            serve_prometheus(tree / PROMETHEUS_CONFIG, tmp_path, prom_port) as prometheus,
        ):  # fmt: skip
            # Every rule loaded and evaluated without an error.
            def evaluated() -> bool:
                return all(rule["health"] != "unknown" for rule in rules(prometheus))

            wait_until(evaluated, "every rule to be evaluated", log=tmp_path / "prometheus.log")
            loaded = rules(prometheus)
            assert len(loaded) == sum(len(g["rules"]) for g in rendered_rules["groups"])
            for rule in loaded:
                assert (rule["health"], rule.get("lastError", "")) == ("ok", ""), rule

            # Prometheus and Alertmanager are scraped; every other job is down.
            def scraped() -> dict[str, float]:
                return values(prometheus, "up")

            wait_until(lambda: len(scraped()) == len(config["scrape_configs"]), "every job")
            assert {job for job, up in scraped().items() if up == 1} == set(ports)

            # TargetDown fires and reaches on-call: the webhook, and Slack.
            wait_until(lambda: bool(_firing(sink, ONCALL_PATH) and _slack_firing(sink)),
                       "TargetDown at the on-call webhook and Slack",
                       log=tmp_path / "alertmanager.log")  # fmt: skip
            notice = _firing(sink, ONCALL_PATH)[0]
            assert notice["status"] == "firing"
            assert notice["receiver"] == "oncall"
            assert notice["commonLabels"]["severity"] == "critical"
            assert notice["externalURL"] == "http://localhost:9093"
            (alert,) = notice["alerts"]
            assert alert["annotations"]["summary"].endswith(" is down")
            # The rendered Slack message: its channel, and each alert's summary and runbook.
            slack = _slack_firing(sink)[0]
            assert slack["channel"] == "#pivotal-flow-alerts"
            text = slack["attachments"][0]["text"]
            assert text.startswith("*") and " is down*\n" in text
            assert "|Runbook>" in text and "alerts#targetdown" in text

            # The names the dashboard and the alerts use are the ones these programs expose.
            exposed = get_text(f"http://127.0.0.1:{am_port}/metrics")
            for name in sorted(ALERTMANAGER):
                assert f"\n{name}{{" in exposed or f"\n{name} " in exposed, name
            own = get_text(f"{prometheus}/metrics")
            for name in sorted(PROMETHEUS):
                assert f"\n{name}{{" in own or f"\n{name} " in own, name

            # The dashboard's panels chart them: its own queries, on what Prometheus scraped.
            def panel(title: str) -> dict[str, float]:
                (query,) = panels[title]
                expr = query.replace("$job", "alertmanager").replace("$instance", ".+")
                return values(prometheus, expr, by="integration")

            board = json.loads(files[f"{GRAFANA_DASHBOARDS}/alertmanager.json"])
            panels = {p["title"]: [t["expr"] for t in p["targets"]] for p in board["panels"]}
            sent = "Notifications sent per hour, by integration"
            wait_until(lambda: panel(sent).get("webhook", 0) > 0 < panel(sent).get("slack", 0),
                       "the sent panel to count the webhook and Slack")  # fmt: skip
            failed = panel("Notifications failed per hour, by integration")
            assert set(failed) >= {"webhook", "slack", "email"}
            assert set(failed.values()) == {0}
