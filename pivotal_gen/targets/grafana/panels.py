"""Small builders for Grafana's dashboard JSON model (schemaVersion 41), as data.

A dashboard is a list of panels laid out left to right on Grafana's 24-column
grid; ids, refIds and gridPos are assigned here, so builders only say what to
chart. Every query goes to one datasource, named by uid.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from typing import Any

SCHEMA_VERSION = 41
GRID_WIDTH = 24

# Every query is narrowed to the dashboard's $job and $instance variables.
S = '{job=~"$job",instance=~"$instance"}'
RATE = "$__rate_interval"


def selector_with(labels: str) -> str:
    """The dashboard's selector with more matchers: `{job=~..., instance=~..., a="b"}`."""
    return S[:-1] + "," + labels + "}"


@dataclass(frozen=True)
class Query:
    expr: str
    legend: str = "__auto"
    table: bool = False  # an instant query whose result is shown as a table


@dataclass(frozen=True)
class Panel:
    kind: str  # timeseries | stat | table
    title: str
    queries: tuple[Query, ...]
    unit: str = "short"
    description: str = ""
    width: int = 12
    height: int = 8
    options: dict[str, Any] = field(default_factory=dict)
    transformations: tuple[dict[str, Any], ...] = ()


def timeseries(title: str, *queries: Query, unit: str = "short", description: str = "") -> Panel:
    options = {
        "legend": {"displayMode": "table", "placement": "bottom", "showLegend": True,
                   "calcs": ["mean", "max", "lastNotNull"]},
        "tooltip": {"mode": "multi", "sort": "desc"},
    }  # fmt: skip
    return Panel("timeseries", title, queries, unit, description, options=options)


def stat(title: str, query: Query, *, unit: str = "short", description: str = "") -> Panel:
    options = {
        "reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False},
        "colorMode": "value", "graphMode": "area", "justifyMode": "auto",
        "orientation": "auto", "textMode": "auto",
    }  # fmt: skip
    return Panel("stat", title, (query,), unit, description, width=6, height=4, options=options)


def table(title: str, query: Query, *, unit: str, value_name: str, description: str = "") -> Panel:
    """An instant query as a sorted table, its value column named `value_name`."""
    options = {"showHeader": True, "sortBy": [{"displayName": value_name, "desc": True}]}
    organize = {
        "id": "organize",
        "options": {"excludeByName": {"Time": True}, "renameByName": {"Value": value_name}},
    }
    return Panel(
        "table", title, (Query(query.expr, query.legend, table=True),), unit, description,
        width=24, options=options, transformations=(organize,),
    )  # fmt: skip


def datasource_ref(uid: str) -> dict[str, str]:
    return {"type": "prometheus", "uid": uid}


def job_variable(jobs: list[str]) -> dict[str, Any]:
    """`$job`: the scrape jobs this dashboard charts, all selected by default."""
    options = [{"text": "All", "value": "$__all", "selected": True}] + [
        {"text": job, "value": job, "selected": False} for job in jobs
    ]
    return {
        "type": "custom", "name": "job", "label": "Job", "query": ",".join(jobs),
        "options": options, "current": {"text": ["All"], "value": ["$__all"]},
        "multi": True, "includeAll": True, "hide": 0,
    }  # fmt: skip


def instance_variable(uid: str) -> dict[str, Any]:
    """`$instance`: the targets of the selected jobs, read from Prometheus."""
    query = 'label_values(up{job=~"$job"}, instance)'
    return {
        "type": "query", "name": "instance", "label": "Instance",
        "datasource": datasource_ref(uid),
        "query": {"query": query, "refId": "PrometheusVariableQueryEditor-VariableQuery"},
        "definition": query, "refresh": 2, "sort": 1,
        "current": {"text": ["All"], "value": ["$__all"]},
        "multi": True, "includeAll": True, "hide": 0,
    }  # fmt: skip


def dashboard(
    *, uid: str, title: str, tags: list[str], datasource: str, jobs: list[str], panels: list[Panel]
) -> dict[str, Any]:
    return {
        "uid": uid,
        "title": title,
        "tags": tags,
        "timezone": "browser",
        "editable": False,
        "graphTooltip": 1,
        "time": {"from": "now-1h", "to": "now"},
        "refresh": "30s",
        "schemaVersion": SCHEMA_VERSION,
        "version": 1,
        "fiscalYearStartMonth": 0,
        "liveNow": False,
        "links": [],
        "annotations": {"list": []},
        "templating": {"list": [job_variable(jobs), instance_variable(datasource)]},
        "panels": _laid_out(panels, datasource),
    }


def _laid_out(panels: list[Panel], uid: str) -> list[dict[str, Any]]:
    """Place panels left to right, wrapping at the grid's width; ids count from 1."""
    placed: list[dict[str, Any]] = []
    x = y = row_height = 0
    for number, panel in enumerate(panels, start=1):
        if x + panel.width > GRID_WIDTH:
            x, y, row_height = 0, y + row_height, 0
        placed.append(
            _panel(number, panel, uid, {"h": panel.height, "w": panel.width, "x": x, "y": y})
        )
        x += panel.width
        row_height = max(row_height, panel.height)
    return placed


def _panel(number: int, panel: Panel, uid: str, grid: dict[str, int]) -> dict[str, Any]:
    source = datasource_ref(uid)
    targets = []
    for ref_id, query in zip(string.ascii_uppercase, panel.queries, strict=False):
        target: dict[str, Any] = {
            "refId": ref_id, "datasource": source, "expr": query.expr,
            "legendFormat": query.legend, "editorMode": "code",
        }  # fmt: skip
        if query.table:
            target.update(format="table", instant=True, range=False)
        else:
            target.update(range=True)
        targets.append(target)
    defaults: dict[str, Any] = {"unit": panel.unit, "color": {"mode": "palette-classic"}}
    if panel.kind == "stat":
        defaults["color"] = {"mode": "thresholds"}
        defaults["thresholds"] = {"mode": "absolute", "steps": [{"color": "green", "value": None}]}
    result: dict[str, Any] = {
        "id": number,
        "type": panel.kind,
        "title": panel.title,
        "gridPos": grid,
        "datasource": source,
        "targets": targets,
        "fieldConfig": {"defaults": defaults, "overrides": []},
        "options": panel.options,
    }
    if panel.description:
        result["description"] = panel.description
    if panel.transformations:
        result["transformations"] = list(panel.transformations)
    return result
