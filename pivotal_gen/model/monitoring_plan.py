"""What the spec's monitoring means once computed: scrape jobs, alert rules, mounts.

The Prometheus and Grafana targets, the Compose target (for the mounts) and
the checks all read this one view, so a path or a job name is decided once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from pivotal_gen.layout import (
    ALERTMANAGER_CONFIG,
    ALERTMANAGER_CONFIG_IN_CONTAINER,
    GRAFANA_DASHBOARDS,
    GRAFANA_DASHBOARDS_IN_CONTAINER,
    GRAFANA_PROVISIONING,
    GRAFANA_PROVISIONING_IN_CONTAINER,
    PROMETHEUS_CONFIG,
    PROMETHEUS_CONFIG_IN_CONTAINER,
    PROMETHEUS_RULES_DIR,
    PROMETHEUS_RULES_IN_CONTAINER,
)
from pivotal_gen.model import promql
from pivotal_gen.model.fields import prom_seconds
from pivotal_gen.model.monitoring import LABEL_TEMPLATE, Alert, AlertCase
from pivotal_gen.model.spec import Spec

TARGET_DOWN_GROUP = "targets"
TARGET_DOWN_ALERT = "TargetDown"


@dataclass(frozen=True)
class Mount:
    source: str  # rendered path, relative to the output root
    target: str  # path in the container


def mounts(spec: Spec, service: str) -> list[Mount]:
    """The generated files a service reads, as read-only bind mounts."""
    monitoring = spec.monitoring
    if monitoring is None:
        return []
    found: list[Mount] = []
    if service == monitoring.prometheus:
        found += [
            Mount(PROMETHEUS_CONFIG, PROMETHEUS_CONFIG_IN_CONTAINER),
            Mount(PROMETHEUS_RULES_DIR, PROMETHEUS_RULES_IN_CONTAINER),
        ]
    if service == monitoring.grafana:
        found += [
            Mount(GRAFANA_PROVISIONING, GRAFANA_PROVISIONING_IN_CONTAINER),
            Mount(GRAFANA_DASHBOARDS, GRAFANA_DASHBOARDS_IN_CONTAINER),
        ]
    if monitoring.alertmanager is not None and service == monitoring.alertmanager.service:
        found.append(Mount(ALERTMANAGER_CONFIG, ALERTMANAGER_CONFIG_IN_CONTAINER))
    return found


@dataclass(frozen=True)
class ScrapeJob:
    name: str
    service: str
    kind: str
    target: str  # host:port on the shared network
    path: str
    interval: str | None  # None: the global scrape_interval


def scrape_jobs(spec: Spec) -> list[ScrapeJob]:
    """One job per service with metrics, in spec order."""
    jobs: list[ScrapeJob] = []
    prometheus = spec.monitoring.prometheus if spec.monitoring else None
    for name, service in spec.services.items():
        metrics = service.metrics
        port = service.metrics_port
        if metrics is None or port is None:
            continue
        host = "localhost" if name == prometheus else name  # Prometheus scrapes itself
        jobs.append(
            ScrapeJob(
                metrics.job or name,
                name,
                metrics.kind,
                f"{host}:{port}",
                metrics.path,
                metrics.interval,
            )
        )
    return jobs


@dataclass(frozen=True)
class Rule:
    """An alerting rule as Prometheus gets it: parameters substituted, labels complete."""

    group: str
    name: str
    expr: str
    for_: str
    labels: dict[str, str]
    annotations: dict[str, str]
    cases: tuple[AlertCase, ...]


def rule_groups(spec: Spec) -> dict[str, list[Rule]]:
    """Every alert, grouped: target-down for each scrape job first, then the spec's."""
    monitoring = spec.monitoring
    if monitoring is None:
        return {}
    groups: dict[str, list[Rule]] = {}
    down = monitoring.target_down
    jobs = scrape_jobs(spec)
    if jobs:  # one rule for every job; its tests take each job down in turn
        groups[TARGET_DOWN_GROUP] = [
            Rule(
                TARGET_DOWN_GROUP,
                TARGET_DOWN_ALERT,
                'up{job=~"' + "|".join(j.name.replace(".", "\\\\.") for j in jobs) + '"} == 0',
                down.for_,
                {"severity": down.severity},
                _annotations(
                    monitoring.runbook_url,
                    TARGET_DOWN_ALERT,
                    summary="{{ $labels.job }} target {{ $labels.instance }} is down",
                    description=(
                        "Prometheus cannot scrape {{ $labels.instance }} (job {{ $labels.job }}): "
                        "the service is down or its metrics endpoint does not answer."
                    ),
                ),
                tuple(
                    case
                    for job in jobs
                    for case in _target_down_cases(
                        job, prom_seconds(down.for_), prom_seconds(monitoring.evaluation_interval)
                    )
                ),
            )
        ]
    for group, alerts in monitoring.alerts.items():
        for name, alert in alerts.items():
            groups.setdefault(group, []).append(_rule(group, name, alert, monitoring.runbook_url))
    return groups


def _rule(group: str, name: str, alert: Alert, runbook_url: str) -> Rule:
    return Rule(
        group,
        name,
        promql.substitute(alert.expr.strip(), alert.params),
        alert.for_,
        {"severity": alert.severity, **alert.labels},
        _annotations(
            alert.runbook_url or runbook_url,
            name,
            summary=alert.summary.strip(),
            description=alert.description.strip(),
        ),
        tuple(alert.tests),
    )


def _annotations(runbook_url: str, alert: str, *, summary: str, description: str) -> dict[str, str]:
    return {
        "summary": summary,
        "description": description,
        "runbook_url": runbook_url.replace("{alert}", alert.lower()),
    }


def _target_down_cases(
    job: ScrapeJob, for_seconds: float, evaluation_seconds: float
) -> tuple[AlertCase, ...]:
    """A down target fires once `for:` has passed; an up one never does.

    promtool evaluates the rules every evaluation_interval from 0, so the alert
    fires at the first evaluation at least `for:` after the target went down;
    the check comes no earlier, however long the interval.
    """
    fires_at = for_seconds
    if evaluation_seconds > 0:
        fires_at = math.ceil(for_seconds / evaluation_seconds) * evaluation_seconds
    minutes = max(int(for_seconds // 60) + 3, math.ceil(fires_at / 60))
    labels = {"job": job.name, "instance": job.target}
    selector = "up{" + ",".join(f'{k}="{v}"' for k, v in labels.items()) + "}"
    at = f"{minutes}m"
    return (
        AlertCase(
            name=f"{job.name} down", series={selector: f"0x{minutes + 2}"}, at=at, fires=[labels]
        ),
        AlertCase(name=f"{job.name} up", series={selector: f"1x{minutes + 2}"}, at=at, fires=[]),
    )


def expected_annotations(rule: Rule, labels: dict[str, str]) -> dict[str, str]:
    """The annotations an alert with `labels` carries (label templates filled in)."""
    return {
        key: LABEL_TEMPLATE.sub(lambda m: labels.get(m.group(1), ""), text)
        for key, text in rule.annotations.items()
    }
