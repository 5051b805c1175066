"""Grafana provisioning: the Prometheus datasource, a dashboard provider, the dashboards.

Compose mounts the provisioning folder and the dashboards folder read-only
where Grafana reads them (layout.py); the provider's path is that mount.
"""

from __future__ import annotations

from typing import Any

from pivotal_gen.formats.comments import comment_header
from pivotal_gen.formats.json import to_json
from pivotal_gen.formats.yaml import to_yaml
from pivotal_gen.layout import (
    GRAFANA_DASHBOARDS,
    GRAFANA_DASHBOARDS_IN_CONTAINER,
    GRAFANA_PROVISIONING,
)
from pivotal_gen.model.interpolation import escape
from pivotal_gen.model.monitoring import Monitoring
from pivotal_gen.model.monitoring_plan import scrape_jobs
from pivotal_gen.model.spec import Spec
from pivotal_gen.targets.context import RenderContext
from pivotal_gen.targets.grafana.dashboards import DASHBOARDS
from pivotal_gen.targets.grafana.panels import dashboard

NAME = "grafana"
DATASOURCES_FILE = f"{GRAFANA_PROVISIONING}/datasources/prometheus.yml"
PROVIDERS_FILE = f"{GRAFANA_PROVISIONING}/dashboards/dashboards.yml"


def render(ctx: RenderContext) -> dict[str, bytes]:
    spec = ctx.spec
    monitoring = spec.monitoring
    if monitoring is None or monitoring.grafana is None:
        return {}
    header = comment_header(ctx.header_lines())
    uid = monitoring.datasource.uid
    files = {
        DATASOURCES_FILE: to_yaml(_no_env(_datasources(spec, monitoring)), header),
        PROVIDERS_FILE: to_yaml(_no_env(_providers(spec)), header),
    }
    jobs = scrape_jobs(spec)
    for board in DASHBOARDS:
        charted = [job.name for job in jobs if job.kind == board.kind]
        if not charted:
            continue  # nothing of this kind is scraped: the dashboard would be empty
        files[f"{GRAFANA_DASHBOARDS}/{board.slug}.json"] = to_json(
            dashboard(
                uid=f"{spec.project}-{board.slug}"[:40],
                title=board.title,
                tags=[spec.project, board.kind],
                datasource=uid,
                jobs=charted,
                panels=board.panels(),
            )
        )
    return files


def _datasources(spec: Spec, monitoring: Monitoring) -> dict[str, Any]:
    port = spec.services[monitoring.prometheus].listens_on[0]  # checks/monitoring.py: it has one
    return {
        "apiVersion": 1,
        "prune": True,  # a datasource removed from the spec is removed from Grafana
        "datasources": [
            {
                "name": monitoring.datasource.name,
                "type": "prometheus",
                "uid": monitoring.datasource.uid,
                "access": "proxy",
                "url": f"http://{monitoring.prometheus}:{port}",
                "isDefault": True,
                "editable": False,
                "jsonData": {
                    "httpMethod": "POST",
                    "timeInterval": monitoring.scrape_interval,
                    "prometheusType": "Prometheus",
                },
            }
        ],
    }


def _providers(spec: Spec) -> dict[str, Any]:
    return {
        "apiVersion": 1,
        "providers": [
            {
                "name": spec.project,
                "orgId": 1,
                "folder": spec.project,
                "type": "file",
                "disableDeletion": False,
                "allowUiUpdates": False,
                "updateIntervalSeconds": 30,
                "options": {"path": GRAFANA_DASHBOARDS_IN_CONTAINER},
            }
        ],
    }


def _no_env(data: Any) -> Any:
    """Grafana expands $VAR in provisioning files: every literal `$` is written `$$`."""
    if isinstance(data, dict):
        return {key: _no_env(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_no_env(item) for item in data]
    return escape(data) if isinstance(data, str) else data
