"""In production, every long-running service restarts after a crash or a reboot."""

from __future__ import annotations

from collections.abc import Iterator

from pivotal_gen.checks.rules.base import Rule, Violation, long_running
from pivotal_gen.model.spec import Spec


def _check(spec: Spec) -> Iterator[Violation]:
    for name, service in long_running(spec):
        if service.restart in (None, "no"):
            message = "does not restart after a crash or a reboot; set restart: unless-stopped"
            yield Violation(("services", name), message, name)


RULE = Rule(
    "prod-restart",
    "in production, every long-running service has a restart policy",
    _check,
    production_only=True,
)
