"""The backup and restore scripts' command lines and failure paths, against the fake
docker (tests/fake_docker.py); tests/rehearsal/test_postgres.py runs them against a real
PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest

from pivotal_gen.targets import scripts
from tests.fake_docker import COMPOSE, run_script

EXEC = [*COMPOSE, "exec", "-T", "postgres"]
DUMP = [*EXEC, "sh", "-c", 'exec pg_dump -U "$POSTGRES_USER" -d "$POSTGRES_DB" -Fc']
READ = [*EXEC, "pg_restore", "-f", "/dev/null"]  # every byte of the dump, nothing restored
LIVE = [*EXEC, "printenv", "POSTGRES_DB"]
RESTORE = 'exec pg_restore -U "$POSTGRES_USER" -d "$1"'


def _create(database: str) -> list[str]:
    return [*EXEC, "sh", "-c", 'exec createdb -U "$POSTGRES_USER" "$1"', "sh", database]


def _restore(database: str, *options: str) -> list[str]:
    command = " ".join([RESTORE, *options, "--no-owner", "--single-transaction"])
    return [*EXEC, "sh", "-c", command, "sh", database]


def _drop(database: str) -> list[str]:
    command = 'exec dropdb -U "$POSTGRES_USER" --if-exists --force "$1"'
    return [*EXEC, "sh", "-c", command, "sh", database]


@pytest.fixture
def tree(tree: Path) -> Path:
    """The platform repo of tests/targets/conftest.py, with a dump to restore."""
    (tree / "backup.dump").write_text("PGDMP")
    return tree


def test_backup_dumps_inside_the_container_and_reads_the_dump_back(tree: Path) -> None:
    run = run_script(tree, scripts.BACKUP)

    assert run.returncode == 0, run.stderr
    assert run.calls == [DUMP, READ]
    (dump,) = (tree / "backups").iterdir()
    assert dump.name.startswith("backup_") and dump.name.endswith(".dump")
    assert dump.read_text() == "PGDMP fake dump"
    assert dump.stat().st_mode & 0o777 == 0o600  # it holds every row
    assert f"backup written: backups/{dump.name}" in run.stdout


@pytest.mark.parametrize(
    ("env", "message", "calls"),
    [
        ({"FAKE_PG_DUMP_RC": "1"}, "error: pg_dump failed in postgres", [DUMP]),
        ({"FAKE_READ_RC": "1"}, "error: the dump does not read back to its end", [DUMP, READ]),
    ],
)
def test_a_failed_backup_leaves_no_file(
    tree: Path, env: dict[str, str], message: str, calls: list[list[str]]
) -> None:
    run = run_script(tree, scripts.BACKUP, **env)

    assert run.returncode == 1
    assert message in run.stderr
    assert run.calls == calls
    assert list((tree / "backups").iterdir()) == []  # not even the hidden temporary file


@pytest.mark.parametrize(
    ("database", "flags", "calls"),
    [
        ("pivotal_restored", (), [_create("pivotal_restored"), _restore("pivotal_restored")]),
        ("pivotal", ("--into-live",), [_restore("pivotal", "--clean", "--if-exists")]),
    ],
)
def test_restore_reads_the_dump_whole_then_restores_in_one_transaction(
    tree: Path, database: str, flags: tuple[str, ...], calls: list[list[str]]
) -> None:
    run = run_script(tree, scripts.RESTORE, "platform/backup.dump", "-d", database, *flags)

    assert run.returncode == 0, run.stderr
    assert run.calls == [LIVE, READ, *calls]


@pytest.mark.parametrize("flags", [(), ("--into-live",)])
def test_restore_of_a_dump_that_does_not_read_whole_changes_nothing(
    tree: Path, flags: tuple[str, ...]
) -> None:
    database = "pivotal" if flags else "pivotal_restored"
    run = run_script(
        tree, scripts.RESTORE, "platform/backup.dump", "-d", database, *flags, FAKE_READ_RC="1"
    )

    assert run.returncode == 1
    assert "does not read to its end" in run.stderr
    assert "nothing was changed" in run.stderr
    assert run.calls == [LIVE, READ]


def test_a_failed_restore_drops_the_database_it_created(tree: Path) -> None:
    run = run_script(
        tree, scripts.RESTORE, "platform/backup.dump", "-d", "copy", FAKE_RESTORE_RC="1"
    )

    assert run.returncode == 1
    assert run.calls == [LIVE, READ, _create("copy"), _restore("copy"), _drop("copy")]
    assert "error: restoring" in run.stderr


def test_a_restore_never_drops_a_database_it_did_not_create(tree: Path) -> None:
    run = run_script(
        tree, scripts.RESTORE, "platform/backup.dump", "-d", "copy", FAKE_CREATEDB_RC="1"
    )

    assert run.returncode == 1
    assert "error: cannot create copy (it may exist already" in run.stderr
    assert run.calls == [LIVE, READ, _create("copy")]


def test_a_failed_restore_into_live_is_rolled_back_not_dropped(tree: Path) -> None:
    run = run_script(
        tree, scripts.RESTORE, "platform/backup.dump", "-d", "pivotal", "--into-live",
        FAKE_RESTORE_RC="1",
    )  # fmt: skip

    assert run.returncode == 1
    assert run.calls == [LIVE, READ, _restore("pivotal", "--clean", "--if-exists")]
    assert "rolled back: the live database pivotal is as it was" in run.stderr


def test_restore_refuses_the_live_database(tree: Path) -> None:
    run = run_script(tree, scripts.RESTORE, "platform/backup.dump", "-d", "pivotal")

    assert run.returncode == 1
    assert "error: pivotal is the live database (POSTGRES_DB)" in run.stderr
    assert run.calls == [LIVE]  # only the question which database is live


@pytest.mark.parametrize(
    "args", [("platform/backup.dump",), ("-d", "x"), ("a", "b", "-d", "x"), ("--bogus",)]
)
def test_restore_rejects_bad_usage(tree: Path, args: tuple[str, ...]) -> None:
    run = run_script(tree, scripts.RESTORE, *args)

    assert run.returncode in (1, 2)
    assert run.calls == []
