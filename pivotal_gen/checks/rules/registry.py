"""Every policy rule, in the order their findings are reported. A new rule is one
module exporting RULE, and one line here."""

from __future__ import annotations

from pivotal_gen.checks.rules import (
    bind_mounts,
    bounded_logs,
    grafana_admin_password,
    healthcheck,
    image_pinned,
    no_literal_secret,
    non_root,
    pg_isready_tcp,
    prod_alerts_delivered,
    prod_private_metrics,
    prod_private_ports,
    prod_resource_limits,
    prod_restart,
)
from pivotal_gen.checks.rules.base import Rule

RULES: tuple[Rule, ...] = (
    image_pinned.RULE,
    healthcheck.RULE,
    pg_isready_tcp.RULE,
    non_root.RULE,
    bind_mounts.RULE,
    bounded_logs.RULE,
    no_literal_secret.RULE,
    grafana_admin_password.RULE,
    prod_private_ports.RULE,
    prod_private_metrics.RULE,
    prod_resource_limits.RULE,
    prod_restart.RULE,
    prod_alerts_delivered.RULE,
)
