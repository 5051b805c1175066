"""The production backup and restore scripts and PostgreSQL's healthcheck, rendered from
this repo's pivotal.yaml, run unchanged against a real PostgreSQL on loopback.

`docker compose exec` is tests/local_docker.py: the scripts' commands run here with the
service's environment as the Compose parser resolves it, reaching the cluster where the
container's programs reach their server (its socket, its port). The cluster is set up as
the postgres image sets up its own: socket and loopback trusted, POSTGRES_USER the
superuser, POSTGRES_DB created and the service's initdb.d files run in it.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from pivotal_gen.layout import APP_FILE, INFRA_FILE
from pivotal_gen.project import Project
from pivotal_gen.sync.plan import render_profile
from pivotal_gen.targets import scripts
from tests import local_docker
from tests.compose import SECRETS, compose_model, unescape
from tests.conftest import REPO
from tests.fake_docker import ScriptRun, install_tree
from tests.rehearsal.postgres import (
    Postgres,
    postgres_cluster,
    postgres_data,
    postgres_program,
    serve_postgres,
)
from tests.tools import compose_binary

pytestmark = pytest.mark.slow

SERVICE = "postgres"
# Not the spec's defaults: the scripts must take the names from the container.
USER, LIVE = "rehearsal", "flow"
# Every secret the stack requires (tests/compose.py keeps the list), then these.
ENV_FILE = "".join(
    f"{name}={value}\n"
    for name, value in {
        **SECRETS,
        "POSTGRES_USER": USER,
        "POSTGRES_DB": LIVE,
        "POSTGRES_PASSWORD": "rehearsal-only",
    }.items()
)
ROWS = 1000
SEED = f"""
CREATE TABLE items (id serial PRIMARY KEY, name text NOT NULL, price numeric(8, 2));
INSERT INTO items (name, price) SELECT 'item ' || g, g * 1.25 FROM generate_series(1, {ROWS}) g;
CREATE INDEX items_name ON items (name);
CREATE SEQUENCE invoice_numbers START 1000;
SELECT setval('invoice_numbers', 4242);
CREATE VIEW expensive AS SELECT id, name FROM items WHERE price > 1000;
CREATE FUNCTION item_count() RETURNS bigint LANGUAGE sql AS 'SELECT count(*) FROM items';
"""


@dataclass(frozen=True)
class Stage:
    """The rendered prod platform repo, the cluster standing in for its postgres, and
    what a script needs to run against them."""

    tree: Path
    pg: Postgres
    env: dict[str, str]

    def run(self, script: str, *args: str, file_size_limit: int | None = None) -> ScriptRun:
        return local_docker.run(
            self.tree, script, *args, env=self.env, file_size_limit=file_size_limit
        )

    def sql(self, query: str, database: str = LIVE) -> str:
        return self.pg.psql("-c", query, database=database)

    def databases(self) -> set[str]:
        return set(self.sql("SELECT datname FROM pg_database", "postgres").split())

    def state(self, database: str) -> tuple[str, str, str]:
        """The rows, the sequences and the objects of a database."""
        rows = self.sql("SELECT md5(string_agg(i::text, ',' ORDER BY id)) FROM items i", database)
        sequences = self.sql(
            "SELECT string_agg(sequencename || '=' || coalesce(last_value, 0), ',' "
            "ORDER BY sequencename) FROM pg_sequences",
            database,
        )
        schema = subprocess.run(
            [postgres_program("pg_dump"), "--schema-only", "-d", database],
            env={**os.environ, **self.pg.env()}, capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        # pg_dump fences its output with \restrict KEY ... \unrestrict KEY, a new key each time.
        schema = "".join(line for line in schema.splitlines(True) if "restrict " not in line)
        return rows, sequences, schema


@pytest.fixture
def stage(tmp_path: Path) -> Iterator[Stage]:
    tree = install_tree(render_profile(Project(REPO), "prod"), tmp_path / "platform")
    (tree / ".env").write_text(ENV_FILE)
    with postgres_cluster(superuser=USER, image_auth=True) as pg:
        stand_ins = {SERVICE: _stand_in(pg)}
        env = local_docker.install(tmp_path, compose_binary(), stand_ins, _container_path())
        stage = Stage(tree, pg, env)
        _initialise_like_the_image(stage)
        stage.sql(SEED)
        yield stage


def _stand_in(pg: Postgres) -> dict[str, str]:
    """Where the container's programs reach their server, by default: the socket folder
    and the port (libpq's socket file and TCP port are both named by the port)."""
    return {"PGHOST": str(pg.socket_dir), "PGPORT": str(pg.port)}


def _container_path() -> str:
    """PostgreSQL's programs first, as on the image's PATH."""
    return f"{Path(postgres_program('pg_isready')).parent}{os.pathsep}/usr/bin:/bin"


def _model(tree: Path) -> dict[str, Any]:
    """The platform's Compose model as `docker compose` reads it in `tree`: its files and
    .env, and nothing from the environment the tests run in."""
    return compose_model(tree, [INFRA_FILE, APP_FILE], {}, env_file=tree / ".env")


def _initialise_like_the_image(stage: Stage) -> None:
    """What the postgres image's entrypoint does on a new volume: create POSTGRES_DB and
    run the service's /docker-entrypoint-initdb.d/*.sql files in it."""
    stage.sql(f"CREATE DATABASE {LIVE}", "postgres")
    config = _model(stage.tree)
    for mount in config["services"][SERVICE].get("configs", []):
        if mount["target"].startswith("/docker-entrypoint-initdb.d/"):
            stage.sql(config["configs"][mount["source"]]["content"])


def _backup(stage: Stage) -> Path:
    run = stage.run(scripts.BACKUP)
    assert run.returncode == 0, run.stderr
    (dump,) = (stage.tree / "backups").iterdir()
    return dump


def _truncated(dump: Path) -> Path:
    """The dump cut after its table of contents, in its data: `pg_restore -l` reads it
    as whole, which is why the restore must read every byte first."""
    data = dump.read_bytes()
    cut = dump.with_name("truncated.dump")
    cut.write_bytes(data[: len(data) * 2 // 3])
    listing = subprocess.run(
        [postgres_program("pg_restore"), "-l", str(cut)], capture_output=True, check=False
    )
    assert listing.returncode == 0, "the cut should fall after the table of contents"
    return cut


def test_backup_then_restore_into_a_new_database_gives_the_same_database(stage: Stage) -> None:
    dump = _backup(stage)
    assert dump.name.startswith("backup_") and dump.name.endswith(".dump")
    assert "pg_stat_statements" in stage.state(LIVE)[2]  # the initdb.d file ran

    run = stage.run(scripts.RESTORE, str(dump), "-d", "restored")

    assert run.returncode == 0, run.stderr
    assert stage.state("restored") == stage.state(LIVE)
    assert stage.sql("SELECT count(*) FROM items", "restored").strip() == str(ROWS)


def test_a_backup_is_for_its_owner_only(stage: Stage) -> None:
    assert _backup(stage).stat().st_mode & 0o077 == 0, "a dump holds every row"


def test_a_backup_that_fails_half_way_leaves_nothing_that_looks_like_a_dump(stage: Stage) -> None:
    """pg_dump killed after 4 KiB (the file size limit, as a full disk would stop it)."""
    run = stage.run(scripts.BACKUP, file_size_limit=4096)

    assert run.returncode != 0
    assert "error: pg_dump failed" in run.stderr
    assert list((stage.tree / "backups").iterdir()) == []


def test_a_truncated_dump_restored_into_live_changes_nothing(stage: Stage) -> None:
    cut = _truncated(_backup(stage))
    before = stage.state(LIVE)

    run = stage.run(scripts.RESTORE, str(cut), "-d", LIVE, "--into-live")

    assert run.returncode != 0
    assert stage.state(LIVE) == before
    assert stage.sql("SELECT count(*) FROM items").strip() == str(ROWS)


def test_a_restore_that_fails_inside_the_live_database_is_rolled_back(stage: Stage) -> None:
    """A dump that reads whole but cannot be restored (a role it grants to is gone):
    what was dropped before the error comes back."""
    stage.sql("CREATE ROLE reporting; GRANT SELECT ON items TO reporting")
    stage.sql("INSERT INTO items (name) VALUES ('only in the dump')")
    dump = _backup(stage)
    stage.sql("DELETE FROM items WHERE name = 'only in the dump'")
    stage.sql("REVOKE ALL ON items FROM reporting; DROP ROLE reporting")
    before = stage.state(LIVE)

    run = stage.run(scripts.RESTORE, str(dump), "-d", LIVE, "--into-live")

    assert run.returncode != 0
    assert 'role "reporting" does not exist' in run.stderr
    assert stage.state(LIVE) == before


def test_a_failed_restore_into_a_new_database_leaves_none_and_a_retry_works(stage: Stage) -> None:
    stage.sql("CREATE ROLE reporting; GRANT SELECT ON items TO reporting")
    dump = _backup(stage)
    cut = _truncated(dump)
    stage.sql("REVOKE ALL ON items FROM reporting; DROP ROLE reporting")
    databases = stage.databases()

    for failing in (cut, dump):  # cut short; whole, but its GRANT names a missing role
        run = stage.run(scripts.RESTORE, str(failing), "-d", "restored")
        assert run.returncode != 0, failing
        assert stage.databases() == databases, failing

    stage.sql("CREATE ROLE reporting")  # the operator fixes the cause and retries
    retry = stage.run(scripts.RESTORE, str(dump), "-d", "restored")

    assert retry.returncode == 0, retry.stderr
    assert stage.sql("SELECT count(*) FROM items", "restored").strip() == str(ROWS)


def test_the_healthcheck_passes_only_once_postgres_takes_tcp_connections(tmp_path: Path) -> None:
    """On a new volume the image's entrypoint first runs a temporary server on the socket
    only; dependants must not start before the real one listens on the network."""
    tree = install_tree(render_profile(Project(REPO), "prod"), tmp_path / "platform")
    (tree / ".env").write_text(ENV_FILE)
    config = _model(tree)
    kind, test = config["services"][SERVICE]["healthcheck"]["test"]
    assert kind == "CMD-SHELL"
    # `compose config` writes `$` as `$$` again; the engine gets the test unescaped.
    command = ["sh", "-c", unescape(test)]
    env = local_docker.service_environment(config, SERVICE)

    with postgres_data(superuser=USER, image_auth=True) as data:

        def healthcheck(pg: Postgres) -> int:
            stand_in = {**env, **_stand_in(pg), "PATH": _container_path()}
            return subprocess.run(command, env=stand_in, cwd="/", check=False).returncode

        with serve_postgres(data, listen="") as setup:  # the entrypoint's temporary server
            assert healthcheck(setup) != 0
        with serve_postgres(data, port=setup.port) as server:
            assert healthcheck(server) == 0
