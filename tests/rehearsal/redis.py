"""Redis and its exporter on loopback for the rehearsal tests, run as the rendered files
start them in their containers.

What only a container has is stood in, and only that, each by its name below:

- SECRET_FILE: Compose writes the secret to /run/secrets/redis_password; here a file in
  the test's folder, written as Compose writes it (the value, no newline added).
- PORT: the container's Redis listens on 6379, redis-cli's default; here a free loopback
  port, given to redis-server after the rendered arguments (with the loopback address and
  a data folder in place of /data) and to the healthcheck's redis-cli as `-p PORT`.
- HOST: clients reach `redis:6379` on the Compose network; here `127.0.0.1:PORT`.
- ENTRYPOINT: the image's docker-entrypoint.sh, which as root hands /data to the redis user
  and runs itself again as that user with the same arguments and stdin; the tests' user
  needs neither, so a stand-in runs its arguments.
- The exporter listens on :9121 in its container; here on a free loopback port.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pivotal_gen.project import Project
from pivotal_gen.sync.plan import render_profile
from tests.compose import APP, INFRA, SECRETS, compose_model, unescape
from tests.conftest import write_tree
from tests.rehearsal.servers import free_port, running, stand_in
from tests.tools import debian_program

SECRET_FILE = "/run/secrets/redis_password"
NETWORK_ADDRESS = "redis:6379"
# URL-safe, as REDIS_PASSWORD's description asks: the backend's REDIS_URL carries it.
PASSWORD = "rehearsal-Pa55_word.~"


@contextlib.contextmanager
def redis_server(
    folder: Path,
    *extra: str,
    command: Sequence[str] | None = None,
    env: dict[str, str] | None = None,
) -> Iterator[int]:
    """redis-server on a free loopback port, its files in folder; yields the port.

    `command` starts it instead of a plain `redis-server --save ""` (a rendered start
    command, whose arguments reach redis-server); the port, the loopback address and
    the folder are given after it, and `extra` after those."""
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    if command is None:
        command = [debian_program("redis-server", "redis-server"), "--save", ""]
    argv = [*command, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(folder), *extra]
    with running(argv, log=folder / "redis.log", port=port, env=env):
        yield port


@contextlib.contextmanager
def redis_exporter(folder: Path, env: dict[str, str], *args: str) -> Iterator[int]:
    """Debian's prometheus-redis-exporter on a free loopback port, with `env` as its whole
    environment (PATH aside) and `args`; yields the port its /metrics answers on."""
    port = free_port()
    binary = debian_program("prometheus-redis-exporter", "prometheus-redis-exporter")
    argv = [binary, *args, "--web.listen-address", f"127.0.0.1:{port}"]
    clean = {"PATH": os.environ.get("PATH", ""), **env}
    with running(argv, log=folder / "redis-exporter.log", port=port, env=clean):
        yield port


@dataclass(frozen=True)
class Rendered:
    """One profile's Redis and exporter services as Compose reads them, `$` unescaped."""

    services: dict[str, Any]

    @property
    def redis(self) -> dict[str, Any]:
        return dict(self.services["redis"])

    def command(self) -> list[str]:
        return [unescape(part) for part in self.redis["command"]]

    def health_test(self) -> list[str]:
        return [unescape(part) for part in self.redis["healthcheck"]["test"]]

    def memory_limit(self) -> int:
        """The limit in bytes, as Compose reads the rendered size (`512M`)."""
        return int(self.redis["deploy"]["resources"]["limits"]["memory"])

    def environment(self, service: str) -> dict[str, str]:
        env = self.services[service].get("environment") or {}
        return {key: unescape(value) for key, value in env.items()}


def rendered(root: Path, profile: str, tmp_path: Path, password: str) -> Rendered:
    """The profile of the project at `root` rendered, as Compose reads it with `password`."""
    tree = write_tree(render_profile(Project(root), profile), tmp_path / "tree")
    model = compose_model(tree, [INFRA, APP], {**SECRETS, "REDIS_PASSWORD": password})
    return Rendered(model["services"])


@dataclass(frozen=True)
class Running:
    """A redis-server on loopback: its port, its PID, its data folder and its secret file."""

    port: int
    pid: int
    folder: Path
    secret: Path

    def cli(self, *args: str, password: str | None = None) -> str:
        """redis-cli against this server; the password, if any, from REDISCLI_AUTH."""
        env = {"PATH": os.environ.get("PATH", "")}
        if password is not None:
            env["REDISCLI_AUTH"] = password
        result = subprocess.run(
            [debian_program("redis-cli", "redis-tools"), "-p", str(self.port), *args],
            env=env, capture_output=True, text=True, check=False, timeout=30,
        )  # fmt: skip
        return (result.stdout + result.stderr).strip()

    def healthcheck(self, test: list[str]) -> int:
        """The exit code of the rendered healthcheck test, run as Docker runs it."""
        if test[0] == "CMD-SHELL":  # PORT
            argv = ["/bin/sh", "-c", stand_in(test[1], "redis-cli ", f"redis-cli -p {self.port} ")]
        else:
            argv = list(test[1:])
            argv[argv.index("redis-cli") + 1 : argv.index("redis-cli") + 1] = ["-p", str(self.port)]
        argv = [stand_in(arg, SECRET_FILE, str(self.secret)) if SECRET_FILE in arg else arg
                for arg in argv]  # fmt: skip
        env = {"PATH": os.environ.get("PATH", "")}
        return subprocess.run(
            argv, env=env, capture_output=True, check=False, timeout=30
        ).returncode

    def exporter_env(self, stack: Rendered) -> dict[str, str]:
        """The exporter's environment, its address of Redis stood in (HOST)."""
        env = stack.environment("redis-exporter")
        env["REDIS_ADDR"] = stand_in(env["REDIS_ADDR"], NETWORK_ADDRESS, f"127.0.0.1:{self.port}")
        return env


@contextlib.contextmanager
def started(stack: Rendered, tmp_path: Path, password: str) -> Iterator[Running]:
    """redis-server started by the rendered command, the secret file holding `password`."""
    secret = tmp_path / "secrets" / "redis_password"  # SECRET_FILE
    secret.parent.mkdir(parents=True, exist_ok=True)
    secret.write_bytes(password.encode())
    entrypoint = tmp_path / "bin" / "docker-entrypoint.sh"  # ENTRYPOINT
    entrypoint.parent.mkdir(parents=True, exist_ok=True)
    entrypoint.write_text('#!/bin/sh\nexec "$@"\n')
    entrypoint.chmod(0o755)
    debian_program("redis-server", "redis-server")
    command = [stand_in(p, SECRET_FILE, str(secret)) if SECRET_FILE in p else p
               for p in stack.command()]  # fmt: skip
    env = {"PATH": f"{entrypoint.parent}:{os.environ.get('PATH', '')}"}
    folder = tmp_path / "data"
    with redis_server(folder, command=command, env=env) as port:
        pid = int(Running(port, 0, folder, secret).cli("info", "server", password=password)
                  .split("process_id:")[1].split()[0])  # fmt: skip
        yield Running(port, pid, folder, secret)
