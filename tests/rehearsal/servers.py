"""Real servers of the stack, run natively on loopback for the rehearsal tests.

There is no Docker engine where the tests run, but PostgreSQL, Redis, the
exporters, Prometheus, Alertmanager and nginx have Debian packages. A test starts
the one it needs in its temporary folder on a free loopback port and stops it by
PID when it is done, whatever happened; a missing program skips the test with the
package to install (and fails it when CI is set, as every tool check does).
"""

from __future__ import annotations

import contextlib
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tests.tools import nginx, require, unavailable

# PostgreSQL's programs are not on PATH in Debian: they live in a versioned folder.
_PG_BIN = sorted(Path("/usr/lib/postgresql").glob("*/bin"))


def free_port() -> int:
    """A loopback port nothing listens on now (the kernel's choice)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def listening(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.2)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def wait_until(
    condition: Callable[[], bool], what: str, *, timeout: float = 30, log: Path | None = None
) -> None:
    """Poll until condition holds; fail with what was awaited and the server's log."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    tail = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
    raise AssertionError(f"timed out after {timeout}s waiting for {what}\n{tail}")


def stop(process: subprocess.Popen[bytes], *, grace: float = 10) -> None:
    """Stop the process by its PID: SIGTERM, then SIGKILL after the grace period."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.kill(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=grace)


@contextlib.contextmanager
def running(
    argv: list[str],
    *,
    log: Path,
    port: int | None = None,
    ready: Callable[[], bool] | None = None,
    user: str | None = None,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float = 30,
) -> Iterator[subprocess.Popen[bytes]]:
    """Run a server until the block ends; ready once `port` accepts (or `ready()`)."""
    with log.open("ab") as out:
        process = subprocess.Popen(
            argv,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            cwd=cwd,
            user=user,
            start_new_session=True,  # a signal to the test run does not reach it
        )
    try:

        def up() -> bool:
            if process.poll() is not None:
                tail = log.read_text(errors="replace")[-3000:]
                raise AssertionError(f"{argv[0]} exited with {process.returncode}\n{tail}")
            return (port is None or listening(port)) and (ready is None or ready())

        wait_until(up, f"{argv[0]} to be ready", timeout=timeout, log=log)
        yield process
    finally:
        stop(process)


def program(name: str, package: str) -> str:
    """The path of a server program; skips (fails in CI) when its package is missing."""
    return require(name, name, f"Debian package {package}")


def postgres_program(name: str) -> str:
    """initdb, pg_ctl, postgres, pg_dump...: from Debian's versioned folder when not on PATH."""
    for folder in _PG_BIN:
        if (folder / name).is_file():
            return str(folder / name)
    return program(name, "postgresql")


def server_user() -> str | None:
    """The user servers run as: `postgres` when the tests run as root (initdb refuses
    root), else the test's own user."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        unavailable("tests run as root and no `postgres` user exists (Debian package postgresql)")
    return "postgres"


def hand_to(path: Path, user: str | None) -> None:
    """Give a folder the tests made to the user a server runs as."""
    if user is None:
        return
    entry = pwd.getpwnam(user)
    for root, dirs, files in os.walk(path):
        for name in [*dirs, *files]:
            os.chown(os.path.join(root, name), entry.pw_uid, entry.pw_gid)
    os.chown(path, entry.pw_uid, entry.pw_gid)


@dataclass(frozen=True)
class Postgres:
    """A PostgreSQL cluster on loopback: `port`, the `socket_dir`, and its superuser."""

    port: int
    socket_dir: Path
    superuser: str
    password: str
    run_as: str | None

    def env(self) -> dict[str, str]:
        """libpq's variables for a client of this cluster over TCP."""
        return {
            "PGHOST": "127.0.0.1",
            "PGPORT": str(self.port),
            "PGUSER": self.superuser,
            "PGPASSWORD": self.password,
        }

    def psql(self, *args: str, database: str = "postgres") -> str:
        result = subprocess.run(
            [postgres_program("psql"), "-X", "-v", "ON_ERROR_STOP=1", "-At", "-d", database, *args],
            env={**os.environ, **self.env()},
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        )
        return result.stdout


@contextlib.contextmanager
def reachable_folder(user: str | None) -> Iterator[Path]:
    """A new folder the server's user can reach: pytest's own temporary folders are
    private to the user running the tests, so a server of another user gets its own."""
    folder = Path(tempfile.mkdtemp(prefix="pivotal-rehearsal-"))
    try:
        folder.chmod(0o755)
        hand_to(folder, user)
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@dataclass(frozen=True)
class PostgresData:
    """An initdb'd cluster that is not running: serve_postgres() runs it."""

    folder: Path
    superuser: str
    password: str
    run_as: str | None


@contextlib.contextmanager
def postgres_cluster(
    *, superuser: str = "pivotal", password: str = "rehearsal-only", image_auth: bool = False
) -> Iterator[Postgres]:
    """initdb a new cluster and run it on a free loopback port (and its own socket folder).
    `image_auth`: see postgres_data()."""
    with (
        postgres_data(superuser=superuser, password=password, image_auth=image_auth) as data,
        serve_postgres(data) as pg,
    ):
        yield pg


@contextlib.contextmanager
def postgres_data(
    *, superuser: str = "pivotal", password: str = "rehearsal-only", image_auth: bool = False
) -> Iterator[PostgresData]:
    """initdb a new cluster in a folder of its own, removed afterwards. Every client
    authenticates with the password, unless `image_auth`: then, as the postgres image
    sets up its cluster, the socket and loopback are trusted (inside the container
    only its own processes reach them)."""
    user = server_user()
    with reachable_folder(user) as folder:
        (folder / "sockets").mkdir()
        pwfile = folder / "pwfile"
        pwfile.write_text(password + "\n")
        hand_to(folder, user)
        auth = (
            ["--auth-local=trust", "--auth-host=trust"] if image_auth else ["-A", "scram-sha-256"]
        )
        initdb = subprocess.run(
            [postgres_program("initdb"), "-D", str(folder / "data"), "-U", superuser,
             f"--pwfile={pwfile}", *auth, "--no-sync", "-E", "UTF8"],
            user=user, capture_output=True, text=True, check=False, timeout=120,
        )  # fmt: skip
        assert initdb.returncode == 0, f"initdb failed:\n{initdb.stdout}{initdb.stderr}"
        yield PostgresData(folder, superuser, password, user)


@contextlib.contextmanager
def serve_postgres(
    data: PostgresData, *, port: int | None = None, listen: str = "127.0.0.1"
) -> Iterator[Postgres]:
    """Run the cluster until the block ends: on `port` (a free one by default) and its
    socket folder; `listen=""` takes no TCP connections, only the socket's."""
    port = free_port() if port is None else port
    sockets = data.folder / "sockets"
    argv = [
        postgres_program("postgres"), "-D", str(data.folder / "data"), "-p", str(port),
        "-c", f"listen_addresses={listen}", "-c", f"unix_socket_directories={sockets}",
        "-c", "fsync=off",
    ]  # fmt: skip

    def accepting() -> bool:
        probe = [postgres_program("pg_isready"), "-q", "-h", str(sockets), "-p", str(port)]
        return subprocess.run(probe, check=False, timeout=10).returncode == 0

    log = data.folder / "postgres.log"
    with running(argv, log=log, port=port if listen else None, ready=accepting, user=data.run_as):
        yield Postgres(port, sockets, data.superuser, data.password, data.run_as)


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
    start = [program("redis-server", "redis-server"), "--save", ""] if command is None else command
    argv = [*start, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(folder), *extra]
    with running(argv, log=folder / "redis.log", port=port, env=env):
        yield port


@contextlib.contextmanager
def nginx_server(
    config: Path, port: int, *, user: str | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """nginx in the foreground on `config` (relative paths under its folder) until the
    block ends; ready once `port` accepts. Its logs go to nginx.log beside the config."""
    log = config.parent / "nginx.log"
    log.touch()
    hand_to(config.parent, user)  # nginx reopens /dev/stdout, the log, as `user`
    argv = [nginx(), "-e", "stderr", "-p", f"{config.parent}/", "-c", str(config),
            "-g", "daemon off;"]  # fmt: skip
    with running(argv, log=log, port=port, user=user) as process:
        yield process


def unprivileged_user() -> str | None:
    """Who runs a server that needs no particular user: `nobody` when the tests run as
    root (as the images run theirs, not as root), else the test's own user."""
    return "nobody" if os.geteuid() == 0 else None


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


@contextlib.contextmanager
def redis_exporter(folder: Path, env: dict[str, str], *args: str) -> Iterator[int]:
    """Debian's prometheus-redis-exporter on a free loopback port, with `env` as its whole
    environment (PATH aside) and `args`; yields the port its /metrics answers on."""
    port = free_port()
    binary = program("prometheus-redis-exporter", "prometheus-redis-exporter")
    argv = [binary, *args, "--web.listen-address", f"127.0.0.1:{port}"]
    clean = {"PATH": os.environ.get("PATH", ""), **env}
    with running(argv, log=folder / "redis-exporter.log", port=port, env=clean):
        yield port


def scrape(port: int, path: str = "/metrics") -> dict[str, float]:
    """The samples without labels an exporter serves on loopback: name -> value."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as response:
        text = response.read().decode()
    samples: dict[str, float] = {}
    for line in text.splitlines():
        name, _, value = line.partition(" ")
        if line and not line.startswith("#") and "{" not in name:
            samples[name] = float(value)
    return samples


def get_json(url: str, *, timeout: float = 5) -> object:
    """GET a loopback URL's JSON."""
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return json.loads(response.read())


def get_text(url: str, *, timeout: float = 5) -> str:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return str(response.read().decode())


def answers(url: str) -> bool:
    """Whether a loopback URL answers 2xx now (a server's readiness endpoint, say)."""
    try:
        get_text(url, timeout=1)
    except (OSError, ValueError):  # refused, reset, an HTTP error status (a URLError)
        return False
    return True


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
