"""In production, no database, cache or monitoring port is published on all interfaces.

The infrastructure layer (PostgreSQL, Redis, Prometheus, Grafana, the
exporters) has no authentication worth exposing; bind it to an address
(127.0.0.1 for an SSH tunnel or a reverse proxy) or do not publish it.
"""

from __future__ import annotations

from collections.abc import Iterator

from pivotal_gen.checks.rules.base import Rule, Violation
from pivotal_gen.model.spec import Spec

_ALL_INTERFACES = (None, "0.0.0.0", "::", "[::]")


def _check(spec: Spec) -> Iterator[Violation]:
    for name, service in spec.services.items():
        if service.layer != "infrastructure":
            continue
        for index, port in enumerate(service.ports):
            if port.published is not None and port.host_ip in _ALL_INTERFACES:
                message = (
                    f"publishes port {port.published} on all interfaces; bind it to "
                    "host_ip 127.0.0.1 or remove it"
                )
                yield Violation(("services", name, "ports", index), message, name)


RULE = Rule(
    "prod-private-ports",
    "in production, infrastructure ports are published on a bound address only",
    _check,
    production_only=True,
)
