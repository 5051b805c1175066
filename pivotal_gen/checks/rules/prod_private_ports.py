"""In production, no database, cache or monitoring port is published on all interfaces.

The infrastructure layer (PostgreSQL, Redis, Prometheus, Grafana, the
exporters) has no authentication worth exposing; bind it to an address
(127.0.0.1 for an SSH tunnel or a reverse proxy, or one private interface's
address; only 127.0.0.1 for the port its metrics are on, as prod-private-metrics
requires) or do not publish it. Every spelling of all interfaces counts (unset, "",
`::0`, `0:0:0:0:0:0:0:0`, `::ffff:0.0.0.0`), and so does a public address.
"""

from __future__ import annotations

from collections.abc import Iterator

from pivotal_gen.checks.rules.base import Rule, Violation
from pivotal_gen.checks.rules.compose_values import address_problem
from pivotal_gen.model.spec import Spec


def _check(spec: Spec) -> Iterator[Violation]:
    for name, service in spec.services.items():
        if service.layer != "infrastructure":
            continue
        for index, port in enumerate(service.ports):
            problem = address_problem(port.host_ip)
            if port.published is None or not problem:
                continue
            if service.metrics is not None and port.target == service.metrics_port:
                # prod-private-metrics refuses a private interface's address here.
                bound = "127.0.0.1 (it serves metrics, which stay on this host)"
            else:
                bound = "127.0.0.1 (or one private interface's address)"
            message = f"publishes port {port.published} {problem}; bind it to host_ip {bound}"
            yield Violation(("services", name, "ports", index), f"{message} or remove it", name)


RULE = Rule(
    "prod-private-ports",
    "in production, infrastructure ports are published on a bound address only",
    _check,
    production_only=True,
)
