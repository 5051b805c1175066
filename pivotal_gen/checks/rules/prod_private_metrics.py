"""In production, no service publishes the port it serves metrics on beyond this host.

Prometheus scrapes on the Compose network and needs no published port. Metrics
unauthenticated on a reachable port tell anyone the routes, versions, load and
errors of the service. Only a loopback address is allowed (an SSH tunnel); a private
interface's address is beyond this host. Addresses are read as prod-private-ports
reads them: every spelling of all interfaces counts.
"""

from __future__ import annotations

from collections.abc import Iterator

from pivotal_gen.checks.rules.base import Rule, Violation
from pivotal_gen.checks.rules.compose_values import beyond_loopback
from pivotal_gen.model.spec import Spec


def _check(spec: Spec) -> Iterator[Violation]:
    for name, service in spec.services.items():
        port = service.metrics_port
        if service.metrics is None or port is None:
            continue
        for index, published in enumerate(service.ports):
            if published.target != port or published.published is None:
                continue
            problem = beyond_loopback(published.host_ip)
            if problem is None or published.protocol != "tcp":
                continue
            message = (
                f"publishes port {published.published} {problem}, and serves its metrics "
                f"({service.metrics.path}) there; Prometheus reads them on the Compose network: "
                "publish the port on 127.0.0.1 or not at all (a static site's api can forward "
                "the API), or move metrics to a port of their own (metrics.port), only exposed"
            )
            yield Violation(("services", name, "ports", index), message, name)


RULE = Rule(
    "prod-private-metrics",
    "in production, no service publishes its metrics port beyond this host",
    _check,
    production_only=True,
)
