"""No literal secret anywhere in the spec: secrets come from the environment.

A literal password in the spec is a password in git, in every rendered file
and in every review. Caught: a literal under a name that looks like a
secret, a variable with such a name that is not `secret: true`, and in
every string the spec carries into a generated file (environment, command,
healthcheck, files, build args, variable defaults, image recipes, and the
rest): credentials inside a URL (`redis://:pw@redis`), a private key, and,
where the string is a command or a value, `NAME=literal` under a secret name
(`PGPASSWORD=pw`, `?password=pw`), a literal after a password flag
(`--requirepass pw`, `--redis.password pw`, redis-cli's `-a pw`; a flag that names a
file, `--redis.password-file`, takes a path) and a Redis ACL rule's password
(`user default on >pw`, `ACL SETUSER app >pw`). Files are also read as config:
`requirepass pw`, `password: pw`. No message repeats the secret: messages reach CI logs.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from typing import NamedTuple

from pivotal_gen.checks.cross import secret_name, spec_strings
from pivotal_gen.checks.rules.base import Rule, Violation
from pivotal_gen.model import interpolation
from pivotal_gen.model.spec import Spec
from pivotal_gen.source.paths import DataPath

# `POSTGRES_PASSWORD_FILE`, `GF_SECURITY_ADMIN_PASSWORD__FILE`: the path of a file that
# holds the secret, the way images recommend passing one.
FILE_SUFFIX = "_FILE"
_URL_PASSWORD = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*://[^/\s:@]*:(?P<value>[^@\s/]+)@")
_PASSWORD_FLAG = re.compile(r"-{1,2}[\w.-]*(?:pass|secret|token)[\w.-]*", re.IGNORECASE)
_FILE_FLAG = re.compile(r".*(?:file|path)", re.IGNORECASE)
# `>pw` after `user NAME` (redis.conf, ACL files, redis-server --user) or `ACL SETUSER NAME`;
# read where Redis is named or in a file, so that a shell's `>file` is not taken for one.
_ACL_PASSWORD = re.compile(
    r"\b(?:user|setuser)[ \t]+[^\s>]+[^\n>]*?[ \t]['\"]?>(?P<value>[^\s'\"]+)", re.IGNORECASE
)
_ACL_CONTEXT = re.compile(r"redis|setuser", re.IGNORECASE)
_ACL = "a Redis ACL rule sets a literal password"
_FLAG = "a literal after a password flag"
_PRIVATE_KEY = re.compile(r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----")
_NAME = r"(?P<name>[A-Za-z_][A-Za-z0-9_.-]*)"
_VALUE = r"['\"]?(?P<value>[^\s'\";&#]+)"
# `PGPASSWORD=pw psql`, `-Dspring.datasource.password=pw`, `?password=pw`, `Password=pw;`
_ASSIGNED = re.compile(_NAME + r"[ \t]*=[ \t]*" + _VALUE)
# A config line: `requirepass pw` (redis.conf), `password: pw` (YAML), `password = pw`.
_DIRECTIVE = re.compile(r"^[ \t]*" + _NAME + r"(?:[ \t]*[:=][ \t]*|[ \t]+)" + _VALUE, re.M)
# Where a string is a command, a value or a file rather than prose (descriptions,
# alert texts), the assignment and flag forms count too.
_CODE_FIELDS = {"image", "command", "entrypoint", "environment", "healthcheck", "build"}
_CODE_FIELDS |= {"working_dir", "user", "files"}


def _literal(text: str) -> bool:
    """Whether `text` has characters of its own, not only ${VAR} references; a shell
    variable (`$$PGPASSWORD`, which Compose hands the shell as `$PGPASSWORD`) is not."""
    try:
        pieces = interpolation.parse(text)
    except interpolation.InterpolationError:
        return False  # reported as an interpolation error, without its text
    if not interpolation.has_literal(pieces):
        return False
    return not "".join(p for p in pieces if isinstance(p, str)).strip().startswith("$")


def _flag_values(args: list[str]) -> Iterator[tuple[int, str]]:
    """(index, value) for each `--password VALUE` or `--password=VALUE` in a command, and
    each `-a VALUE` after redis-cli."""
    redis_cli = False
    for index, arg in enumerate(args):
        redis_cli = redis_cli or posixpath.basename(arg) == "redis-cli"
        flag, equals, value = arg.partition("=")
        secret_flag = _PASSWORD_FLAG.fullmatch(flag) and not _FILE_FLAG.fullmatch(flag)
        if not secret_flag and not (redis_cli and arg == "-a"):
            continue
        if equals:
            yield index, value
        elif index + 1 < len(args):
            yield index + 1, args[index + 1]


def _named(pattern: re.Pattern[str], text: str) -> str | None:
    for match in pattern.finditer(text):
        if secret_name(match["name"]) and _literal(match["value"]):
            return match["name"]
    return None


def problem(text: str, *, code: bool, config: bool) -> str | None:
    """What in `text` is a literal secret (never the secret itself), or None; where the
    string lands decides the fix (_Kind.fix)."""
    url = _URL_PASSWORD.search(text)
    if url and _literal(url["value"]):
        return "a URL carries a literal password"
    if _PRIVATE_KEY.search(text):
        return "a literal private key"
    if not code:
        return None
    name = _named(_ASSIGNED, text) or (_named(_DIRECTIVE, text) if config else None)
    if name:
        return f"{name} is given a literal"
    if any(_literal(value) for _, value in _flag_values(text.split())):
        return _FLAG
    return _ACL if _acl_password(text, config=config) else None


def _acl_password(text: str, *, config: bool) -> bool:
    if not (config or _ACL_CONTEXT.search(text)):
        return False
    return any(_literal(match["value"]) for match in _ACL_PASSWORD.finditer(text))


class _Kind(NamedTuple):
    service: str | None  # the service whose `except:` covers the string
    code: bool  # a command or a value: the assignment and flag forms count
    config: bool  # a file, also read as config lines
    fix: str


# Compose interpolates the spec's strings: a variable holds the secret in their place.
_INTERPOLATED = "write ${VARIABLE} (secret: true) in its place"
# alertmanager.yml interpolates nothing: it reads a secret only from a file.
_ALERTMANAGER_FIXES = {
    "url": "make the whole URL a secret: a webhook's url_secret",
    "external_url": "take the credential out of the URL: every notification carries it, and "
    "there is no secret form",
}
_NOT_INTERPOLATED = "take it out: the monitoring files read no ${VARIABLE}, and "
_NOT_INTERPOLATED += "Alertmanager reads secrets only from its *_secret fields"


def _kind(path: DataPath) -> _Kind:
    if path[0] == "variables":
        return _Kind(None, path[-1] == "default", False, _INTERPOLATED)
    if path[0] == "images" and len(path) > 2:
        return _Kind(str(path[1]), True, False, _INTERPOLATED)  # commands, users, paths
    if path[0] == "services" and len(path) > 2:
        return _Kind(str(path[1]), path[2] in _CODE_FIELDS, path[2] == "files", _INTERPOLATED)
    if path[:2] == ("monitoring", "alertmanager") and path[-1] in _ALERTMANAGER_FIXES:
        # `?token=...` in a URL Alertmanager is given is a literal secret
        return _Kind(None, True, False, _ALERTMANAGER_FIXES[str(path[-1])])
    if path[0] == "monitoring":
        return _Kind(None, False, False, _NOT_INTERPOLATED)
    return _Kind(None, False, False, _INTERPOLATED)


def _names(spec: Spec) -> Iterator[Violation]:
    for name, variable in spec.variables.items():
        if secret_name(name) and not variable.secret:
            message = f"{name} looks like a secret; declare it secret: true (no default)"
            yield Violation(("variables", name), message)
    for name, service in spec.services.items():
        for key, value in service.environment.items():
            if (
                key not in spec.variables
                and secret_name(key)
                and not key.endswith(FILE_SUFFIX)
                and _literal(str(value))
            ):
                message = f"{key} looks like a secret; declare it under variables: with"
                yield Violation(
                    ("services", name, "environment", key),
                    f"{message} secret: true and write ${{{key}}}",
                    name,
                )


def _check(spec: Spec) -> Iterator[Violation]:
    yield from _names(spec)
    for path, text in spec_strings(spec):
        if path[:1] == ("policy",):
            continue  # reasons are prose read by no program
        kind = _kind(path)
        found = problem(text, code=kind.code, config=kind.config)
        if found:
            yield Violation(path, f"{found}; {kind.fix}", kind.service)
    yield from _listed_flags(spec)


def _listed_flags(spec: Spec) -> Iterator[Violation]:
    """A password flag in one item of a command list and its literal in the next."""
    message = f"{_FLAG}; {_INTERPOLATED}"
    for name, service in spec.services.items():
        test = service.healthcheck.test if service.healthcheck is not None else None
        lists = (("command",), service.command), (("entrypoint",), service.entrypoint)
        for field, args in (*lists, (("healthcheck", "test"), test)):
            if not isinstance(args, list):
                continue  # a string is checked whole, above
            for index, value in _flag_values(args):
                if args[index] == value and _literal(value):  # `--flag=pw` is one string
                    yield Violation(("services", name, *field, index), message, name)
            # An ACL rule spread over the items (`[redis-cli, ACL, SETUSER, app, ">pw"]`);
            # one inside a single item is reported with that item.
            spread = _acl_password(" ".join(args), config=False)
            if spread and not any(_acl_password(arg, config=False) for arg in args):
                yield Violation(("services", name, *field), f"{_ACL}; {_INTERPOLATED}", name)


RULE = Rule(
    "no-literal-secret",
    "no password, token or key is written in the spec; secrets come from .env",
    _check,
)
