"""Where a static site's nginx forwards its API, once computed: the service, the port,
and the service's metrics path when that same port serves it.

checks/edge.py checks this against the services and targets/nginx.py writes it, so
both speak of the same port.
"""

from __future__ import annotations

from dataclasses import dataclass

from pivotal_gen.model.edge import ApiProxy
from pivotal_gen.model.spec import Spec


@dataclass(frozen=True)
class ApiUpstream:
    service: str
    port: int
    # The service's metrics path when it serves its metrics on `port`: reachable
    # through the edge unless nginx refuses it.
    metrics_path: str | None


def api_upstream(spec: Spec, api: ApiProxy) -> ApiUpstream | None:
    """The service and container port nginx forwards the API to: api.port, else the
    service's http.port. None when the service is not declared or has no port to give
    (checks/edge.py reports both)."""
    service = spec.services.get(api.service)
    if service is None:
        return None
    port = api.port if api.port is not None else service.http.port if service.http else None
    if port is None:
        return None
    metrics = service.metrics
    metrics_path = metrics.path if metrics is not None and service.metrics_port == port else None
    return ApiUpstream(api.service, port, metrics_path)
