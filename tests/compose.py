"""Run the real Compose v2 parser (`docker compose config`) on rendered files."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

from tests.tools import compose_binary

INFRA = "infra/docker/docker-compose.yml"
APP = "infra/docker/docker-compose.app.yml"
# Variables that reach containers only as Compose secrets (files): `config` does not
# read their values, so it cannot refuse a missing one as it does a ${VAR:?...}.
SECRET_FILES = {
    "ALERTMANAGER_ONCALL_WEBHOOK_URL": "https://pager.example/hook?token=test-token",
    "ALERTMANAGER_SLACK_WEBHOOK_URL": "https://hooks.slack.example/services/T0/B0/test",
    "ALERTMANAGER_SMTP_PASSWORD": "smtp-test-password",
}
SECRETS = {
    "POSTGRES_PASSWORD": "pg-test-password",
    "JWT_SECRET": "jwt-test-secret",
    "GRAFANA_ADMIN_PASSWORD": "grafana-test-password",
    "REDIS_PASSWORD": "redis-test-password",
    **SECRET_FILES,
}


def compose_config(
    tree: Path, files: list[str], env: dict[str, str], *extra: str, env_file: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """`docker compose -f ... config` in a clean environment; values only from `env`."""
    command = [compose_binary()]
    for file in files:
        command += ["-f", str(tree / file)]
    if env_file is not None:
        command += ["--env-file", str(env_file)]
    clean = {"PATH": os.environ.get("PATH", ""), "HOME": str(tree), **env}
    return subprocess.run(
        [*command, "config", *extra], capture_output=True, text=True, env=clean, check=False
    )


def compose_model(
    tree: Path, files: list[str], env: dict[str, str], env_file: Path | None = None
) -> dict[str, Any]:
    """The merged, interpolated model as Compose sees it; fails the test on error."""
    result = compose_config(tree, files, env, "--format", "json", env_file=env_file)
    assert result.returncode == 0, result.stderr
    model: dict[str, Any] = json.loads(result.stdout)
    return model


def unescape(value: str) -> str:
    """`config` prints `$` as `$$` so that its output is valid Compose again."""
    return value.replace("$$", "$")
