"""The frontend's nginx.conf: accepted by `nginx -t`, and what it serves how."""

from __future__ import annotations

import contextlib
import gzip
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from pivotal_gen.project import Project
from pivotal_gen.sync.plan import render_profile
from tests.conftest import REPO
from tests.tools import nginx as nginx_binary

PROJECT = Project(REPO)
CONF = "apps/frontend/nginx.conf"


def _testable(config: str, prefix: Path) -> str:
    """The config with its /tmp paths moved under prefix: `nginx -t` creates temp folders."""
    return config.replace("/tmp/", f"{prefix}/")


@pytest.mark.parametrize("profile", PROJECT.profiles)
def test_nginx_accepts_the_config(profile: str, tmp_path: Path) -> None:
    nginx = nginx_binary()
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


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _get(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    """The prod config serving a small build on a free loopback port; its base URL."""
    nginx = nginx_binary()
    html = tmp_path / "html"
    (html / "assets").mkdir(parents=True)
    (html / "index.html").write_text("<!doctype html><div id=app></div>")
    (html / "assets/app-3f2a1b.js").write_text("console.log('pivotal');\n" * 200)
    port = _free_port()
    config = _testable(render_profile(PROJECT, "prod")[CONF].decode(), tmp_path)
    config = config.replace("listen 8080;", f"listen 127.0.0.1:{port};")
    config = config.replace("root /usr/share/nginx/html;", f"root {html};")
    (tmp_path / "nginx.conf").write_text(config)
    # As root, workers would run as nobody and could not read tmp_path; as anyone else
    # nginx ignores the directive.
    command = [nginx, "-e", "stderr", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")]
    log = tmp_path / "nginx.log"
    with log.open("wb") as errors:
        process = subprocess.Popen(
            [*command, "-g", "daemon off; user root;"], stdout=subprocess.DEVNULL, stderr=errors
        )
    try:
        deadline = time.monotonic() + 10
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
                break
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "nginx did not start listening"
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_served_health_spa_fallback_and_caching(served: str) -> None:
    status, _, body = _get(f"{served}/health")
    assert (status, body) == (200, b"ok\n")

    for path in ("/", "/projects/42/settings"):
        status, headers, body = _get(served + path)
        assert (status, body) == (200, b"<!doctype html><div id=app></div>"), path
        assert headers["Cache-Control"] == "no-cache", path

    status, headers, body = _get(f"{served}/assets/app-3f2a1b.js", **{"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(body).startswith(b"console.log('pivotal');")

    status, _, _ = _get(f"{served}/assets/app-missing.js")
    assert status == 404  # a missing asset is not the app
