"""The frontend's nginx.conf: accepted by `nginx -t`, and built from the spec's values.

How it serves (caching, the API, the security headers, the metrics) is rehearsed on
the real nginx in tests/rehearsal/test_nginx_edge.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pivotal_gen.project import Project
from pivotal_gen.sync.plan import render_profile
from pivotal_gen.targets.nginx import metrics_regex, quoted
from tests.conftest import REPO
from tests.tools import nginx_t

PROJECT = Project(REPO)
CONF = "apps/frontend/nginx.conf"
SECURITY = [
    'add_header X-Content-Type-Options "nosniff" always;',
    'add_header X-Frame-Options "DENY" always;',
    "add_header Content-Security-Policy \"frame-ancestors 'none'\" always;",
    'add_header Referrer-Policy "strict-origin-when-cross-origin" always;',
]


def lines(config: str) -> set[str]:
    return {line.strip() for line in config.splitlines()}


def locations(config: str) -> dict[str, list[str]]:
    """Each location's directives, by its `location ...` line (none nests here)."""
    blocks = re.findall(r"(?ms)^\s*(location [^\n]*)\{\n(.*?)^\s*\}$", config)
    return {head.strip(): [line.strip() for line in body.splitlines()] for head, body in blocks}


def render(project: Path, profile_text: str) -> str:
    (project / "profiles" / "edge.yaml").write_text(profile_text)
    return render_profile(Project(project), "edge")[CONF].decode()


@pytest.mark.parametrize("profile", PROJECT.profiles)
def test_nginx_accepts_the_config(profile: str, tmp_path: Path) -> None:
    result = nginx_t(render_profile(PROJECT, profile)[CONF].decode(), tmp_path)

    assert result.returncode == 0, result.stderr


def test_the_prod_config_serves_caches_and_proxies_what_the_spec_says() -> None:
    config = render_profile(PROJECT, "prod")[CONF].decode()

    assert {
        "listen 8080;",
        "pid /tmp/nginx.pid;",
        "gzip on;",
        "location = /health {",
        'return 200 "ok\\n";',
        "location /assets/ {",
        "add_header Cache-Control $asset_cache_control always;",
        '200 "public, max-age=31536000, immutable";',
        'default "no-store";',
        "location = /index.html {",
        'add_header Cache-Control "no-cache" always;',
        "try_files $uri $uri/ /index.html;",
        "server backend:3000;",
        "location /api/ {",
        "proxy_pass http://api;",
        'location ~* "^/metrics/?$" {',
        *SECURITY,
    } <= lines(config)


def test_every_location_that_adds_a_header_repeats_the_security_headers() -> None:
    # nginx drops the server's add_header in a location that has its own.
    config = render_profile(PROJECT, "prod")[CONF].decode()
    blocks = locations(config)

    adding = [head for head, body in blocks.items() if any("add_header" in d for d in body)]
    assert len(adding) == 3, blocks  # the assets, index.html, the API
    for head in adding:
        assert [d for d in blocks[head] if d in SECURITY] == SECURITY, head
    server = config[config.index("server {") : config.index("\n        location")]
    assert [line.strip() for line in server.splitlines() if line.strip() in SECURITY] == SECURITY


def test_a_profile_changes_the_headers_the_prefix_and_what_is_refused(
    project: Path, tmp_path: Path
) -> None:
    config = render(
        project,
        """
images:
  frontend:
    api: {prefix: /v2/api/}
    security_headers:
      X-Frame-Options: SAMEORIGIN
      Referrer-Policy: false
      Content-Security-Policy:
        default-src: [self, "https://cdn.example.com"]
        script-src: ["sha256-abc+/="]
        upgrade-insecure-requests: []
services:
  backend:
    metrics: {path: /v2/api/metrics.json}
""",
    )

    assert {
        'add_header X-Frame-Options "SAMEORIGIN" always;',
        "add_header Content-Security-Policy \"frame-ancestors 'none'; default-src 'self' "
        "https://cdn.example.com; script-src 'sha256-abc+/='; upgrade-insecure-requests\" always;",
        "location /v2/api/ {",
        'location ~* "^/v2/api/metrics\\.json/?$" {',
        "proxy_hide_header X-Frame-Options;",
    } <= lines(config)
    assert "Referrer-Policy" not in config
    assert nginx_t(config, tmp_path).returncode == 0


def test_metrics_on_another_port_than_the_api_are_not_the_edges_concern(project: Path) -> None:
    profile = "services:\n  backend:\n    expose: [9464]\n    metrics: {port: 9464}\n"
    config = render(project, profile)

    assert "location /api/ {" in config
    assert "metrics" not in config


def test_without_an_api_nothing_is_proxied(project: Path, tmp_path: Path) -> None:
    config = render(project, "images:\n  frontend:\n    api: null\n")

    assert not [line for line in lines(config) if re.match(r"proxy_(?!temp_path)|upstream", line)]
    assert "metrics" not in config
    assert nginx_t(config, tmp_path).returncode == 0


def test_every_header_can_be_left_out(project: Path, tmp_path: Path) -> None:
    headers = ["X-Content-Type-Options", "X-Frame-Options", "Content-Security-Policy"]
    profile = "images:\n  frontend:\n    security_headers:\n" + "".join(
        f"      {name}: false\n" for name in [*headers, "Referrer-Policy"]
    )

    config = render(project, profile)

    assert "add_header X-" not in config
    assert "proxy_hide_header" not in config
    assert nginx_t(config, tmp_path).returncode == 0


@pytest.mark.parametrize(
    ("path", "regex"),
    [
        ("/metrics", "^/metrics/?$"),
        ("/metrics/", "^/metrics/?$"),
        ("/api/v1.0/metrics+(all)", r"^/api/v1\.0/metrics\+\(all\)/?$"),
    ],
)
def test_the_metrics_regex_matches_the_path_literally(path: str, regex: str) -> None:
    assert metrics_regex(path) == regex
    assert re.fullmatch(regex, path) and re.fullmatch(regex, path.rstrip("/") + "/")
    assert quoted(regex, regex=True) == f'"{regex}"'


@pytest.mark.parametrize("value", ['a"b', "a$b", "a\\b", "a\nb", "a\x00b"])
def test_a_header_value_that_nginx_would_read_as_syntax_is_never_written(value: str) -> None:
    # The model refuses these first; this is the second line of defence.
    with pytest.raises(ValueError, match="cannot be quoted"):
        quoted(value)


@pytest.mark.parametrize("regex", ['^/a"', "^/a\\", "^/a\\n", "^/a\\\\b", "^/a\n"])
def test_a_regex_that_nginx_would_read_differently_is_never_written(regex: str) -> None:
    with pytest.raises(ValueError, match="cannot be quoted"):
        quoted(regex, regex=True)
