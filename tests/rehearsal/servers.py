"""Real servers of the stack, run natively on loopback for the rehearsal tests.

There is no Docker engine where the tests run, but PostgreSQL, Redis, the
exporters, Prometheus, Alertmanager and nginx have Debian packages. A test starts
the one it needs in its temporary folder on a free loopback port and stops it by
PID when it is done, whatever happened; a missing program skips the test with the
package to install (and fails it when CI is set, as every tool check does).
"""

from __future__ import annotations

import contextlib
import http.server
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
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from tests.tools import require, unavailable

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


@contextlib.contextmanager
def postgres_cluster(
    *, superuser: str = "pivotal", password: str = "rehearsal-only"
) -> Iterator[Postgres]:
    """initdb a new cluster and run it on a free loopback port (and its own socket folder)."""
    user = server_user()
    with reachable_folder(user) as folder, _cluster(folder, user, superuser, password) as pg:
        yield pg


@contextlib.contextmanager
def _cluster(folder: Path, user: str | None, superuser: str, password: str) -> Iterator[Postgres]:
    data, sockets = folder / "data", folder / "sockets"
    sockets.mkdir()
    pwfile = folder / "pwfile"
    pwfile.write_text(password + "\n")
    hand_to(folder, user)
    initdb = subprocess.run(
        [postgres_program("initdb"), "-D", str(data), "-U", superuser, f"--pwfile={pwfile}",
         "-A", "scram-sha-256", "--no-sync", "-E", "UTF8"],
        user=user, capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert initdb.returncode == 0, f"initdb failed:\n{initdb.stdout}{initdb.stderr}"
    port = free_port()
    argv = [
        postgres_program("postgres"), "-D", str(data), "-p", str(port),
        "-c", "listen_addresses=127.0.0.1", "-c", f"unix_socket_directories={sockets}",
        "-c", "fsync=off",
    ]  # fmt: skip
    with running(argv, log=folder / "postgres.log", port=port, user=user):
        yield Postgres(port, sockets, superuser, password, user)


@contextlib.contextmanager
def redis_server(folder: Path, *extra: str) -> Iterator[int]:
    """redis-server on a free loopback port, its files in folder; yields the port."""
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    argv = [program("redis-server", "redis-server"), "--port", str(port), "--bind", "127.0.0.1",
            "--dir", str(folder), "--save", "", *extra]  # fmt: skip
    with running(argv, log=folder / "redis.log", port=port):
        yield port


@dataclass(frozen=True)
class Received:
    path: str
    body: object  # the request's JSON


class Sink:
    """What a loopback HTTP receiver was sent: every POST's path and JSON body."""

    def __init__(self, port: int) -> None:
        self.port = port
        self._lock = threading.Lock()
        self._received: list[Received] = []

    def add(self, received: Received) -> None:
        with self._lock:
            self._received.append(received)

    def received(self, path: str | None = None) -> list[Received]:
        with self._lock:
            return [r for r in self._received if path is None or r.path == path]


@contextlib.contextmanager
def http_sink() -> Iterator[Sink]:
    """A webhook receiver on a free loopback port, in a thread of the test: it answers
    every POST with 200 and keeps its JSON body; it is shut down when the block ends."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _SinkHandler)
    sink = Sink(int(server.server_address[1]))
    server.sink = sink  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield sink
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


class _SinkHandler(http.server.BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # the name http.server calls
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        try:
            data: object = json.loads(body)
        except ValueError:
            data = body.decode(errors="replace")
        self.server.sink.add(Received(self.path, data))  # type: ignore[attr-defined]
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the test asserts on what arrived, not on an access log."""


def get_json(url: str, *, timeout: float = 5) -> object:
    """GET a loopback URL's JSON."""
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return json.loads(response.read())


def answers(url: str) -> bool:
    """Whether a loopback URL answers 2xx now (a server's readiness endpoint, say)."""
    try:
        get_text(url, timeout=1)
    except (OSError, ValueError):  # refused, reset, an HTTP error status (a URLError)
        return False
    return True


def get_text(url: str, *, timeout: float = 5) -> str:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return str(response.read().decode())
