"""Checks of `monitoring.alertmanager` against the rest of the spec: the service that
runs it, the receivers its routes name, and the secrets its receivers read."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pivotal_gen.checks.monitoring import served_by
from pivotal_gen.checks.secrets import undeclared
from pivotal_gen.errors import suggest
from pivotal_gen.layout import ALERTMANAGER_DATA_IN_CONTAINER
from pivotal_gen.model.alerting import Alertmanager, RootRoute, Route
from pivotal_gen.model.alerting_plan import alertmanager, secret_files
from pivotal_gen.model.spec import Spec
from pivotal_gen.source.paths import DataPath, Finding

HERE: DataPath = ("monitoring", "alertmanager")


def check_alerting(spec: Spec, raw: Any) -> Iterator[Finding]:
    settings = alertmanager(spec)
    if settings is None:
        return
    yield from _service(spec, settings)
    yield from _routes(settings.route, (*HERE, "route"), list(settings.receivers))
    yield from _secrets(spec, settings)


def _service(spec: Spec, settings: Alertmanager) -> Iterator[Finding]:
    name = settings.service
    reaching = "Prometheus cannot send it alerts; add 9093 to expose"
    yield from served_by(spec, name, (*HERE, "service"), reaching)
    service = spec.services.get(name)
    if service is None:
        return
    if not any(volume.target == ALERTMANAGER_DATA_IN_CONTAINER for volume in service.volumes):
        yield (
            ("services", name, "volumes") if service.volumes else ("services", name),
            f"Alertmanager keeps silences and the notification log in "
            f"{ALERTMANAGER_DATA_IN_CONTAINER}; mount a named volume there "
            f"(alertmanager-data:{ALERTMANAGER_DATA_IN_CONTAINER}) so that a restart keeps them",
        )


def _routes(route: RootRoute | Route, path: DataPath, receivers: list[str]) -> Iterator[Finding]:
    if route.receiver not in receivers:
        yield (
            (*path, "receiver"),
            f"receiver {route.receiver!r} is not under monitoring.alertmanager.receivers"
            f"{suggest(route.receiver, receivers)}",
        )
    for index, branch in enumerate(route.routes):
        yield from _routes(branch, (*path, "routes", index), receivers)


def _secrets(spec: Spec, settings: Alertmanager) -> Iterator[Finding]:
    mounted = secret_files(spec)
    for name, receiver in settings.receivers.items():
        for sub, secret in receiver.secrets():
            path: DataPath = (*HERE, "receivers", name, *sub)
            if secret not in spec.secrets:
                yield path, undeclared(spec, secret)
            elif settings.service in spec.services and secret not in mounted:
                yield (
                    path,
                    f"{settings.service!r} does not mount secret {secret!r}, so Alertmanager "
                    f"cannot read it; add it to services.{settings.service}.secrets",
                )
