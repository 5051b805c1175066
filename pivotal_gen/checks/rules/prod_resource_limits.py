"""In production, every service has memory and CPU limits.

Without a memory limit one leaking container takes the host's memory and the
kernel picks what to kill; without a CPU limit one busy service starves the rest.
"""

from __future__ import annotations

from collections.abc import Iterator

from pivotal_gen.checks.rules.base import Rule, Violation
from pivotal_gen.checks.rules.compose_values import zero_limit
from pivotal_gen.model.spec import Spec


def _check(spec: Spec) -> Iterator[Violation]:
    for name, service in spec.services.items():
        limits = service.deploy.resources.limits if service.deploy else None
        # Compose drops a zero limit: `cpus: 0` and `memory: 0` are no limit at all.
        missing = [
            key for key in ("memory", "cpus") if limits is None or zero_limit(getattr(limits, key))
        ]
        if missing:
            message = f"has no {' or '.join(missing)} limit; set deploy.resources.limits"
            yield Violation(("services", name), message, name)


RULE = Rule(
    "prod-resource-limits",
    "in production, every service has memory and CPU limits",
    _check,
    production_only=True,
)
