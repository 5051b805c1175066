"""A `docker` for the rehearsals: `docker compose ... exec -T SERVICE CMD...` runs CMD on
this machine, so that the generated scripts run unchanged against real servers.

There is no Docker engine where the tests run. What stands in for what:

- the container is this machine: CMD runs here, in `/` (the images' working folder),
  with PostgreSQL's programs first on PATH (Debian's version, where the image has its own);
- the container's environment is the service's `environment` as the real Compose
  parser resolves it (`compose config --format json`, the same files and .env);
- the server the container's programs reach is named per service by the test, as libpq
  variables: PGHOST the cluster's socket folder (the image's default socket) and PGPORT
  its port (the container's 5432, for the socket and for TCP alike), so that a command
  without `-h` reaches the socket and one with `-h 127.0.0.1` reaches TCP, as inside the
  container.

Anything else (another docker command, an option the scripts do not use, a service the
test stands nothing in for) exits 125 with the reason, so a test cannot pass by accident.
"""

from __future__ import annotations

import json
import os
import resource
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.fake_docker import ScriptRun

_COMPOSE = "LOCAL_DOCKER_COMPOSE"  # the Compose parser binary
_STAND_INS = "LOCAL_DOCKER_STAND_INS"  # JSON: service -> the variables that stand in
_PATH = "LOCAL_DOCKER_PATH"  # the commands' PATH
_LOG = "LOCAL_DOCKER_LOG"  # one JSON argv a line


class Refused(Exception):
    """What this docker does not do."""


def resolved_config(compose: str, files: list[str], cwd: Path) -> dict[str, Any]:
    """`compose config --format json` of the files, as `docker compose` would read them."""
    result = subprocess.run(
        [compose, *files, "config", "--format", "json"],
        cwd=cwd, capture_output=True, text=True, check=False, timeout=60,
    )  # fmt: skip
    if result.returncode != 0:
        raise Refused(f"local docker: compose config failed:\n{result.stderr}")
    config: dict[str, Any] = json.loads(result.stdout)
    return config


def service_environment(config: dict[str, Any], service: str) -> dict[str, str]:
    environment = config["services"][service].get("environment") or {}
    return {name: "" if value is None else str(value) for name, value in environment.items()}


def _split(argv: list[str]) -> tuple[list[str], str, list[str]]:
    """`compose [--env-file F] [-f F]... exec -T SERVICE CMD...`: the file options,
    the service and the command."""
    if argv[:1] != ["compose"]:
        raise Refused(f"local docker: only `docker compose ... exec` runs here, not {argv}")
    files, rest = [], argv[1:]
    while rest and rest[0] in ("--env-file", "-f"):
        files += rest[:2]
        rest = rest[2:]
    if rest[:2] != ["exec", "-T"] or len(rest) < 4:
        raise Refused(f"local docker: expected `exec -T SERVICE CMD...`, got {rest}")
    return files, rest[2], rest[3:]


def main(argv: list[str]) -> int:
    with open(os.environ[_LOG], "a") as log:
        log.write(json.dumps(argv) + "\n")
    try:
        files, service, command = _split(argv)
        stand_ins: dict[str, dict[str, str]] = json.loads(os.environ[_STAND_INS])
        if service not in stand_ins:
            raise Refused(f"local docker: nothing stands in for the service {service!r}")
        config = resolved_config(os.environ[_COMPOSE], files, Path.cwd())
    except Refused as refused:
        print(refused, file=sys.stderr)
        return 125
    env = {
        **service_environment(config, service),
        **stand_ins[service],
        "PATH": os.environ[_PATH],
    }
    # stdin, stdout and stderr are the script's, as with `exec -T`.
    return subprocess.run(command, env=env, cwd="/", check=False).returncode


def install(
    folder: Path, compose: str, stand_ins: dict[str, dict[str, str]], path: str
) -> dict[str, str]:
    """Put this docker in folder/bin; the environment a script needs to find and use it."""
    bin_dir = folder / "local-docker-bin"
    bin_dir.mkdir(exist_ok=True)
    docker = bin_dir / "docker"
    repo = Path(__file__).resolve().parent.parent
    python = f"PYTHONPATH={shlex.quote(str(repo))} exec {shlex.quote(sys.executable)}"
    docker.write_text(f'#!/bin/sh\n{python} -m tests.local_docker "$@"\n')
    docker.chmod(0o755)
    return {
        "PATH": f"{bin_dir}{os.pathsep}/usr/bin{os.pathsep}/bin",
        _COMPOSE: compose,
        _STAND_INS: json.dumps(stand_ins),
        _PATH: path,
        _LOG: str(folder / "local-docker.log"),
    }


def run(
    tree: Path, script: str, *args: str, env: dict[str, str], file_size_limit: int | None = None
) -> ScriptRun:
    """Run `tree/script` from the folder above, with this docker; the calls it made.
    `file_size_limit` (bytes) stops a write beyond it, as a full disk would."""
    log = Path(env[_LOG])
    log.write_text("")

    def limit() -> None:
        if file_size_limit is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_size_limit, file_size_limit))

    result = subprocess.run(
        [str(tree / script), *args],
        cwd=tree.parent, capture_output=True, text=True, check=False,
        env={**env, "HOME": str(tree.parent)}, stdin=subprocess.DEVNULL, timeout=120,
        preexec_fn=limit,
    )  # fmt: skip
    calls = [json.loads(line) for line in log.read_text().splitlines()]
    return ScriptRun(result.returncode, result.stdout, result.stderr, calls)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
