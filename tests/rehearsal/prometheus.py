"""Prometheus on loopback for the rehearsal tests: Debian's program on the rendered
prometheus.yml, with what only the Compose network has stood in, and its HTTP API."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ruamel.yaml import YAML

from pivotal_gen.layout import PROMETHEUS_CONFIG
from tests.rehearsal.servers import running
from tests.rehearsal.web import answers, get_json
from tests.tools import debian_program


def stand_in_config(
    files: dict[str, bytes], tree: Path, ports: dict[str, int], closed: int
) -> dict[str, Any]:
    """The rendered prometheus.yml, written in `tree` where it was rendered (its rule_files
    stay relative to it) with these stand-ins: each job's target -> the loopback port
    `ports` gives for the job, else the `closed` port (nothing to scrape here); the
    alerting target -> the port of `ports["alertmanager"]`, else the closed one;
    scrape_interval and evaluation_interval -> 1s (speed). Returns what it wrote."""
    config: dict[str, Any] = YAML(typ="safe").load(files[PROMETHEUS_CONFIG])
    config["global"] |= {"scrape_interval": "1s", "evaluation_interval": "1s"}
    for job in config["scrape_configs"]:
        job.pop("scrape_interval", None)  # the backend's own 15s: 1s like the rest
        port = ports.get(job["job_name"], closed)
        for static in job["static_configs"]:
            static["targets"] = [f"127.0.0.1:{port}"]
    (manager,) = config["alerting"]["alertmanagers"]
    manager["static_configs"] = [{"targets": [f"127.0.0.1:{ports.get('alertmanager', closed)}"]}]
    (tree / PROMETHEUS_CONFIG).write_text(json.dumps(config))  # JSON is YAML
    return config


def prometheus_argv(config: Path, data: Path, port: int) -> list[str]:
    """Debian's prometheus on `config`, its storage in `data`, listening on loopback."""
    return [
        debian_program("prometheus", "prometheus"),
        f"--config.file={config}",
        f"--storage.tsdb.path={data}",
        f"--web.listen-address=127.0.0.1:{port}",
    ]


@contextlib.contextmanager
def serve_prometheus(config: Path, folder: Path, port: int) -> Iterator[str]:
    """Prometheus on `config` until the block ends, its data and log in `folder`; yields
    its URL once it is ready."""
    url = f"http://127.0.0.1:{port}"
    argv = prometheus_argv(config, folder / "prometheus-data", port)
    with running(argv, log=folder / "prometheus.log", ready=lambda: answers(f"{url}/-/ready")):
        yield url


def query(prometheus: str, expr: str) -> list[dict[str, Any]]:
    """The result of an instant query: one entry per series, its labels and value."""
    data: Any = get_json(f"{prometheus}/api/v1/query?query={quote(expr)}")
    assert data["status"] == "success", data
    result: list[dict[str, Any]] = data["data"]["result"]
    return result


def values(prometheus: str, expr: str, *, by: str = "job") -> dict[str, float]:
    """An instant query's values by one label, which each series has and none shares."""
    result = query(prometheus, expr)
    found = {r["metric"][by]: float(r["value"][1]) for r in result}
    assert len(found) == len(result), (expr, result)
    return found


def rules(prometheus: str) -> list[dict[str, Any]]:
    """Every rule Prometheus loaded, as its API reports it (health, state, last run)."""
    data: Any = get_json(f"{prometheus}/api/v1/rules")
    return [rule for group in data["data"]["groups"] for rule in group["rules"]]
