"""Redis as rendered: it asks for the password from the secret file, its healthcheck
authenticates, the exporter scrapes it, and maxmemory bounds it below the memory limit.

Each test runs the real redis-server with the start command and the healthcheck test the
real Compose parser reads from the rendered files, and the exporter (Debian's
prometheus-redis-exporter) with the environment Compose gives its container. What only a
container has is stood in, and only that, as tests/rehearsal/redis.py names it.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import get_args
from urllib.parse import urlsplit

import pytest

from pivotal_gen.model.redis import EvictionPolicy
from tests.conftest import REPO
from tests.rehearsal.redis import (
    NETWORK_ADDRESS,
    PASSWORD,
    Rendered,
    Running,
    redis_exporter,
    redis_server,
    rendered,
    started,
)
from tests.rehearsal.servers import stand_in
from tests.rehearsal.web import scrape
from tests.tools import debian_program

pytestmark = pytest.mark.slow

# What a password manager may hand out: Redis, the healthcheck and the exporter take it.
HOSTILE = [
    "double\"quote and 'single' quote",
    'back\\slash\\ and \\" escaped',
    "dollar $HOME ${HOME} $$ $(id) `id`",
    "#hash at start, # in the middle",
    "  spaces around  ",
    "printf %s%n%% and -a flag-like",
    "tab\tsemicolon; & | < > * ? ~ !",
    "unicode pässwörd ✓",
]


@pytest.fixture(scope="module")
def prod(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    return rendered(REPO, "prod", tmp_path_factory.mktemp("prod"), PASSWORD)


def test_a_client_without_the_password_is_refused(prod: Rendered, tmp_path: Path) -> None:
    with started(prod, tmp_path, PASSWORD) as redis:
        assert redis.cli("ping").startswith("NOAUTH")
        assert redis.cli("set", "k", "v").startswith("NOAUTH")
        assert redis.cli("ping", password="wrong").startswith(("NOAUTH", "WRONGPASS", "AUTH"))
        assert redis.cli("ping", password=PASSWORD) == "PONG"


def test_the_healthcheck_passes_with_the_secret_file_and_fails_without(
    prod: Rendered, tmp_path: Path
) -> None:
    test = prod.health_test()
    assert not any(PASSWORD in part for part in test)
    with started(prod, tmp_path, PASSWORD) as redis:
        assert redis.healthcheck(test) == 0
        redis.secret.write_text("not-the-password")
        assert redis.healthcheck(test) != 0
        redis.secret.unlink()
        assert redis.healthcheck(test) != 0


def test_the_exporter_reports_redis_up_and_the_derived_maxmemory(
    prod: Rendered, tmp_path: Path
) -> None:
    # 75% of the container's limit: the rest is headroom for fork and buffers (docs/spec.md).
    derived = prod.memory_limit() * 3 // 4
    with (
        started(prod, tmp_path, PASSWORD) as redis,
        redis_exporter(tmp_path, redis.exporter_env(prod)) as port,
    ):
        samples = scrape(port)
    assert samples["redis_up"] == 1
    assert samples["redis_memory_max_bytes"] == derived


def test_the_password_is_in_neither_the_process_list_nor_the_environment(
    prod: Rendered, tmp_path: Path
) -> None:
    assert not any(PASSWORD in part for part in prod.command())
    assert PASSWORD not in repr(prod.environment("redis"))
    with started(prod, tmp_path, PASSWORD) as redis:
        assert PASSWORD.encode() not in Path(f"/proc/{redis.pid}/cmdline").read_bytes()
        assert PASSWORD.encode() not in Path(f"/proc/{redis.pid}/environ").read_bytes()
        assert redis.cli("ping", password=PASSWORD) == "PONG"


@pytest.mark.parametrize("password", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_passwords_work_end_to_end(password: str, tmp_path: Path) -> None:
    stack = rendered(REPO, "prod", tmp_path, password)
    with started(stack, tmp_path, password) as redis:
        assert redis.cli("ping").startswith("NOAUTH")
        assert redis.cli("ping", password=password) == "PONG"
        assert redis.healthcheck(stack.health_test()) == 0
        env = redis.exporter_env(stack)
        assert env["REDIS_PASSWORD"] == password
        with redis_exporter(tmp_path, env) as port:
            assert scrape(port)["redis_up"] == 1


def test_the_backend_url_carries_the_password(prod: Rendered, tmp_path: Path) -> None:
    url = prod.environment("backend")["REDIS_URL"]
    assert urlsplit(url).password == PASSWORD
    with started(prod, tmp_path, PASSWORD) as redis:
        local = stand_in(url, NETWORK_ADDRESS, f"127.0.0.1:{redis.port}")  # HOST
        # The URL on redis-cli's command line: this test's password only.
        assert redis.cli("--no-auth-warning", "-u", local, "ping") == "PONG"


def test_redis_evicts_at_the_derived_maxmemory_instead_of_outgrowing_its_limit(
    project: Path, tmp_path: Path
) -> None:
    (project / "profiles" / "small.yaml").write_text(
        "services:\n  redis:\n    deploy: {resources: {limits: {memory: 24M}}}\n"
    )
    stack = rendered(project, "small", tmp_path, PASSWORD)
    derived = stack.memory_limit() * 3 // 4
    value = b"x" * 1024
    sets = [b"*3\r\n$3\r\nSET\r\n$%d\r\nk%d\r\n$1024\r\n%s\r\n" % (len(b"k%d" % i), i, value)
            for i in range(stack.memory_limit() // 1024)]  # fmt: skip
    with started(stack, tmp_path, PASSWORD) as redis:
        env = {"PATH": os.environ.get("PATH", ""), "REDISCLI_AUTH": PASSWORD}
        subprocess.run(
            [debian_program("redis-cli", "redis-tools"), "-p", str(redis.port), "--pipe"],
            input=b"".join(sets), env=env, capture_output=True, check=False, timeout=120,
        )  # fmt: skip
        memory = _info(redis.cli("info", "memory", password=PASSWORD))
        stats = _info(redis.cli("info", "stats", password=PASSWORD))
    assert int(memory["maxmemory"]) == derived
    assert int(stats["evicted_keys"]) > 0
    # Redis evicts before each write, so its data passes maxmemory by one write at most.
    assert int(memory["used_memory"]) <= derived + 64 * 1024 < stack.memory_limit()


def _info(text: str) -> dict[str, str]:
    return dict(line.split(":", 1) for line in text.splitlines() if ":" in line)


def test_every_eviction_policy_the_spec_accepts_is_one_redis_accepts(tmp_path: Path) -> None:
    with redis_server(tmp_path / "redis") as port:
        server = Running(port, 0, tmp_path / "redis", tmp_path / "unused")
        for policy in get_args(EvictionPolicy):
            assert server.cli("config", "set", "maxmemory-policy", policy) == "OK", policy
            assert server.cli("config", "get", "maxmemory-policy").split() == [
                "maxmemory-policy", policy
            ]  # fmt: skip
        assert server.cli("config", "set", "maxmemory-policy", "lru").startswith("ERR")
