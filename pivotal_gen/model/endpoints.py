"""Where a service answers an HTTP health check: the one place that knows.

A service with `http:` says so itself (`http.port`, `http.health`). The programs some
metrics kinds name have a health path of their own, on the port they are scraped on;
those paths are facts about the programs, kept here and nowhere else.
"""

from __future__ import annotations

from pivotal_gen.model.images import HealthEndpoint
from pivotal_gen.model.service import Service

# The health path of the program a metrics kind names, served on its metrics port:
# Prometheus and Alertmanager answer /-/healthy, Grafana /api/health.
KIND_HEALTH: dict[str, str] = {
    "prometheus": "/-/healthy",
    "alertmanager": "/-/healthy",
    "grafana": "/api/health",
}


def health_endpoint(service: Service) -> HealthEndpoint | None:
    """The service's HTTP health endpoint: from `http`, else from its metrics kind."""
    if service.http is not None:
        return service.http.endpoint
    if service.metrics is not None and service.metrics_port is not None:
        path = KIND_HEALTH.get(service.metrics.kind)
        if path is not None:
            return HealthEndpoint(service.metrics_port, path)
    return None
