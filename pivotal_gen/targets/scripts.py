"""The platform's operational scripts under `scripts/`, from the same spec as the
Compose files: their file names, service names, ports and health paths.

Scripts run from the repo root (they cd there) and refer to secrets only by
name: Compose reads them from `.env`, the scripts never do.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pivotal_gen.formats.comments import comment_header
from pivotal_gen.formats.jinja import render_template
from pivotal_gen.layout import (
    APP_FILE,
    COMPOSE_DIR,
    INFRA_FILE,
    PROMETHEUS_CONFIG,
    RULE_TESTS_FILE,
)
from pivotal_gen.model.addresses import bound_address
from pivotal_gen.model.endpoints import health_endpoint
from pivotal_gen.model.images import StaticSiteImage
from pivotal_gen.model.service import Service
from pivotal_gen.model.spec import Spec
from pivotal_gen.targets.context import RenderContext

NAME = "scripts"

DEPLOY = "scripts/docker/deploy-apps.sh"
BUILD = "scripts/ci/build-docker.sh"
MIGRATE = "scripts/ci/db-migrate.sh"
SMOKE = "scripts/ci/api-smoke.sh"
PROMETHEUS_CHECK = "scripts/ci/prometheus-check.sh"
BUNDLE = "scripts/ci/bundle-analyze.sh"
BACKUP = "scripts/backup/container-backup.sh"
RESTORE = "scripts/backup/container-restore.sh"

# The command every script reaches the stack with; --env-file because Compose
# would otherwise look for .env beside the first file.
COMPOSE = ("docker", "compose", "--env-file", ".env", "-f", INFRA_FILE, "-f", APP_FILE)
INFRA_COMPOSE = ("docker", "compose", "--env-file", ".env", "-f", INFRA_FILE)


@dataclass(frozen=True)
class Probe:
    """An HTTP check run inside a service's container (busybox wget is in the image)."""

    service: str
    what: str
    url: str


@dataclass(frozen=True)
class Link:
    service: str
    url: str
    health: str


def render(ctx: RenderContext) -> dict[str, bytes]:
    spec = ctx.spec
    values = _values(spec)
    values["header"] = comment_header(ctx.header_lines()).rstrip("\n")
    scripts = [DEPLOY, BUILD, MIGRATE, SMOKE]
    if values["prometheus_image"] is not None:
        scripts.append(PROMETHEUS_CHECK)
    if values["reports"]:
        scripts.append(BUNDLE)
    if values["postgres"] is not None:
        scripts += [BACKUP, RESTORE]
    return {path: render_template(_template(path), **values) for path in scripts}


def _template(path: str) -> str:
    return path.removeprefix("scripts/").replace("/", "-") + ".j2"


def _values(spec: Spec) -> dict[str, Any]:
    services = spec.services
    frontends = [n for n, r in spec.images.items() if isinstance(r, StaticSiteImage)]
    application = [n for n, s in services.items() if s.layer == "application"]
    rest = [n for n, s in services.items() if s.layer != "application"]
    return {
        "compose": COMPOSE,
        "infra_compose": INFRA_COMPOSE,
        "infra": [n for n, s in services.items() if s.layer == "infrastructure"],
        "jobs": [n for n, s in services.items() if s.layer == "job"],
        "backends": [n for n in application if n not in frontends],
        "frontends": [n for n in application if n in frontends],
        "job_builds": [n for n, s in services.items() if s.layer == "job" and s.build],
        # The application first, as deploy-apps prints it.
        "probes": [p for name in [*application, *rest] for p in _probes(name, services[name])],
        # What deploy-apps started, then the rest of the stack a person can reach.
        "links": [link for name in application for link in _links(name, services[name])],
        "other_links": [link for name in rest for link in _links(name, services[name])],
        "postgres": _postgres(services),
        "prometheus_image": _prometheus_image(spec),
        "compose_dir": COMPOSE_DIR,
        "prometheus_config": PROMETHEUS_CONFIG,
        "rule_tests": f"{COMPOSE_DIR}/{RULE_TESTS_FILE}",
        "reports": [
            (name, recipe.dockerfile, recipe.analyze_report)
            for name, recipe in spec.images.items()
            if isinstance(recipe, StaticSiteImage) and recipe.analyze_report is not None
        ],
    }


def _probes(name: str, service: Service) -> list[Probe]:
    """Every health endpoint; and the metrics of the services that say `http:` (the
    others' images may have no wget, and Prometheus watches their metrics anyway)."""
    endpoint = health_endpoint(service)
    if endpoint is None:
        return []
    probes = [Probe(name, "health", endpoint.url())]
    if service.http is not None and service.metrics is not None:
        url = f"http://127.0.0.1:{service.metrics_port}{service.metrics.path}"
        probes.append(Probe(name, "metrics", url))
    return probes


def _links(name: str, service: Service) -> list[Link]:
    """Where a person reaches the service from the host, when its endpoint is published."""
    endpoint = health_endpoint(service)
    if endpoint is None:
        return []
    for port in service.ports:
        if port.target == endpoint.port and port.published is not None:
            host = "localhost" if bound_address(port.host_ip) is None else str(port.host_ip)
            host = f"[{host}]" if ":" in host else host
            base = f"http://{host}:{port.published}"
            return [Link(name, base, endpoint.url(base))]
    return []


def _postgres(services: dict[str, Service]) -> str | None:
    """The service running the official postgres image: the backup scripts' target."""
    for name, service in services.items():
        if service.image is not None and service.image.startswith("postgres:"):
            return name
    return None


def _prometheus_image(spec: Spec) -> str | None:
    """The image of the spec's Prometheus: its promtool matches the server's version."""
    if spec.monitoring is None:
        return None  # no prometheus.yml is rendered
    return spec.services[spec.monitoring.prometheus].image
