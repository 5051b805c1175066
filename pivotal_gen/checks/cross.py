"""Checks that need the whole spec: references between services and variables.

Each check yields (path, message); the caller locates the path in the
merged document, so an error points at the profile line that caused it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from pivotal_gen.checks import edge as checks_edge
from pivotal_gen.checks import images as checks_images
from pivotal_gen.checks.alerting import check_alerting
from pivotal_gen.checks.generated import check_generated
from pivotal_gen.checks.monitoring import check_monitoring
from pivotal_gen.checks.redis import check_redis
from pivotal_gen.checks.secrets import check_secrets
from pivotal_gen.errors import suggest
from pivotal_gen.model import interpolation
from pivotal_gen.model.compose_reads import interpolated_strings
from pivotal_gen.model.configs import config_clashes, config_name
from pivotal_gen.model.spec import Spec
from pivotal_gen.model.variables import type_problem
from pivotal_gen.source.paths import DataPath, Finding

# Names that hold credentials, as the common images spell them (the list and the reasons
# are in docs/policy.md): the no-literal-secret rule refuses literals under them. A word
# is a credential anywhere in a name; PASS and PWD only as a word of their own (`PWD` alone
# is the shell's working directory); AUTH, SALT and PEPPER only last (`AUTH_ENABLED` and
# `SALT_ROUNDS` are settings).
_SECRET_WORDS = re.compile(
    r"PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|CREDENTIAL|PRIVATE_?KEY|API_?KEY|ACCESS_?KEY"
    r"|ERLANG_COOKIE|(?<![A-Z0-9])PASS(?![A-Z0-9])|(?<=_)PWD(?![A-Z0-9])"
    r"|(?<![A-Z0-9])(?:AUTH|SALT|PEPPER)$|^(?:REQUIREPASS|MASTERAUTH)$",
    re.IGNORECASE,
)
# `*_KEY` is a key (SECRET_KEY, ENCRYPTION_KEY, MASTER_KEY, ...) unless the word before
# says it names something else: a public key, a database or cache key, a TLS key's path.
_KEY_LAST = re.compile(r"(?:^|_)(?:(?P<before>[A-Z0-9]+)_)?KEY$", re.IGNORECASE)
NOT_A_SECRET_KEY = frozenset(
    {"PUBLIC", "PUBLISHABLE", "PRIMARY", "FOREIGN", "PARTITION", "SORT", "RANGE", "ROUTING"}
    | {"CACHE", "IDEMPOTENCY", "SHARD", "TLS", "SSL"}
)


def secret_name(name: str) -> bool:
    """Whether a variable or option called `name` holds a credential."""
    if _SECRET_WORDS.search(name):
        return True
    key = _KEY_LAST.search(name)
    return key is not None and (key["before"] or "").upper() not in NOT_A_SECRET_KEY


def check_spec(spec: Spec, raw: Any) -> list[Finding]:
    findings: list[Finding] = []
    checks = (
        _dependencies,
        _cycles,
        _published_ports,
        _environment,
        _variable_defaults,
        _config_names,
        _references,
        checks_images.http_defaults,
        checks_images.image_recipes,
        checks_edge.api_upstreams,
        check_monitoring,
        check_alerting,
        check_secrets,
        check_redis,
        check_generated,
    )
    for check in checks:
        findings.extend(check(spec, raw))
    return findings


def _dependency_path(raw: Any, service: str, dependency: str) -> DataPath:
    """Where `dependency` is named in the raw data (list or mapping form)."""
    base: DataPath = ("services", service, "depends_on")
    listed = raw.get("services", {}).get(service, {}).get("depends_on")
    if isinstance(listed, list) and dependency in listed:
        return (*base, listed.index(dependency))
    return (*base, dependency)


def _dependencies(spec: Spec, raw: Any) -> Iterator[Finding]:
    names = list(spec.services)
    for name, service in spec.services.items():
        for dep, how in service.depends_on.items():
            path = _dependency_path(raw, name, dep)
            target = spec.services.get(dep)
            if target is None:
                yield path, f"depends on unknown service {dep!r}{suggest(dep, names)}"
                continue
            if dep == name:
                yield path, "a service cannot depend on itself"
            elif how.condition == "service_healthy" and target.healthcheck is None:
                yield path, f"waits for {dep!r} to be healthy, but {dep!r} has no healthcheck"
            elif how.condition == "service_completed_successfully" and target.layer != "job":
                yield path, f"waits for {dep!r} to complete, but {dep!r} is not a job"
            if service.layer == "infrastructure" and target.layer != "infrastructure":
                yield (
                    path,
                    (
                        f"infrastructure service depends on {target.layer} service {dep!r}; "
                        "docker-compose.yml must work on its own"
                    ),
                )


def _cycles(spec: Spec, raw: Any) -> Iterator[Finding]:
    state: dict[str, str] = {}  # "visiting" or "done"
    stack: list[str] = []

    def visit(name: str) -> Iterator[Finding]:
        state[name] = "visiting"
        stack.append(name)
        for dep in spec.services[name].depends_on:
            if dep not in spec.services or dep == name:
                continue  # reported by _dependencies
            if state.get(dep) == "visiting":
                cycle = [*stack[stack.index(dep) :], dep]
                yield _dependency_path(raw, name, dep), "dependency cycle: " + " -> ".join(cycle)
            elif dep not in state:
                yield from visit(dep)
        stack.pop()
        state[name] = "done"

    for name in spec.services:
        if name not in state:
            yield from visit(name)


def _published_ports(spec: Spec, raw: Any) -> Iterator[Finding]:
    taken: dict[tuple[int, str], list[tuple[str | None, str]]] = {}
    for name, service in spec.services.items():
        for index, port in enumerate(service.ports):
            if port.published is None:
                continue
            here = f"services.{name}.ports[{index}]"
            key = (port.published, port.protocol)
            for host_ip, where in taken.get(key, []):
                # Two bindings clash on the same address, or when either is on all interfaces.
                if host_ip is None or port.host_ip is None or host_ip == port.host_ip:
                    yield (
                        ("services", name, "ports", index),
                        (f"host port {port.published} is already published by {where}"),
                    )
                    break
            taken.setdefault(key, []).append((port.host_ip, here))


def _environment(spec: Spec, raw: Any) -> Iterator[Finding]:
    for name, service in spec.services.items():
        for key, value in service.environment.items():
            path: DataPath = ("services", name, "environment", key)
            has_reference, has_literal = False, True  # a typed value is a literal
            if isinstance(value, str):
                try:
                    pieces = interpolation.parse(value)
                except interpolation.InterpolationError:
                    continue  # reported by _references
                has_reference = any(isinstance(p, interpolation.Ref) for p in pieces)
                has_literal = interpolation.has_literal(pieces)
            variable = spec.variables.get(key)
            if variable is not None and variable.secret and has_literal:
                message = f"{key} is a secret and cannot have a literal value; write ${{{key}}}"
                yield path, f"{message} so that Compose takes it from the environment"
            elif variable is not None and not has_reference:
                problem = type_problem(variable.type, value, quote=not secret_name(key))
                if problem:
                    yield path, f"{problem} (variables.{key} is of type {variable.type})"


def _variable_defaults(spec: Spec, raw: Any) -> Iterator[Finding]:
    for name, variable in spec.variables.items():
        if variable.default is None:
            continue
        problem = type_problem(variable.type, variable.default, quote=not secret_name(name))
        if problem:
            yield ("variables", name, "default"), problem


def _config_names(spec: Spec, raw: Any) -> Iterator[Finding]:
    for name, target, first, first_target in config_clashes(spec):
        shared = config_name(name, target)
        message = f"its Compose config name {shared!r} is also that of services.{first}"
        yield (
            ("services", name, "files", target),
            (f"{message}.files[{first_target!r}], so one would replace the other; rename one"),
        )


def spec_strings(value: Any, path: DataPath = ()) -> Iterator[tuple[DataPath, str]]:
    """Every string the spec holds as written (fields left at their defaults are not the
    user's), with its path in the document; keys aside."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, BaseModel):
        fields = type(value).model_fields
        for name in sorted(value.model_fields_set, key=list(fields).index):
            key = fields[name].alias or name
            yield from spec_strings(getattr(value, name), (*path, key))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from spec_strings(item, (*path, key))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from spec_strings(item, (*path, index))


def _references(spec: Spec, raw: Any) -> Iterator[Finding]:
    known = list(spec.variables)
    for path, text in interpolated_strings(spec):
        try:
            refs = interpolation.references(text)
        except interpolation.InterpolationError as exc:
            yield path, str(exc)
            continue
        for ref in refs:
            if ref not in spec.variables:
                yield path, f"${{{ref}}} is not declared under variables:{suggest(ref, known)}"
