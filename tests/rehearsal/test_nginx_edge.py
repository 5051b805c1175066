"""The frontend's nginx as the edge of production: the rendered prod config on the
real nginx, in front of a stub backend, answering what a browser and a CDN would ask.

Only what cannot run here is stood in, each named where the config is changed: the
container's listen port, the image's copy of the build, the backend's Compose name,
and the container's /tmp.
"""

from __future__ import annotations

import contextlib
import gzip
import http.client
import posixpath
import re
import urllib.parse
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import pytest

from pivotal_gen.model.images import StaticSiteImage
from pivotal_gen.project import Project
from pivotal_gen.sync.plan import render_profile
from tests.conftest import REPO
from tests.rehearsal.servers import (
    free_port,
    hand_to,
    nginx_server,
    reachable_folder,
    stand_in,
    unprivileged_user,
)
from tests.rehearsal.web import Answer, Received, StubHttp, stub_http

pytestmark = pytest.mark.slow

CONF = "apps/frontend/nginx.conf"
INDEX = b"<!doctype html><title>pivotal</title><div id=app></div>\n"
ASSET = b"export const answer = () => 42;\n" * 100  # above gzip_min_length
ASSET_PATH = "/assets/app.3f2a1b.js"
METRICS = b"# HELP nodejs_heap_size_total_bytes from the stub backend\n"
IMMUTABLE = "public, max-age=31536000, immutable"
# The safe defaults pivotal.yaml states; prod keeps them.
SECURITY = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "frame-ancestors 'none'",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}


@dataclass(frozen=True)
class Response:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def one(self, name: str) -> str:
        """The value of a header that must be sent exactly once."""
        values = self.all(name)
        assert len(values) == 1, f"{name}: {values}"
        return values[0]

    def all(self, name: str) -> list[str]:
        return [value for key, value in self.headers if key.lower() == name.lower()]


@dataclass(frozen=True)
class Edge:
    port: int
    backend: StubHttp
    metrics_path: str

    def get(
        self,
        path: str,
        headers: Mapping[str, str] = MappingProxyType({}),
        *,
        method: str = "GET",
        body: bytes = b"",
    ) -> Response:
        """One request with `path` sent exactly as written (no client-side normalising)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            sent = dict(headers)
            if body:
                sent["Content-Length"] = str(len(body))
            connection.putrequest(method, path, skip_host="Host" in sent, skip_accept_encoding=True)
            for name, value in sent.items():
                connection.putheader(name, value)
            connection.endheaders(body)
            response = connection.getresponse()
            return Response(response.status, response.getheaders(), response.read())
        finally:
            connection.close()

    def reached(self, path: str) -> list[Received]:
        return [r for r in self.backend.received if r.path == path]


def routed(path: str) -> str:
    """The route a permissive backend router takes a path for: decoded, dot segments
    and repeated slashes resolved, case and a trailing slash ignored (Express's
    defaults), the query left out."""
    clean = posixpath.normpath("/" + urllib.parse.unquote(path.split("?", 1)[0]))
    return clean.lower().rstrip("/") or "/"


def backend_answer(metrics_path: str) -> Callable[[Received], Answer]:
    """The stub backend: metrics on its metrics route, as a permissive router matches
    it; some routes with headers of their own; JSON for the rest."""

    def answer(request: Received) -> Answer:
        if routed(request.path) == routed(metrics_path):
            return 200, [("Content-Type", "text/plain")], METRICS
        if request.path == "/api/cached":
            return 200, [("Cache-Control", "private, max-age=30")], b"{}"
        if request.path == "/api/framed":  # a backend weakening the edge's headers
            headers = [("X-Frame-Options", "SAMEORIGIN"), ("Referrer-Policy", "unsafe-url")]
            return 200, headers, b"{}"
        if request.path == "/api/broken":
            return None  # closes the connection: nginx answers 502 itself
        return 200, [("Content-Type", "application/json")], b'{"items": []}'

    return answer


@contextlib.contextmanager
def serving(project: Project, profile: str) -> Iterator[Edge]:
    """The profile's rendered nginx.conf on the real nginx, with its stand-ins."""
    loaded = project.load(profile)
    spec = loaded.spec
    recipe = spec.images["frontend"]
    assert isinstance(recipe, StaticSiteImage) and recipe.api is not None
    upstream = spec.services[recipe.api.service]
    upstream_port = recipe.api.port or (upstream.http.port if upstream.http else 0)
    metrics_path = upstream.metrics.path if upstream.metrics else "/metrics"
    config = render_profile(project, profile)[CONF].decode()
    user = unprivileged_user()  # the image runs nginx as a non-root user too
    with (
        reachable_folder(user) as folder,
        stub_http(backend_answer(metrics_path)) as backend,
    ):
        dist = folder / "dist"
        (dist / "assets").mkdir(parents=True)
        (dist / "index.html").write_bytes(INDEX)
        (dist / ASSET_PATH.lstrip("/")).write_bytes(ASSET)
        port = free_port()
        http = spec.services["frontend"].http
        assert http is not None
        # Stand-in: the container's /tmp (pid and temp files) -> this test's folder.
        config = stand_in(config, "/tmp/", f"{folder}/")
        # Stand-in: the container's port -> a free loopback port.
        config = stand_in(config, f"listen {http.port};", f"listen 127.0.0.1:{port};", count=1)
        # Stand-in: the image's copy of the build -> a fake dist/.
        config = stand_in(config, "root /usr/share/nginx/html;", f"root {dist};", count=1)
        # Stand-in: the backend's name on the Compose network -> the stub backend.
        config = stand_in(
            config,
            f"server {recipe.api.service}:{upstream_port};",
            f"server 127.0.0.1:{backend.port};",
            count=1,
        )
        (folder / "nginx.conf").write_text(config)
        hand_to(folder, user)
        with nginx_server(folder / "nginx.conf", port, user=user):
            yield Edge(port, backend, metrics_path)


@pytest.fixture(scope="module")
def edge() -> Iterator[Edge]:
    with serving(Project(REPO), "prod") as served:
        yield served


def test_the_app_and_its_client_routes_are_index_html_revalidated(edge: Edge) -> None:
    for path in ("/", "/index.html", "/settings", "/projects/42/settings"):
        response = edge.get(path)
        assert (response.status, response.body) == (200, INDEX), path
        assert response.one("Cache-Control") == "no-cache", path


def test_hashed_assets_are_gzipped_and_immutable(edge: Edge) -> None:
    response = edge.get(ASSET_PATH, {"Accept-Encoding": "gzip"})

    assert response.status == 200
    assert response.one("Content-Encoding") == "gzip"
    assert gzip.decompress(response.body) == ASSET
    assert "Accept-Encoding" in response.one("Vary")
    assert response.one("Cache-Control") == IMMUTABLE

    revalidated = edge.get(ASSET_PATH, {"If-Modified-Since": response.one("Last-Modified")})
    assert revalidated.status == 304
    assert revalidated.one("Cache-Control") == IMMUTABLE


def test_a_missing_asset_is_not_cached(edge: Edge) -> None:
    # During a deploy an asset can be missing for a moment: nobody may keep that answer.
    for path in ("/assets/missing.def456.js", "/assets/"):
        response = edge.get(path)
        assert response.status in (403, 404), path
        assert response.one("Cache-Control") == "no-store", path


def test_health(edge: Edge) -> None:
    response = edge.get("/health")

    assert (response.status, response.body) == (200, b"ok\n")


def test_the_api_reaches_the_backend_with_forwarded_headers(edge: Edge) -> None:
    response = edge.get("/api/items?page=2", {"Host": "app.example.test", "X-Request-ID": "req-42"})

    assert (response.status, response.body) == (200, b'{"items": []}')
    assert response.one("Cache-Control") == "no-store"  # the backend said nothing
    (received,) = edge.reached("/api/items?page=2")
    assert received.method == "GET"
    forwarded = {
        name: received.header(name)
        for name in ("Host", "X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host")
    }
    assert forwarded == {
        "Host": ["app.example.test"],
        "X-Forwarded-For": ["127.0.0.1"],
        "X-Forwarded-Proto": ["http"],
        "X-Forwarded-Host": ["app.example.test"],
    }
    assert received.header("X-Request-ID") == ["req-42"]


def test_a_request_id_is_made_when_the_client_sends_none_or_a_strange_one(edge: Edge) -> None:
    for sent in ({}, {"X-Request-ID": "a b"}, {"X-Request-ID": "x" * 300}):
        edge.get("/api/ids", sent)
    ids = [r.header("X-Request-ID") for r in edge.reached("/api/ids")]

    assert len(ids) == 3
    assert all(len(i) == 1 and re.fullmatch(r"[0-9a-f]{32}", i[0]) for i in ids), ids
    assert len({i[0] for i in ids}) == 3


def test_the_api_passes_bodies_and_the_backends_own_cache_control(edge: Edge) -> None:
    json_type = {"Content-Type": "application/json"}
    response = edge.get("/api/items", json_type, method="POST", body=b'{"name": "x"}')
    assert response.status == 200
    (posted,) = [r for r in edge.reached("/api/items") if r.method == "POST"]
    assert posted.body == b'{"name": "x"}'

    assert edge.get("/api/cached").one("Cache-Control") == "private, max-age=30"


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/settings",
        "/index.html",
        ASSET_PATH,
        "/assets/missing.def456.js",
        "/assets/",
        "/health",
        "/api/items",
        "/api/framed",
        "/api/broken",
        "/metrics",
    ],
)
def test_security_headers_on_every_kind_of_response(edge: Edge, path: str) -> None:
    response = edge.get(path)

    assert {name: response.one(name) for name in SECURITY} == SECURITY, response.status


METRICS_PROBES = [
    "{m}",
    "{m}/",
    "{m}?format=json",
    "{M}",
    "/{m}",
    "/api/..{m}",
    "/api/%2e%2e{m}",
    "/api/..%2f{m1}",
    "/api/x/../..{m}",
    "{quoted}",
]


def metrics_probes(metrics_path: str) -> list[str]:
    """Spellings of the metrics path that nginx, or a permissive router, reads as it."""
    head, last = metrics_path.rsplit("/", 1)
    quoted = f"{head}/%{ord(last[0]):02x}{last[1:]}"
    return [
        probe.format(m=metrics_path, M=metrics_path.upper(), m1=metrics_path[1:], quoted=quoted)
        for probe in METRICS_PROBES
    ]


def assert_metrics_unreachable(edge: Edge) -> None:
    for path in metrics_probes(edge.metrics_path):
        response = edge.get(path)
        assert METRICS not in response.body, path
        if routed(path) == routed(edge.metrics_path) and ".." not in path:
            assert response.status == 404, path
    reached = [r.path for r in edge.backend.received]
    assert not [p for p in reached if routed(p) == routed(edge.metrics_path)], reached


def test_the_backends_metrics_are_not_reachable_through_the_edge(edge: Edge) -> None:
    assert_metrics_unreachable(edge)


def test_metrics_under_the_api_prefix_are_refused_too(project: Path) -> None:
    spec = project / "pivotal.yaml"
    text = spec.read_text()
    assert text.count("      path: /metrics\n") == 1
    spec.write_text(text.replace("      path: /metrics\n", "      path: /api/metrics\n"))

    with serving(Project(project), "prod") as served:
        assert served.metrics_path == "/api/metrics"
        assert_metrics_unreachable(served)
        assert served.get("/api/items").body == b'{"items": []}'  # the prefix is proxied
