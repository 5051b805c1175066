"""The Alertmanager dashboard: notifications sent and failed per integration, and the
alerts and silences behind them.

Metric names and the `integration` label are Alertmanager's own; the slow rehearsal
(tests/rehearsal/test_alerting.py) reads them from a running Alertmanager's /metrics.
Counts per hour rather than rates: a notification is a rare event.
"""

from __future__ import annotations

from pivotal_gen.targets.grafana.panels import Panel, Query, S, selector_with, stat, timeseries

SENT = "alertmanager_notifications_total"
FAILED = "alertmanager_notifications_failed_total"


def _per_hour(metric: str) -> str:
    return f"sum by (integration) (increase({metric}{S}[1h]))"


def alertmanager() -> list[Panel]:
    active = selector_with('state="active"')
    latency = (
        "histogram_quantile(0.95, sum by (le, integration) "
        f"(rate(alertmanager_notification_latency_seconds_bucket{S}[5m])))"
    )
    return [
        stat("Notifications sent (1h)", Query(f"sum(increase({SENT}{S}[1h]))")),
        stat(
            "Notifications failed (1h)",
            Query(f"sum(increase({FAILED}{S}[1h]))"),
            description="Alerts that reached nobody through that integration: see the log.",
        ),
        stat("Alerts active", Query(f"sum(alertmanager_alerts{active})")),
        stat("Silences active", Query(f"sum(alertmanager_silences{active})")),
        timeseries(
            "Notifications sent per hour, by integration",
            Query(_per_hour(SENT), "{{integration}}"),
            description="Every attempt Alertmanager made, failed ones included.",
        ),
        timeseries(
            "Notifications failed per hour, by integration",
            Query(_per_hour(FAILED), "{{integration}}"),
        ),
        timeseries(
            "Notification latency p95, by integration", Query(latency, "{{integration}}"), unit="s"
        ),
        timeseries(
            "Alerts by state",
            Query(f"sum by (state) (alertmanager_alerts{S})", "{{state}}"),
        ),
    ]
