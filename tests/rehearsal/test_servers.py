"""The rehearsal's servers start, answer and stop: the ground the other rehearsals stand on."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.rehearsal.postgres import postgres_cluster
from tests.rehearsal.redis import redis_server
from tests.rehearsal.servers import listening
from tests.tools import debian_program

pytestmark = pytest.mark.slow


def test_postgres_starts_answers_over_tcp_and_stops() -> None:
    with postgres_cluster() as pg:
        assert pg.psql("-c", "select 40 + 2").strip() == "42"
    assert not listening(pg.port)


def test_redis_starts_answers_and_stops(tmp_path: Path) -> None:
    with redis_server(tmp_path / "redis") as port:
        pong = subprocess.run(
            [debian_program("redis-cli", "redis-tools"), "-p", str(port), "ping"],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        assert pong.stdout.strip() == "PONG"
    assert not listening(port)
