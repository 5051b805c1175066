"""Values the generated files use that no file writes: derived from another key.

`explain` shows them with the key they come from. Each entry mirrors a rule of the
model (service.py): a port's target and the healthcheck's test come from `http:`, the
metrics port from `http.port` or the first port, the scrape job from the service name;
the command and the healthcheck's test of a Redis from `redis:`, its maxmemory from the
memory limit; the Alertmanager service's command and entrypoint from
`monitoring.alertmanager`.
"""

from __future__ import annotations

from typing import Any

from pivotal_gen.model import alerting_plan
from pivotal_gen.model.redis import memory_text
from pivotal_gen.model.service import Service
from pivotal_gen.model.spec import Spec
from pivotal_gen.source.paths import DataPath

# path -> (value, the path it is derived from)
Derived = dict[DataPath, tuple[Any, DataPath]]


def derived_values(spec: Spec, data: Any) -> Derived:
    """The derived values of the validated `spec`; `data` is the merged document it was
    validated from, to tell a written value from a derived one."""
    found: Derived = {}
    services = data.get("services") if isinstance(data, dict) else None
    for name, service in spec.services.items():
        written = services.get(name) if isinstance(services, dict) else None
        if isinstance(written, dict):
            found.update(_of_service(("services", name), service, written))
    settings = alerting_plan.alertmanager(spec)
    if settings is not None:
        name = settings.service
        for key, value in (
            ("command", alerting_plan.command(spec, name)),
            ("entrypoint", alerting_plan.entrypoint(spec, name)),
        ):
            if value is not None:
                found[("services", name, key)] = (value, ("monitoring", "alertmanager"))
    return found


def _of_service(at: DataPath, service: Service, written: dict[str, Any]) -> Derived:
    found: Derived = {}
    if service.http is not None:
        entries = written.get("ports")
        for index, entry in enumerate(entries if isinstance(entries, list) else []):
            if isinstance(entry, dict) and "target" not in entry:
                found[(*at, "ports", index, "target")] = (service.http.port, (*at, "http", "port"))
        healthcheck = written.get("healthcheck")
        if isinstance(healthcheck, dict) and "test" not in healthcheck:
            found[(*at, "healthcheck", "test")] = (service.health_test, (*at, "http"))
    if service.redis is not None:
        found.update(_of_redis(at, service, written))
    metrics = written.get("metrics")
    if service.metrics is not None and isinstance(metrics, dict):
        if "job" not in metrics:
            found[(*at, "metrics", "job")] = (at[-1], at)
        port = service.metrics_port
        if "port" not in metrics and port is not None:
            found[(*at, "metrics", "port")] = (port, _port_source(at, service, written, port))
    return found


def _of_redis(at: DataPath, service: Service, written: dict[str, Any]) -> Derived:
    found: Derived = {}
    recipe: DataPath = (*at, "redis")
    if "command" not in written:
        found[(*at, "command")] = (service.start_command, recipe)
    healthcheck = written.get("healthcheck")
    if isinstance(healthcheck, dict) and "test" not in healthcheck:
        found[(*at, "healthcheck", "test")] = (service.health_test, recipe)
    maxmemory = service.maxmemory
    redis = written.get("redis")
    if isinstance(redis, dict) and "maxmemory" not in redis and maxmemory is not None:
        limit = (*at, "deploy", "resources", "limits", "memory")
        found[(*recipe, "maxmemory")] = (memory_text(maxmemory), limit)
    return found


def _port_source(at: DataPath, service: Service, written: dict[str, Any], port: int) -> DataPath:
    """Which key declares the container port the metrics are scraped on."""
    if service.http is not None:
        return (*at, "http", "port")
    for index, entry in enumerate(service.ports):
        if entry.target == port:
            return (*at, "ports", index)
    expose = written.get("expose")
    if isinstance(expose, list) and port in expose:
        return (*at, "expose", expose.index(port))
    return at


def run_command(spec: Spec, name: str) -> list[str] | str | None:
    """The command a service runs: the Alertmanager service's flags, which the stack
    decides (model/alerting_plan.py), else its written or redis-derived command."""
    generated = alerting_plan.command(spec, name)
    return generated if generated is not None else spec.services[name].start_command


def run_entrypoint(spec: Spec, name: str) -> list[str] | str | None:
    """The entrypoint a service runs: the Alertmanager's secrets check, else its own."""
    generated = alerting_plan.entrypoint(spec, name)
    return generated if generated is not None else spec.services[name].entrypoint


def generated_fields(spec: Spec, name: str) -> dict[str, tuple[DataPath, str]]:
    """The fields of service `name` the stack writes itself, whatever the spec says:
    field -> (the key they come from, what the generated value does). run_command and
    run_entrypoint give the values; a spec that writes one of these fields is refused."""
    fields: dict[str, tuple[DataPath, str]] = {}
    if spec.services[name].redis is not None:
        runs = "the image's docker-entrypoint.sh runs redis-server with the password and limits"
        for field in ("command", "entrypoint"):
            fields[field] = (("services", name, "redis"), runs)
    if alerting_plan.serves(spec, name):
        settings: DataPath = ("monitoring", "alertmanager")
        fields["command"] = (settings, "config file, storage, listen address, external URL")
        fields["entrypoint"] = (settings, "the image's, behind a check that its secrets are set")
    return fields
