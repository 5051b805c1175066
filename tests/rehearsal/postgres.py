"""PostgreSQL clusters on loopback for the rehearsal tests, as the postgres image runs one."""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tests.rehearsal.servers import (
    free_port,
    hand_to,
    reachable_folder,
    running,
    server_user,
)
from tests.tools import debian_program

# PostgreSQL's programs are not on PATH in Debian: they live in a versioned folder.
_PG_BIN = sorted(Path("/usr/lib/postgresql").glob("*/bin"))


def postgres_program(name: str) -> str:
    """initdb, pg_ctl, postgres, pg_dump...: from Debian's versioned folder when not on PATH."""
    for folder in _PG_BIN:
        if (folder / name).is_file():
            return str(folder / name)
    return debian_program(name, "postgresql")


@dataclass(frozen=True)
class Postgres:
    """A PostgreSQL cluster on loopback: `port`, the `socket_dir`, and its superuser."""

    port: int
    socket_dir: Path
    superuser: str
    password: str

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
        yield Postgres(port, sockets, data.superuser, data.password)
