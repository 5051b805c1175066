"""Every long-running service's logs are bounded: Docker's json-file driver without
`max-size` keeps every line a container prints, until the host's disk is full."""

from __future__ import annotations

from collections.abc import Iterator

from pivotal_gen.checks.rules.base import Rule, Violation, long_running
from pivotal_gen.checks.rules.compose_values import resolved
from pivotal_gen.model.logs import Logging
from pivotal_gen.model.spec import Spec
from pivotal_gen.source.paths import DataPath

# json-file and local take max-size; json-file's default, "-1", is no limit. local
# rotates by default (20 MB, 5 files); the other drivers send the lines off the host.
_UNLIMITED = ("", "-1")


def _unbounded(spec: Spec, logging: Logging) -> bool:
    if logging.driver not in ("json-file", "local"):
        return False
    size = logging.options.get("max-size")
    if size is None:
        return logging.driver == "json-file"
    value = resolved(spec, size)
    return value is not None and value.strip() in _UNLIMITED


def _where(path: DataPath, logging: Logging) -> DataPath:
    """At the max-size that says "no limit", or the logging block that lacks one."""
    return (*path, "options", "max-size") if "max-size" in logging.options else path


def _check(spec: Spec) -> Iterator[Violation]:
    fix = "set logging.options.max-size (and max-file)"
    shared_users = []
    for name, service in long_running(spec):
        if service.logging is None:
            shared_users.append(name)
        elif _unbounded(spec, service.logging):
            path = _where(("services", name, "logging"), service.logging)
            message = f"{service.logging.driver} keeps every log line until the disk is full; {fix}"
            yield Violation(path, message, name)
    if shared_users and _unbounded(spec, spec.logging):
        users = ", ".join(shared_users)
        message = f"{spec.logging.driver} keeps every log line of {users} until the disk is full"
        yield Violation(_where(("logging",), spec.logging), f"{message}; {fix}")


RULE = Rule(
    "bounded-logs",
    "every long-running service's logs rotate (json-file needs max-size)",
    _check,
)
