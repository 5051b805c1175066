"""Run generated scripts against a fake `docker` that records its arguments.

The fake answers what the scripts ask (`docker info`, the running services,
`up --wait`, health probes, `printenv POSTGRES_DB`, the exit codes of pg_dump,
createdb, pg_restore and of reading a dump to its end) from FAKE_* variables, so
the scripts' command lines and exit codes are tested without a Docker engine.
tests/local_docker.py runs them against real servers instead.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML

from pivotal_gen.layout import INFRA_FILE
from pivotal_gen.sync.plan import file_mode
from tests.conftest import write_tree

# Every compose command of the scripts starts so, from the repo root.
COMPOSE = [
    "compose",
    "--env-file",
    ".env",
    "-f",
    "infra/docker/docker-compose.yml",
    "-f",
    "infra/docker/docker-compose.app.yml",
]

_FAKE_DOCKER = r"""#!/usr/bin/env bash
{ printf '%s\x1f' "$@"; printf '\n'; } >>"$FAKE_DOCKER_LOG"
args=" $* "
case "$args" in
" info ") exit "${FAKE_INFO_RC:-0}" ;;
*" ps --services --status running "*)
    printf '%s\n' ${FAKE_RUNNING-} ;;
*" up "*" --wait "*) exit "${FAKE_UP_RC:-0}" ;;
*" printenv POSTGRES_DB "*) echo "${FAKE_POSTGRES_DB:-pivotal}" ;;
*" wget "*)
    for url in ${FAKE_FAILING_URLS:-}; do
        [[ "$args" == *" $url "* ]] && exit 1
    done
    exit 0 ;;
*" pg_dump "*) printf 'PGDMP fake dump'; exit "${FAKE_PG_DUMP_RC:-0}" ;;
*" pg_restore -f /dev/null "*) cat >/dev/null; exit "${FAKE_READ_RC:-0}" ;;
*" pg_restore "*) cat >/dev/null; exit "${FAKE_RESTORE_RC:-0}" ;;
*" createdb "*) exit "${FAKE_CREATEDB_RC:-0}" ;;
esac
exit 0
"""


@dataclass(frozen=True)
class ScriptRun:
    returncode: int
    stdout: str
    stderr: str
    calls: list[list[str]]  # argv of each docker call, without "docker"


def install_tree(files: dict[str, bytes], root: Path) -> Path:
    """The rendered files under root, with the modes render gives them."""
    write_tree(files, root)
    for rel in files:
        (root / rel).chmod(file_mode(rel))
    return root


def _infrastructure(tree: Path) -> list[str]:
    """The services of the rendered infrastructure file."""
    compose = YAML(typ="safe").load((tree / INFRA_FILE).read_text())
    return list(compose["services"])


def run_script(tree: Path, script: str, *args: str, **env: str) -> ScriptRun:
    """Run `tree/script` from a folder elsewhere, with the fake docker first on PATH."""
    fake_bin = tree.parent / "fake-bin"
    fake_bin.mkdir(exist_ok=True)
    docker = fake_bin / "docker"
    docker.write_text(_FAKE_DOCKER)
    docker.chmod(0o755)
    log = tree.parent / "docker.log"
    log.write_text("")
    environment = {
        "PATH": f"{fake_bin}{os.pathsep}/usr/bin{os.pathsep}/bin",
        "HOME": str(tree.parent),
        "FAKE_DOCKER_LOG": str(log),
        "FAKE_RUNNING": " ".join(_infrastructure(tree)),  # the infrastructure is up
        **env,
    }
    result = subprocess.run(
        [str(tree / script), *args],
        cwd=tree.parent,  # the scripts find the repo root themselves
        capture_output=True,
        text=True,
        env=environment,
        check=False,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )
    calls = [line.split("\x1f")[:-1] for line in log.read_text().splitlines()]
    return ScriptRun(result.returncode, result.stdout, result.stderr, calls)
