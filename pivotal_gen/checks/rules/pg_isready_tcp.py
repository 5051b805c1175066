"""A healthcheck that runs pg_isready probes over TCP.

Without a host, pg_isready asks the server's local socket. On a new volume the postgres
image's entrypoint first runs a temporary server that listens on the socket only (to run
the initdb.d scripts), so a socket probe passes before PostgreSQL takes network
connections, and dependants waiting for `service_healthy` start against a server they
cannot reach. A host given by -h/--host, by PGHOST or by a connection string counts, as
long as it is not a socket folder (a path).
"""

from __future__ import annotations

import shlex
from collections.abc import Iterator

from pivotal_gen.checks.rules.base import Rule, Violation
from pivotal_gen.model.spec import Spec

_SEPARATORS = frozenset(";&|()")
_TAKES_VALUE = frozenset("dhptU")  # pg_isready's short options that take a value


def _check(spec: Spec) -> Iterator[Violation]:
    for name, service in spec.services.items():
        test = service.healthcheck.test if service.healthcheck is not None else None
        if test is None:
            continue
        pghost = service.environment.get("PGHOST")
        for problem in socket_probes(test, None if pghost is None else str(pghost)):
            yield Violation(("services", name, "healthcheck", "test"), problem, name)


def socket_probes(test: list[str] | str, pghost: str | None = None) -> Iterator[str]:
    """What is wrong with each pg_isready of a healthcheck test that probes a socket;
    `pghost` is the service's PGHOST."""
    if isinstance(test, list) and test[:1] == ["CMD"]:
        commands = [test[1:]]
    else:
        commands = _shell_commands(test[1] if isinstance(test, list) else test)
    for words in commands:
        assignments: dict[str, str] = {}
        while words and words[0].partition("=")[0].isidentifier() and "=" in words[0]:
            key, _, value = words.pop(0).partition("=")
            assignments[key] = value
        if not words or words[0].rsplit("/", 1)[-1] != "pg_isready":
            continue
        host = _host(words[1:])
        if host is None:
            host = assignments.get("PGHOST", pghost)
        if host is None or host == "":
            yield (
                "pg_isready probes the local socket, where the postgres image's setup server "
                "answers before PostgreSQL takes network connections; probe over TCP: "
                "pg_isready -h 127.0.0.1"
            )
        elif host.startswith(("/", "@")):
            yield (
                f"pg_isready probes the socket in {host}, where the postgres image's setup "
                "server answers before PostgreSQL takes network connections; probe over "
                "TCP: pg_isready -h 127.0.0.1"
            )


def _shell_commands(text: str) -> list[list[str]]:
    """The simple commands of a shell line, each as its words (best effort)."""
    lexer = shlex.shlex(text, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    try:
        tokens = list(lexer)
    except ValueError:  # an unclosed quote: the shell refuses it too
        tokens = text.split()
    commands: list[list[str]] = [[]]
    for token in tokens:
        if token and set(token) <= _SEPARATORS:
            commands.append([])
        else:
            commands[-1].append(token)
    return commands


def _host(arguments: list[str]) -> str | None:
    """The host pg_isready's arguments name (by -h, or -d with a connection string)."""
    words = iter(arguments)
    for word in words:
        option, value = _option(word, words)
        if option == "h":
            return value
        if option == "d" and (host := _conninfo_host(value)) is not None:
            return host
    return None


def _option(word: str, rest: Iterator[str]) -> tuple[str | None, str]:
    """The host or database option a word gives (as its short letter), and its value."""
    for letter, long in (("h", "--host"), ("d", "--dbname")):
        if word == long:
            return letter, next(rest, "")
        if word.startswith(long + "="):
            return letter, word.removeprefix(long + "=")
    if word.startswith("-") and not word.startswith("--"):
        for index, letter in enumerate(word[1:], start=1):
            if letter in _TAKES_VALUE:  # the rest of the word, or the next, is its value
                return letter, word[index + 1 :] or next(rest, "")
    return None, ""


def _conninfo_host(value: str) -> str | None:
    """The host of a connection string given as the database name, if it names one."""
    for scheme in ("postgresql://", "postgres://"):
        if value.startswith(scheme):
            authority = value.removeprefix(scheme).split("/", 1)[0].rsplit("@", 1)[-1]
            if authority.startswith("["):  # [::1]:5432
                return authority[1:].split("]", 1)[0] or None
            return authority.split(":", 1)[0] or None
    for setting in value.split():
        key, _, host = setting.partition("=")
        if key.strip() == "host":
            return host
    return None


RULE = Rule(
    "pg-isready-tcp",
    "a healthcheck's pg_isready probes over TCP (-h 127.0.0.1), not the local socket",
    _check,
)
