"""Checks of the monitoring spec against the rest: services, ports, jobs, PromQL, tests.

Like checks.py, each check yields (path, message) and the caller locates the
path, so a bad expression is reported at its line in the spec or profile.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from pivotal_gen.errors import suggest
from pivotal_gen.model import promql
from pivotal_gen.model.monitoring import LABEL_TEMPLATE, Alert, Monitoring
from pivotal_gen.model.monitoring_plan import mounts, scrape_jobs
from pivotal_gen.model.spec import Spec
from pivotal_gen.source.paths import DataPath, Finding

_TEMPLATE = re.compile(r"\{\{.*?\}\}", re.DOTALL)


def check_monitoring(spec: Spec, raw: Any) -> Iterator[Finding]:
    yield from _scrape_ports(spec)
    yield from _jobs(spec)
    monitoring = spec.monitoring
    if monitoring is None:
        return
    yield from _monitoring_services(spec, monitoring)
    yield from _mount_clashes(spec)
    jobs = [job.name for job in scrape_jobs(spec)]
    for group, alerts in monitoring.alerts.items():
        for name, alert in alerts.items():
            path: DataPath = ("monitoring", "alerts", group, name)
            yield from _alert(path, alert, jobs)


def _scrape_ports(spec: Spec) -> Iterator[Finding]:
    for name, service in spec.services.items():
        if service.metrics is None:
            continue
        port = service.metrics_port
        path: DataPath = ("services", name, "metrics")
        if port is None:
            yield path, "metrics needs a port: the service has no ports or expose"
        elif service.metrics.port is not None and port not in service.listens_on:
            listed = ", ".join(map(str, service.listens_on)) or "none"
            yield (
                (*path, "port"),
                f"{name} does not listen on {port} (ports, expose, http: {listed}); "
                f"add {port} to expose",
            )


def _jobs(spec: Spec) -> Iterator[Finding]:
    seen: dict[str, str] = {}
    for job in scrape_jobs(spec):
        if job.name in seen:
            explicit = spec.services[job.service].metrics
            where: DataPath = ("services", job.service, "metrics")
            yield (
                (*where, "job") if explicit is not None and explicit.job else where,
                f"scrape job {job.name!r} is already the job of {seen[job.name]!r}; "
                "set metrics.job",
            )
        seen.setdefault(job.name, job.service)


def _monitoring_services(spec: Spec, monitoring: Monitoring) -> Iterator[Finding]:
    reaching = "Grafana's datasource cannot reach it"
    yield from served_by(spec, monitoring.prometheus, ("monitoring", "prometheus"), reaching)
    if monitoring.grafana is not None:
        yield from served_by(spec, monitoring.grafana, ("monitoring", "grafana"))


def served_by(spec: Spec, name: str, where: DataPath, reaching: str = "") -> Iterator[Finding]:
    """`name`, named at `where`, is a service of the spec; if `reaching` says who must
    reach it, the service listens on a port."""
    service = spec.services.get(name)
    if service is None:
        yield where, f"unknown service {name!r}{suggest(name, list(spec.services))}"
    elif reaching and not service.listens_on:
        yield where, f"{name!r} listens on no port (ports, expose or http), so {reaching}"


def _mount_clashes(spec: Spec) -> Iterator[Finding]:
    """A volume of the user's over a generated mount would hide the rendered files."""
    for name, service in spec.services.items():
        generated = {m.target: m.source for m in mounts(spec, name)}
        for index, volume in enumerate(service.volumes):
            if volume.target in generated:
                yield (
                    ("services", name, "volumes", index),
                    f"{volume.target} is where pivotal-gen mounts {generated[volume.target]}; "
                    "remove this volume",
                )


def _alert(path: DataPath, alert: Alert, jobs: list[str]) -> Iterator[Finding]:
    try:
        expr = promql.substitute(alert.expr, alert.params)
        selectors = promql.selectors(expr)
    except promql.PromQLError as exc:
        yield (*path, "expr"), str(exc)
        selectors = []
    for selector in selectors:
        for job in selector.values("job") or []:
            if job not in jobs:
                yield (*path, "expr"), f"job {job!r} is not a scrape job{suggest(job, jobs)}"
    for key in ("summary", "description"):
        for template in _TEMPLATE.findall(getattr(alert, key)):
            if not LABEL_TEMPLATE.fullmatch(template):
                yield (
                    (*path, key),
                    f"{template} is not allowed: annotations may use {{{{ $labels.NAME }}}} "
                    "only, so that alert tests can predict them",
                )
        if "{{" in _TEMPLATE.sub("", getattr(alert, key)):
            yield (*path, key), "'{{' is not closed by '}}' (Prometheus reads it as a template)"
    yield from _cases(path, alert)


def _cases(path: DataPath, alert: Alert) -> Iterator[Finding]:
    firing = [case for case in alert.tests if case.fires]
    if not firing or len(firing) == len(alert.tests):
        yield (
            (*path, "tests") if alert.tests else path,
            "an alert needs tests: at least one case that fires and one that does not (fires: [])",
        )
    for index, case in enumerate(alert.tests):
        for series in case.series:
            where: DataPath = (*path, "tests", index, "series", series)
            try:
                if not promql.is_series(series):
                    yield where, f'{series!r} is not one series (metric{{label="value"}})'
            except promql.PromQLError as exc:
                yield where, str(exc)
            wrong = promql.series_values_error(case.series[series])
            if wrong is not None:
                yield where, wrong
