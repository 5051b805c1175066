"""Every rendered Compose file, checked by the real Compose v2 parser."""

from __future__ import annotations

from pathlib import Path

import pytest

from pivotal_gen.project import Project
from pivotal_gen.sync.plan import render_profile
from tests.compose import APP, INFRA, SECRET_FILES, SECRETS, compose_config, compose_model
from tests.conftest import REPO, write_tree

PROFILES = Project(REPO).profiles


@pytest.fixture(params=PROFILES)
def tree(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """A freshly rendered profile, written where the platform repo would have it."""
    return write_tree(render_profile(Project(REPO), request.param), tmp_path)


def test_infrastructure_file_alone_is_valid(tree: Path) -> None:
    result = compose_config(tree, [INFRA], SECRETS, "--quiet")
    assert result.returncode == 0, result.stderr


def test_pair_is_valid(tree: Path) -> None:
    result = compose_config(tree, [INFRA, APP], SECRETS, "--quiet")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("secret", sorted(SECRETS.keys() - SECRET_FILES.keys()))
def test_pair_refuses_to_run_without_a_secret(tree: Path, secret: str) -> None:
    env = {k: v for k, v in SECRETS.items() if k != secret}
    result = compose_config(tree, [INFRA, APP], env, "--quiet")
    assert result.returncode != 0
    assert f"required variable {secret} is missing a value" in result.stderr


def test_merged_model_is_the_stack(tree: Path) -> None:
    model = compose_model(tree, [INFRA, APP], SECRETS)
    services = model["services"]

    assert "version" not in model
    assert set(services) == {
        "postgres", "redis", "postgres-exporter", "redis-exporter", "prometheus",
        "alertmanager", "grafana", "migrate", "backend", "frontend",
    }  # fmt: skip
    backend = services["backend"]
    assert backend["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert backend["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert backend["healthcheck"]["test"] == [
        "CMD",
        "wget",
        "-q",
        "--spider",
        "http://127.0.0.1:3000/health",
    ]
    # The build context is the platform repo root: paths are relative to the compose files.
    assert Path(backend["build"]["context"]) == tree
    assert Path(services["migrate"]["build"]["context"]) == tree
    assert services["migrate"]["restart"] == "no"
    assert services["migrate"]["build"]["target"] == "migrate"
    assert set(backend["networks"]) == {"devnet"}
    assert "pgdata" in model["volumes"]
    env = backend["environment"]
    assert env["JWT_SECRET"] == SECRETS["JWT_SECRET"]
    assert env["DATABASE_URL"] == (
        f"postgresql://pivotal:{SECRETS['POSTGRES_PASSWORD']}@postgres:5432/pivotal"
    )
    assert env["JWT_ACCESS_TTL"] == "15m"
    assert env["RATE_LIMIT_AUTHENTICATED"] == "1000"


def test_env_example_is_read_by_compose(tree: Path) -> None:
    """.env.example, with its empty secrets filled in, is a working --env-file."""
    env_file = tree / ".env"
    lines = (tree / ".env.example").read_text().splitlines()
    env_file.write_text(
        "\n".join(
            f"{line}{SECRETS[line[:-1]]}" if line.endswith("=") and line[:-1] in SECRETS else line
            for line in lines
        )
    )
    result = compose_config(tree, [INFRA, APP], {}, "--quiet", env_file=env_file)
    assert result.returncode == 0, result.stderr


def test_prod_publishes_only_what_is_reachable_from_outside(tmp_path: Path) -> None:
    tree = write_tree(render_profile(Project(REPO), "prod"), tmp_path)
    services = compose_model(tree, [INFRA, APP], SECRETS)["services"]

    published = {
        (name, port.get("host_ip", ""), port["published"])
        for name, service in services.items()
        for port in service.get("ports", [])
    }
    assert published == {
        ("frontend", "", "8080"),  # the API too, through nginx
        ("grafana", "127.0.0.1", "3001"),
        ("alertmanager", "127.0.0.1", "9093"),  # for silences, through an SSH tunnel
    }
    for name, service in services.items():
        if name != "migrate":
            assert service["restart"] == "unless-stopped", name
        assert service["deploy"]["resources"]["limits"]["memory"], name
