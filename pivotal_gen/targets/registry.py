"""Every output target, in the order they render. mypy checks each module against the
Target protocol: a target without `NAME` or with another `render` signature fails it."""

from __future__ import annotations

from pivotal_gen.targets import (
    alertmanager,
    compose,
    dockerfiles,
    env_example,
    grafana,
    nginx,
    prometheus,
    scripts,
)
from pivotal_gen.targets.context import Target

TARGETS: tuple[Target, ...] = (
    compose,
    env_example,
    prometheus,
    alertmanager,
    grafana,
    dockerfiles,
    nginx,
    scripts,
)
