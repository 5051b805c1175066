"""The pg-isready-tcp rule: which healthcheck tests probe PostgreSQL's socket.
(The located error on a spec is cases/invalid/policy-pg-isready-socket.yaml.)"""

from __future__ import annotations

import pytest

from pivotal_gen.checks.rules.pg_isready_tcp import socket_probes


@pytest.mark.parametrize(
    "test",
    [
        "pg_isready",
        ["CMD", "pg_isready", "-U", "postgres"],
        ["CMD-SHELL", 'pg_isready -U "$${POSTGRES_USER}" -d "$${POSTGRES_DB}"'],
        "pg_isready -h /var/run/postgresql",  # a socket folder
        "pg_isready --host=/run/postgresql",
        "PGHOST=/tmp pg_isready",
        "true && pg_isready -q",
        "/usr/local/bin/pg_isready -U postgres",
        "pg_isready -U -h",  # -h is the user name here
        "pg_isready -d flow",  # a database name, not a connection string
        "pg_isready -d 'dbname=flow user=x'",
        "echo -h 127.0.0.1; pg_isready",  # the -h is echo's
        "pg_isready -h",
    ],
)
def test_a_socket_probe_is_flagged(test: list[str] | str) -> None:
    assert len(list(socket_probes(test))) == 1


@pytest.mark.parametrize(
    "test",
    [
        "pg_isready -h 127.0.0.1 -U x",
        "pg_isready -qh127.0.0.1",
        "pg_isready --host=localhost",
        "pg_isready --host localhost",
        ["CMD", "pg_isready", "-h", "127.0.0.1"],
        ["CMD-SHELL", 'pg_isready -h 127.0.0.1 -U "$${POSTGRES_USER}"'],
        "PGHOST=127.0.0.1 pg_isready",
        "pg_isready -d 'host=127.0.0.1 dbname=x'",
        "pg_isready --dbname=postgresql://u@127.0.0.1:5432/x",
        "pg_isready -d postgres://[::1]:5432/x",
        ["CMD", "wget", "-q", "--spider", "http://127.0.0.1:3000/health"],
        "pg_isready -h 'unclosed",  # the shell refuses it; not this rule's business
    ],
)
def test_a_tcp_probe_or_another_command_passes(test: list[str] | str) -> None:
    assert list(socket_probes(test)) == []


def test_the_services_pghost_counts_unless_it_is_a_socket_folder() -> None:
    assert list(socket_probes("pg_isready", pghost="127.0.0.1")) == []
    assert len(list(socket_probes("pg_isready", pghost="/var/run/postgresql"))) == 1
    assert list(socket_probes("PGHOST=db pg_isready", pghost="/var/run/postgresql")) == []
