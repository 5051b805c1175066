"""Health endpoints: from `http:`, else from the metrics kind, whatever the service's name.
(tests/rehearsal/test_health_paths.py asks the real programs for the kinds' paths.)"""

from __future__ import annotations

from typing import Any

import pytest

from pivotal_gen.model.endpoints import health_endpoint
from pivotal_gen.model.images import HealthEndpoint
from pivotal_gen.model.service import Service


def _service(**fields: Any) -> Service:
    return Service.model_validate({"layer": "infrastructure", "image": "x:1", **fields})


@pytest.mark.parametrize(
    ("fields", "endpoint"),
    [
        ({"http": {"port": 3000, "health": "/health"}}, HealthEndpoint(3000, "/health")),
        ({"metrics": {"kind": "prometheus", "port": 9091}}, HealthEndpoint(9091, "/-/healthy")),
        ({"expose": [3030], "metrics": {"kind": "grafana"}}, HealthEndpoint(3030, "/api/health")),
        (  # a service's own http wins over what its kind would say
            {"http": {"port": 8080, "health": "/ok"}, "metrics": {"kind": "grafana"}},
            HealthEndpoint(8080, "/ok"),
        ),
        ({"expose": [9187], "metrics": {"kind": "postgres"}}, None),  # an exporter
        ({"expose": [9000], "metrics": {"kind": "generic"}}, None),
        ({"expose": [9000]}, None),
    ],
)
def test_the_health_endpoint(fields: dict[str, Any], endpoint: HealthEndpoint | None) -> None:
    assert health_endpoint(_service(**fields)) == endpoint


def test_urls_inside_the_container_and_from_a_published_base() -> None:
    endpoint = HealthEndpoint(9090, "/-/healthy")
    assert endpoint.url() == "http://127.0.0.1:9090/-/healthy"
    assert endpoint.url("http://localhost:19090") == "http://localhost:19090/-/healthy"
