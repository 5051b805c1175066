"""No literal secret anywhere in the spec: secrets come from the environment.

A literal password in the spec is a password in git, in every rendered file
and in every review. Caught: a literal under a name that looks like a
secret, a variable with such a name that is not `secret: true`, credentials
inside a URL (`redis://:pw@redis`) and a literal after a password flag
(`--requirepass pw`), in every string Compose reads.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pivotal_gen.checks.cross import SECRET_NAME, interpolated_strings
from pivotal_gen.checks.rules.base import Rule, Violation
from pivotal_gen.model import interpolation
from pivotal_gen.model.spec import Spec

# `POSTGRES_PASSWORD_FILE`, `GF_SECURITY_ADMIN_PASSWORD__FILE`: the path of a file that
# holds the secret, the way images recommend passing one.
FILE_SUFFIX = "_FILE"
_URL_PASSWORD = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*://[^/\s:@]*:(?P<password>[^@\s/]+)@")
_PASSWORD_FLAG = re.compile(r"-{1,2}[\w-]*(?:pass|secret|token)[\w-]*", re.IGNORECASE)


def _literal(text: str) -> bool:
    """Whether `text` has characters of its own, not only ${VAR} references."""
    try:
        pieces = interpolation.parse(text)
    except interpolation.InterpolationError:
        return False  # reported as an interpolation error
    return interpolation.has_literal(pieces)


def _in_strings(text: str) -> str | None:
    match = _URL_PASSWORD.search(text)
    if match and _literal(match["password"]):
        return "a URL carries a literal password; write it as ${VARIABLE} with secret: true"
    return None


def _flag_values(args: list[str]) -> Iterator[tuple[int, str]]:
    """(index, value) for each `--password VALUE` or `--password=VALUE` in a command."""
    for index, arg in enumerate(args):
        flag, equals, value = arg.partition("=")
        if not _PASSWORD_FLAG.fullmatch(flag):
            continue
        if equals:
            yield index, value
        elif index + 1 < len(args):
            yield index + 1, args[index + 1]


def _check(spec: Spec) -> Iterator[Violation]:
    for name, variable in spec.variables.items():
        if SECRET_NAME.search(name) and not variable.secret:
            message = f"{name} looks like a secret; declare it secret: true (no default)"
            yield Violation(("variables", name), message)
    for name, service in spec.services.items():
        base = ("services", name)
        for key, value in service.environment.items():
            if (
                key not in spec.variables
                and SECRET_NAME.search(key)
                and not key.endswith(FILE_SUFFIX)
                and _literal(str(value))
            ):
                message = f"{key} looks like a secret; declare it under variables: with"
                yield Violation(
                    (*base, "environment", key),
                    f"{message} secret: true and write ${{{key}}}",
                    name,
                )
        for path, text in interpolated_strings(service):
            problem = _in_strings(text)
            if problem:
                yield Violation((*base, *path), problem, name)
        for field in ("command", "entrypoint"):
            args = getattr(service, field)
            split = isinstance(args, str)  # a shell string: point at the whole string
            for index, value in _flag_values(args.split() if split else list(args or [])):
                if _literal(value):
                    path = (*base, field) if split else (*base, field, index)
                    message = "a literal after a password flag; pass ${VARIABLE} (secret: true)"
                    yield Violation(path, message, name)


RULE = Rule(
    "no-literal-secret",
    "no password, token or key is written in the spec; secrets come from .env",
    _check,
)
