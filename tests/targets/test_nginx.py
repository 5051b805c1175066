"""The frontend's nginx.conf: accepted by `nginx -t`, and what it serves how."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from pivotal_gen.project import Project
from pivotal_gen.render import render_profile
from tests.conftest import REPO
from tests.tools import require

PROJECT = Project(REPO)
CONF = "apps/frontend/nginx.conf"


def _testable(config: str, prefix: Path) -> str:
    """The config with its /tmp paths moved under prefix: `nginx -t` creates temp folders."""
    return config.replace("/tmp/", f"{prefix}/")


@pytest.mark.parametrize("profile", PROJECT.profiles)
def test_nginx_accepts_the_config(profile: str, tmp_path: Path) -> None:
    nginx = require("nginx", "nginx", "apt-get install nginx")
    config = tmp_path / "nginx.conf"
    config.write_text(_testable(render_profile(PROJECT, profile)[CONF].decode(), tmp_path))

    result = subprocess.run(
        [nginx, "-t", "-q", "-e", "stderr", "-p", str(tmp_path), "-c", str(config)],
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stderr


def test_spa_fallback_health_gzip_and_cache_headers() -> None:
    lines = {line.strip() for line in render_profile(PROJECT, "prod")[CONF].decode().splitlines()}

    for line in [
        "listen 8080;",
        "pid /tmp/nginx.pid;",
        "gzip on;",
        "location = /health {",
        'return 200 "ok\\n";',
        "location /assets/ {",
        'add_header Cache-Control "public, max-age=31536000, immutable" always;',
        "location = /index.html {",
        'add_header Cache-Control "no-cache" always;',
        "try_files $uri $uri/ /index.html;",
    ]:
        assert line in lines
