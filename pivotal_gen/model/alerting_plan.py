"""What the spec's Alertmanager means once computed: its port, its command and entrypoint,
the file behind each secret it reads, and the address Prometheus sends alerts to.

The Compose, Prometheus and Alertmanager targets and the checks read this one view,
so a port or a path is decided once.
"""

from __future__ import annotations

from pivotal_gen.layout import ALERTMANAGER_CONFIG_IN_CONTAINER, ALERTMANAGER_DATA_IN_CONTAINER
from pivotal_gen.model import interpolation
from pivotal_gen.model.alerting import Alertmanager
from pivotal_gen.model.secrets import refuse_blank
from pivotal_gen.model.service import Service
from pivotal_gen.model.spec import Spec

# The program of the prom/alertmanager image (its ENTRYPOINT), which has busybox's sh.
PROGRAM_IN_IMAGE = "/bin/alertmanager"


def alertmanager(spec: Spec) -> Alertmanager | None:
    return spec.monitoring.alertmanager if spec.monitoring is not None else None


def _server(spec: Spec) -> tuple[Alertmanager, Service] | None:
    """The Alertmanager settings and the service running them, when both exist."""
    settings = alertmanager(spec)
    if settings is None or settings.service not in spec.services:
        return None
    return settings, spec.services[settings.service]


def port(spec: Spec) -> int | None:
    """The port Alertmanager listens on: the first its service declares."""
    server = _server(spec)
    ports = server[1].listens_on if server is not None else []
    return ports[0] if ports else None


def target(spec: Spec) -> str | None:
    """`service:port` on the Compose network, where Prometheus sends alerts."""
    settings, listening = alertmanager(spec), port(spec)
    if settings is None or listening is None:
        return None
    return f"{settings.service}:{listening}"


def serves(spec: Spec, service: str) -> bool:
    """Whether `service` runs the spec's Alertmanager."""
    settings = alertmanager(spec)
    return settings is not None and settings.service == service


def command(spec: Spec, service: str) -> list[str] | None:
    """The flags the Alertmanager service runs with (the image's entrypoint is the program),
    in the spec's own syntax: literal flags, every `$` doubled."""
    settings = alertmanager(spec)
    listening = port(spec) if serves(spec, service) else None
    if settings is None or listening is None:
        return None
    flags = [
        f"--config.file={ALERTMANAGER_CONFIG_IN_CONTAINER}",
        f"--storage.path={ALERTMANAGER_DATA_IN_CONTAINER}",
        f"--web.listen-address=:{listening}",
        f"--web.external-url={settings.external_url}",
        # Links use the external URL; the routes stay at / whatever its path, so the
        # healthcheck, the scrape and Prometheus's pushes need no prefix (a proxy strips it).
        "--web.route-prefix=/",
        # One instance: no gossip port, and no wait for peers before the first notification.
        "--cluster.listen-address=",
    ]
    return [interpolation.escape(flag) for flag in flags]


def secret_files(spec: Spec) -> dict[str, str]:
    """Secret name -> the file Alertmanager reads it from, for each secret its service mounts."""
    server = _server(spec)
    return server[1].secret_files if server is not None else {}


def entrypoint(spec: Spec, service: str) -> list[str] | None:
    """For an Alertmanager that reads secrets: a shell that refuses to start while one of
    them is empty, naming where the deployer fills it, then runs the image's program
    with the flags (spec syntax).

    Alertmanager reads a `*_file` only when it notifies, so a secret left blank in .env
    would otherwise show only as failed notifications, long after the deploy passed.
    """
    files = secret_files(spec) if serves(spec, service) else {}
    if not files:
        return None
    lines = ["set -eu"]
    for name, path in sorted(files.items(), key=lambda item: item[1]):
        source = spec.secrets.get(name)
        where = (
            f"{source.environment} in .env"
            if source is not None and source.environment is not None
            else f"the file of secret {name}"
        )
        lines.append(refuse_blank(path, f"alertmanager: {path} is empty: set {where}"))
    lines.append(f'exec {PROGRAM_IN_IMAGE} "$@"')
    # `alertmanager` is the script's $0, named in the shell's own messages.
    return ["sh", "-c", interpolation.escape("\n".join(lines)), "alertmanager"]
