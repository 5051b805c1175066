"""Bind mounts stay inside the repo, and never hand a container the Docker socket.

A bind mount of `/`, `/etc` or `./../../etc` gives the container the host's files to
read or, without `:ro`, to change; the Docker socket gives it the host outright (it can
start a privileged container). What a service needs from the host belongs in the repo,
next to the spec: a bind mount's source is read relative to the spec's folder,
lexically, as Compose joins it.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from pivotal_gen.checks.rules.base import Rule, Violation
from pivotal_gen.checks.rules.compose_values import DOCKER_SOCKETS, outside
from pivotal_gen.model.spec import Spec


def _check(spec: Spec) -> Iterator[Violation]:
    for name, service in spec.services.items():
        for index, volume in enumerate(service.volumes):
            if not volume.is_bind:
                continue
            path = ("services", name, "volumes", index)
            if posixpath.normpath(volume.source) in DOCKER_SOCKETS:
                message = "mounts the Docker socket, which gives the container the host"
                yield Violation(path, message, name)
            elif outside(volume.source):
                message = (
                    f"bind-mounts {volume.source!r}, outside the repo; keep what the service "
                    "needs next to the spec, or use a named volume"
                )
                yield Violation(path, message, name)


RULE = Rule(
    "bind-mounts",
    "bind mounts stay inside the repo; none of the Docker socket",
    _check,
)
