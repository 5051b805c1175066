"""Checks of Compose secrets: each mounted secret is declared, its source is a secret
variable of the deployer's `.env`, and Compose can mount it where the service asks."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pivotal_gen.errors import suggest
from pivotal_gen.model.spec import Spec
from pivotal_gen.source.paths import DataPath, Finding


def check_secrets(spec: Spec, raw: Any) -> Iterator[Finding]:
    yield from _sources(spec)
    for name, service in spec.services.items():
        paths: dict[str, int] = {}
        for index, secret in enumerate(service.secrets):
            here: DataPath = ("services", name, "secrets", index)
            source = spec.secrets.get(secret.source)
            if source is None:
                yield here, undeclared(spec, secret.source)
                continue
            if service.read_only and source.environment is not None:
                # Compose writes an environment secret into the container's filesystem,
                # which a read-only root refuses: `up` fails (Compose 2.33.1 and newer).
                yield (
                    here,
                    (
                        f"secret {secret.source!r} comes from the environment, which Compose "
                        "cannot write into a read_only container; use a `file:` source or "
                        "drop read_only"
                    ),
                )
            first = paths.setdefault(secret.path, index)
            if first != index:
                yield here, f"{secret.path} is already the target of secrets[{first}]"


def undeclared(spec: Spec, secret: str) -> str:
    return f"secret {secret!r} is not declared under secrets:{suggest(secret, list(spec.secrets))}"


def _sources(spec: Spec) -> Iterator[Finding]:
    for name, source in spec.secrets.items():
        variable_name = source.environment
        if variable_name is None:
            continue
        here: DataPath = ("secrets", name, "environment")
        variable = spec.variables.get(variable_name)
        if variable is None:
            hint = suggest(variable_name, list(spec.variables))
            yield here, f"{variable_name} is not declared under variables:{hint}"
        elif not variable.secret:
            # A secret variable is required from .env and never given a default, so the
            # secret file can never hold a value written in the repo.
            yield here, f"variables.{variable_name} must be `secret: true` to fill a secret"
