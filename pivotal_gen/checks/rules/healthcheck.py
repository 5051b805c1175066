"""Every long-running service has a healthcheck.

Without one, Compose reports a hung service as running, `up --wait` cannot
wait for it and dependents cannot use `service_healthy`.
"""

from __future__ import annotations

from collections.abc import Iterator

from pivotal_gen.checks.rules.base import Rule, Violation, long_running
from pivotal_gen.model.spec import Spec


def _check(spec: Spec) -> Iterator[Violation]:
    for name, service in long_running(spec):
        if service.healthcheck is None:
            if service.http is not None:
                hint = "healthcheck: {} (its test comes from http.health)"
            else:
                hint = "healthcheck: {test: [CMD, ...]}"
            message = f"runs without a healthcheck; add {hint}"
            yield Violation(("services", name), message, name)


RULE = Rule("healthcheck", "every long-running service has a healthcheck", _check)
