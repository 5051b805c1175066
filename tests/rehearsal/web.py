"""HTTP on loopback for the rehearsal tests: a stub server that records what it is sent
(a backend behind nginx, a webhook receiver), and a client for the servers' APIs."""

from __future__ import annotations

import contextlib
import json
import threading
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.rehearsal.servers import free_port


@dataclass(frozen=True)
class Received:
    """One request as the stub saw it: headers in order, repeats kept."""

    method: str
    path: str  # as sent on the request line, query included
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> list[str]:
        return [value for key, value in self.headers if key.lower() == name.lower()]


# status, headers, body; None closes the connection without an answer.
Answer = tuple[int, list[tuple[str, str]], bytes] | None


@dataclass
class StubHttp:
    """An HTTP server on loopback standing in for a service: it records every request
    and answers what `answer` says."""

    port: int
    received: list[Received] = field(default_factory=list)


@contextlib.contextmanager
def stub_http(answer: Callable[[Received], Answer]) -> Iterator[StubHttp]:
    """A threaded HTTP/1.1 server on a free loopback port until the block ends."""
    stub = StubHttp(free_port())

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # as nginx's keepalive upstreams speak

        def handle_one_request(self) -> None:
            self.raw_requestline = self.rfile.readline(65537)
            if not self.raw_requestline or not self.parse_request():
                self.close_connection = True
                return
            length = int(self.headers.get("Content-Length") or 0)
            request = Received(
                self.command, self.path, list(self.headers.items()), self.rfile.read(length)
            )
            stub.received.append(request)
            response = answer(request)
            if response is None:
                self.close_connection = True
                return
            status, headers, body = response
            self.send_response(status)
            for name, value in headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            self.wfile.flush()

        def log_message(self, format: str, *args: object) -> None:
            pass  # the test reads `received`, not a log

    server = ThreadingHTTPServer(("127.0.0.1", stub.port), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="stub-http", daemon=True)
    thread.start()
    try:
        yield stub
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def get_text(url: str, *, timeout: float = 5) -> str:
    """GET a loopback URL's body; anything but 200 OK in the end raises (an error status
    as urllib's HTTPError, another 2xx as a ValueError)."""
    with urllib.request.urlopen(url, timeout=timeout) as response:
        if response.status != 200:
            raise ValueError(f"{url} answered {response.status}, not 200")
        return str(response.read().decode())


def get_json(url: str, *, timeout: float = 5) -> object:
    """GET a loopback URL's JSON, as get_text() gets its body."""
    return json.loads(get_text(url, timeout=timeout))


def answers(url: str) -> bool:
    """Whether a loopback URL answers 200 now (a server's readiness endpoint, say)."""
    try:
        get_text(url, timeout=1)
    except (OSError, ValueError):  # refused, reset, an error status (a URLError), not 200
        return False
    return True


def scrape(port: int, path: str = "/metrics") -> dict[str, float]:
    """The samples without labels an exporter serves on loopback: name -> value."""
    text = get_text(f"http://127.0.0.1:{port}{path}", timeout=30)
    samples: dict[str, float] = {}
    for line in text.splitlines():
        name, _, value = line.partition(" ")
        if line and not line.startswith("#") and "{" not in name:
            samples[name] = float(value)
    return samples


def posted_json(stub: StubHttp, path: str) -> list[object]:
    """The JSON bodies POSTed to `path` of a stub, in order (a webhook's notifications)."""
    bodies: list[object] = []
    for request in list(stub.received):
        if request.method == "POST" and request.path == path:
            try:
                bodies.append(json.loads(request.body))
            except ValueError:
                bodies.append(request.body.decode(errors="replace"))
    return bodies
