"""In production, firing alerts reach someone.

Prometheus evaluating alerts that go nowhere is a quiet failure: every dashboard is
green until the outage nobody was told about. A production profile with monitoring
needs `monitoring.alertmanager`, and its root route (what no branch takes) must end at
a receiver that notifies: one with a webhook, e-mail or Slack config. A branch may
still send some alerts to a receiver without integrations on purpose.
"""

from __future__ import annotations

from collections.abc import Iterator

from pivotal_gen.checks.rules.base import Rule, Violation
from pivotal_gen.model.spec import Spec


def _check(spec: Spec) -> Iterator[Violation]:
    monitoring = spec.monitoring
    if monitoring is None:
        return
    settings = monitoring.alertmanager
    if settings is None:
        message = "alerts reach nobody: set monitoring.alertmanager (its service, route and "
        yield Violation(("monitoring",), message + "receivers)")
        return
    name = settings.route.receiver
    receiver = settings.receivers.get(name)
    if receiver is not None and not receiver.notifies:  # an unknown one is a check's error
        yield Violation(
            ("monitoring", "alertmanager", "route", "receiver"),
            f"alerts routed to {name!r} reach nobody: it has no webhook_configs, "
            "email_configs or slack_configs",
            settings.service,
        )


RULE = Rule(
    "prod-alerts-delivered",
    "in production, alerts reach a receiver that notifies someone",
    _check,
    production_only=True,
)
