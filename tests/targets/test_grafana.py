"""Grafana provisioning and dashboards: structure, datasource, and every query."""

from __future__ import annotations

import functools
import json
import re
from typing import Any

import pytest
from ruamel.yaml import YAML

from pivotal_gen.layout import GRAFANA_DASHBOARDS
from pivotal_gen.model import promql
from pivotal_gen.project import Project
from pivotal_gen.sync.plan import render_profile
from pivotal_gen.targets.grafana import DATASOURCES_FILE, PROVIDERS_FILE
from pivotal_gen.targets.grafana.panels import GRID_WIDTH, SCHEMA_VERSION
from tests.conftest import REPO
from tests.known_metrics import BY_KIND, SYNTHETIC

PROFILES = Project(REPO).profiles
UNITS = {"short", "reqps", "ops", "percentunit", "s", "bytes", "rowsps"}
EXPECTED = {
    "api-health": "node", "database": "postgres", "redis": "redis", "node-process": "node",
    "alertmanager": "alertmanager",
}  # fmt: skip


@functools.cache
def _files(profile: str) -> dict[str, bytes]:
    """One render per profile for all the tests here (they only read it)."""
    return render_profile(Project(REPO), profile)


def _dashboards(profile: str) -> dict[str, Any]:
    files = _files(profile)
    return {
        path.rsplit("/", 1)[1].removesuffix(".json"): json.loads(data)
        for path, data in files.items()
        if path.startswith(GRAFANA_DASHBOARDS + "/")
    }


def _uid(profile: str) -> str:
    files = _files(profile)
    sources = YAML(typ="safe").load(files[DATASOURCES_FILE])["datasources"]
    assert len(sources) == 1
    uid: str = sources[0]["uid"]
    return uid


def _refs(node: Any) -> list[Any]:
    """Every `datasource` value anywhere in a dashboard."""
    if isinstance(node, dict):
        found = [node["datasource"]] if "datasource" in node else []
        return found + [ref for value in node.values() for ref in _refs(value)]
    if isinstance(node, list):
        return [ref for item in node for ref in _refs(item)]
    return []


def test_the_five_dashboards_are_provisioned() -> None:
    boards = _dashboards("prod")
    assert set(boards) == set(EXPECTED)
    assert {b["title"] for b in boards.values()} == {
        "API Health", "Database", "Redis", "Node Process", "Alertmanager"
    }  # fmt: skip
    assert len({b["uid"] for b in boards.values()}) == 5


@pytest.mark.parametrize("profile", PROFILES)
def test_dashboards_are_well_formed(profile: str) -> None:
    for name, board in _dashboards(profile).items():
        assert board["schemaVersion"] == SCHEMA_VERSION
        assert re.fullmatch(r"[a-z0-9-]{8,40}", board["uid"]), name
        cells: set[tuple[int, int]] = set()
        ids = [panel["id"] for panel in board["panels"]]
        assert len(ids) == len(set(ids)), name
        for panel in board["panels"]:
            grid = panel["gridPos"]
            assert grid["x"] >= 0 and grid["w"] >= 1 and grid["x"] + grid["w"] <= GRID_WIDTH
            assert grid["h"] > 0 and grid["y"] >= 0
            here = {
                (x, y)
                for x in range(grid["x"], grid["x"] + grid["w"])
                for y in range(grid["y"], grid["y"] + grid["h"])
            }
            assert not here & cells, f"{name}: {panel['title']} overlaps another panel"
            cells |= here
            ref_ids = [target["refId"] for target in panel["targets"]]
            assert all(ref_ids) and len(ref_ids) == len(set(ref_ids)), panel["title"]
            assert panel["fieldConfig"]["defaults"]["unit"] in UNITS, panel["title"]


@pytest.mark.parametrize("profile", PROFILES)
def test_every_datasource_reference_is_the_provisioned_one(profile: str) -> None:
    uid = _uid(profile)
    for board in _dashboards(profile).values():
        refs = _refs(board)
        assert refs, "panels name their datasource"
        assert all(ref == {"type": "prometheus", "uid": uid} for ref in refs), refs


def test_every_query_parses_and_uses_metrics_the_stack_exposes() -> None:
    for name, board in _dashboards("prod").items():
        known = BY_KIND[EXPECTED[name]] | SYNTHETIC
        for panel in board["panels"]:
            for target in panel["targets"]:
                # Grafana's own variables: a range, and regexes of the chosen values.
                expr = target["expr"].replace("$__rate_interval", "1m")
                for selector in promql.selectors(expr):
                    assert selector.metric in known, f"{name}/{panel['title']}: {selector}"
                    labels = {label for label, _, _ in selector.matchers}
                    assert {"job", "instance"} <= labels, f"{name}/{panel['title']}: {expr}"


def test_job_variable_lists_the_jobs_of_the_dashboards_kind() -> None:
    boards = _dashboards("prod")
    jobs = {name: board["templating"]["list"][0] for name, board in boards.items()}
    assert jobs["api-health"]["query"] == "pivotal-backend"
    assert jobs["node-process"]["query"] == "pivotal-backend"
    assert jobs["database"]["query"] == "postgres"
    assert jobs["redis"]["query"] == "redis"
    assert jobs["alertmanager"]["query"] == "alertmanager"


def test_datasource_points_at_the_prometheus_service() -> None:
    files = _files("prod")
    source = YAML(typ="safe").load(files[DATASOURCES_FILE])["datasources"][0]
    assert source["url"] == "http://prometheus:9090"
    assert source["isDefault"] is True and source["access"] == "proxy"
    provider = YAML(typ="safe").load(files[PROVIDERS_FILE])["providers"][0]
    assert provider["type"] == "file"
    assert provider["options"]["path"] == "/etc/grafana/dashboards"
