"""Where the edge forwards the API: one answer for checks/edge.py and for nginx.conf."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pivotal_gen.model.edge import ApiProxy
from pivotal_gen.model.edge_plan import ApiUpstream, api_upstream
from pivotal_gen.model.spec import Spec
from tests.conftest import Run

HTTP = {"port": 3000, "health": "/health"}


def _spec(**service: Any) -> Spec:
    api = {"layer": "application", "image": "busybox:1.37", **service}
    return Spec.model_validate({"project": "p", "services": {"api": api}})


def test_the_port_is_the_apis_own_else_the_services_http_port() -> None:
    spec = _spec(http=HTTP, expose=[8080])

    assert api_upstream(spec, ApiProxy(service="api")) == ApiUpstream("api", 3000, None)
    assert api_upstream(spec, ApiProxy(service="api", port=8080)) == ApiUpstream("api", 8080, None)


def test_the_metrics_path_comes_with_the_port_that_serves_it() -> None:
    spec = _spec(http=HTTP, expose=[9464], metrics={"path": "/v1/metrics"})
    elsewhere = _spec(http=HTTP, expose=[9464], metrics={"path": "/metrics", "port": 9464})

    assert api_upstream(spec, ApiProxy(service="api")) == ApiUpstream("api", 3000, "/v1/metrics")
    assert api_upstream(spec, ApiProxy(service="api", port=9464)) == ApiUpstream("api", 9464, None)
    assert api_upstream(elsewhere, ApiProxy(service="api")) == ApiUpstream("api", 3000, None)
    assert api_upstream(elsewhere, ApiProxy(service="api", port=9464)) == ApiUpstream(
        "api", 9464, "/metrics"
    )


def test_no_upstream_without_a_declared_service_or_a_port() -> None:
    # A service with metrics and no port at all: its metrics port is unknown too.
    spec = _spec(metrics={"path": "/"})

    assert api_upstream(spec, ApiProxy(service="nope", port=3000)) is None
    assert api_upstream(spec, ApiProxy(service="api")) is None


def test_an_api_without_a_port_is_reported_once_and_not_as_metrics_on_port_none(
    project: Path, run: Run
) -> None:
    (project / "profiles" / "case.yaml").write_text(
        "services:\n"
        "  worker: {layer: application, image: busybox:1.37, metrics: {path: /}}\n"
        "  frontend: {depends_on: {worker: {condition: service_started}}}\n"
        "images:\n"
        "  frontend: {api: {service: worker}}\n"
    )

    result = run("validate", "--profile", "case")

    assert result.exit_code == 2
    about_the_api = [line for line in result.stderr.splitlines() if "frontend.api" in line]
    assert about_the_api == [
        "profiles/case.yaml:5:29: images.frontend.api.service: services.worker has no"
        " http.port: give api.port, the port it answers on"
    ]
