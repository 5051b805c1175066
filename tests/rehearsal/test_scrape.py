"""Rehearsal: Prometheus, with the rendered prod prometheus.yml and rules, scrapes the
exporters, run as rendered against a real PostgreSQL and a real Redis.

Debian's programs run the rendered files; what only the Compose network or a newer image
has is stood in, each named here:
  postgres-exporter  DATA_SOURCE_URI's `postgres:5432` -> the loopback cluster's port;
                     `--collector.stat_statements` dropped (postgres_exporter 0.11 lacks
                     the flag; the pinned image v0.20.1 has it); listens on a free port.
  redis, its exporter  as tests/rehearsal/redis.py stands them in (secret file,
                     port, host, entrypoint).
  prometheus.yml     each job's target -> the loopback port of what it scrapes (the jobs
                     with nothing to scrape here: a closed port); the alerting target ->
                     a closed port (no Alertmanager here); intervals -> 1s (speed).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest

from pivotal_gen.layout import PROMETHEUS_CONFIG
from pivotal_gen.project import Project
from pivotal_gen.sync.plan import render_profile
from tests.compose import APP, INFRA, SECRETS, compose_model, unescape
from tests.conftest import REPO, write_tree
from tests.known_metrics import POSTGRES, REDIS
from tests.rehearsal.postgres import postgres_cluster
from tests.rehearsal.prometheus import rules, serve_prometheus, stand_in_config, values
from tests.rehearsal.redis import PASSWORD, Rendered, redis_exporter, started
from tests.rehearsal.servers import free_port, running, stand_in, wait_until
from tests.rehearsal.web import get_json
from tests.tools import debian_program

pytestmark = pytest.mark.slow

# The alerts on the database and the cache, and the job whose series each one reads.
WATCHED = {"PostgresDown": "postgres", "RedisDown": "redis", "RedisMemoryNearLimit": "redis"}
SELECTOR = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*\{[^}]*\}")  # a metric with its labels
COMPARISON = re.compile(r"\s(?:==|!=|>=|<=|>|<)\s")


def _watched(prometheus: str) -> dict[str, dict[str, Any]]:
    """The WATCHED rules as Prometheus reports them, each loaded once."""
    found = [rule for rule in rules(prometheus) if rule["name"] in WATCHED]
    assert sorted(rule["name"] for rule in found) == sorted(WATCHED), found
    return {rule["name"]: rule for rule in found}


def _assert_watching(prometheus: str, log: Path) -> None:
    """Each WATCHED alert is alive: every series its expression reads has data for its job,
    and so has what it compares (the Redis memory ratio, say); Prometheus evaluates it
    after that without an error, and it is neither pending nor firing."""
    before = _watched(prometheus)
    for name, rule in before.items():
        job = WATCHED[name]
        for selector in SELECTOR.findall(rule["query"]):
            assert set(values(prometheus, selector)) == {job}, (name, selector)
        compared = COMPARISON.split(rule["query"], maxsplit=1)
        assert len(compared) == 2, rule["query"]
        assert set(values(prometheus, compared[0])) == {job}, (name, compared[0])

    def evaluated_again() -> bool:
        now = _watched(prometheus)
        return all(now[name]["lastEvaluation"] != before[name]["lastEvaluation"] for name in now)

    wait_until(evaluated_again, "the watched alerts to be evaluated again", log=log)
    for rule in _watched(prometheus).values():
        assert not rule["lastEvaluation"].startswith("0001-"), rule  # Go's zero time: never
        quiet = (rule["type"], rule["health"], rule.get("lastError", ""), rule["state"])
        assert quiet == ("alerting", "ok", "", "inactive"), rule
        assert rule["alerts"] == [], rule


def test_prometheus_scrapes_the_exporters_of_a_real_database_and_cache(tmp_path: Path) -> None:
    files = render_profile(Project(REPO), "prod")
    tree = write_tree(files, tmp_path / "tree")
    with postgres_cluster() as pg:
        env = {**SECRETS, "POSTGRES_USER": pg.superuser, "POSTGRES_PASSWORD": pg.password,
               "POSTGRES_DB": "postgres", "REDIS_PASSWORD": PASSWORD}  # fmt: skip
        services = compose_model(tree, [INFRA, APP], env)["services"]
        stack = Rendered(services)

        exporter = services["postgres-exporter"]
        pg_env = {key: unescape(value) for key, value in exporter["environment"].items()}
        pg_env["DATA_SOURCE_URI"] = stand_in(
            pg_env["DATA_SOURCE_URI"], "postgres:5432", f"127.0.0.1:{pg.port}"
        )
        flags = [flag for flag in exporter["command"] if flag != "--collector.stat_statements"]
        assert flags != exporter["command"]  # the stand-in replaced something
        pg_port = free_port()
        pg_argv = [debian_program("prometheus-postgres-exporter", "prometheus-postgres-exporter"),
                   *flags, f"--web.listen-address=127.0.0.1:{pg_port}"]  # fmt: skip
        clean = {"PATH": os.environ.get("PATH", ""), **pg_env}

        with (
            running(pg_argv, log=tmp_path / "postgres-exporter.log", port=pg_port, env=clean),
            started(stack, tmp_path / "redis", PASSWORD) as redis,
            redis_exporter(tmp_path, redis.exporter_env(stack)) as redis_port,
        ):
            prom_port, closed = free_port(), free_port()
            ports = {"postgres": pg_port, "redis": redis_port, "prometheus": prom_port}
            stand_in_config(files, tree, ports, closed)
            with serve_prometheus(tree / PROMETHEUS_CONFIG, tmp_path, prom_port) as prometheus:
                wait_until(
                    lambda: values(prometheus, "up").get("redis") == 1
                    and values(prometheus, "up").get("postgres") == 1,
                    "both exporters scraped", log=tmp_path / "prometheus.log",
                )  # fmt: skip
                # The exporters reach their servers, with the rendered credentials.
                assert values(prometheus, "pg_up") == {"postgres": 1}
                assert values(prometheus, "redis_up") == {"redis": 1}
                # The derived maxmemory is what Redis reports: RedisMemoryNearLimit can fire.
                (max_bytes,) = values(prometheus, "redis_memory_max_bytes").values()
                assert max_bytes == stack.memory_limit() * 3 // 4
                # The metric names the dashboards and alerts use for these jobs exist.
                names: Any = get_json(f"{prometheus}/api/v1/label/__name__/values")
                have = set(names["data"])
                assert REDIS - have == set(), REDIS - have
                # (but those of the stat_statements collector, whose flag is stood in)
                statements = {name for name in POSTGRES if name.startswith("pg_stat_statements")}
                assert POSTGRES - statements - have == set(), POSTGRES - have
                # The alerts on the database and the cache watch live series, and are quiet.
                _assert_watching(prometheus, tmp_path / "prometheus.log")
