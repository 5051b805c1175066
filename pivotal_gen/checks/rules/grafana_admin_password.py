"""Grafana's admin password is never its default.

Unset, Grafana creates `admin` with the password `admin`; a default in the
spec ends up in .env.example, which is as public as the repo. The password
must come from a secret variable (no default) or a file (`__FILE`).
"""

from __future__ import annotations

from collections.abc import Iterator

from pivotal_gen.checks.rules.base import Rule, Violation
from pivotal_gen.model import interpolation
from pivotal_gen.model.spec import Spec

PASSWORD = "GF_SECURITY_ADMIN_PASSWORD"


def _grafana_services(spec: Spec) -> list[str]:
    named = spec.monitoring.grafana if spec.monitoring is not None else None
    images = [
        name
        for name, service in spec.services.items()
        if (service.image or "").split(":")[0].split("/")[-1] in ("grafana", "grafana-oss")
    ]
    return list(dict.fromkeys([*([named] if named in spec.services else []), *images]))


def _check(spec: Spec) -> Iterator[Violation]:
    for name in _grafana_services(spec):
        environment = spec.services[name].environment
        if f"{PASSWORD}__FILE" in environment:
            continue
        if PASSWORD not in environment:
            message = f"Grafana starts with the password 'admin': set {PASSWORD}: ${{VARIABLE}}"
            yield Violation(("services", name, "environment"), f"{message} (secret: true)", name)
            continue
        value = str(environment[PASSWORD])
        try:
            pieces = interpolation.parse(value)
        except interpolation.InterpolationError:
            continue  # reported as an interpolation error
        path = ("services", name, "environment", PASSWORD)
        if interpolation.has_literal(pieces):
            message = "a literal admin password; write ${VARIABLE} (secret: true)"
            yield Violation(path, message, name)
        for piece in pieces:
            if isinstance(piece, str):
                continue
            variable = spec.variables.get(piece.name)
            if variable is not None and (not variable.secret or variable.default is not None):
                message = f"variables.{piece.name} has a default, so the password can be that"
                yield Violation(path, f"{message}; make it secret: true with no default", name)


RULE = Rule(
    "grafana-admin-password",
    "Grafana's admin password comes from a secret, never a default",
    _check,
)
