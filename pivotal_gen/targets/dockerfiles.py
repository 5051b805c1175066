"""The application images: `<app>/Dockerfile` and its `.dockerignore` per recipe.

The ignore file is `<app>/Dockerfile.dockerignore`: the build context is the
repo root (a pnpm workspace), where BuildKit looks for it beside the Dockerfile.
EXPOSE, HEALTHCHECK and the backend's PORT come from the service's `http`, so
that they cannot disagree with the Compose healthcheck and published ports.
"""

from __future__ import annotations

from pivotal_gen.formats.comments import comment_header
from pivotal_gen.formats.jinja import render_template
from pivotal_gen.model.images import ImageRecipe, NodeServerImage
from pivotal_gen.model.prisma import PRISMA_BUILT_DEPENDENCIES
from pivotal_gen.model.service import Healthcheck
from pivotal_gen.targets.context import RenderContext

NAME = "dockerfiles"

# Alpine's tini: PID 1 that forwards signals and reaps, in the runner and migration stage.
TINI = "/sbin/tini"
# What `prisma generate` is given for the datasource variable: it connects to nothing.
GENERATE_URL = "postgresql://localhost:5432/prisma-generate"

_TEMPLATES = {
    "node-server": "Dockerfile.node-server.j2",
    "static-site": "Dockerfile.static-site.j2",
}


def render(ctx: RenderContext) -> dict[str, bytes]:
    header = comment_header(ctx.header_lines()).rstrip("\n")
    files: dict[str, bytes] = {}
    for name, recipe in ctx.spec.images.items():
        service = ctx.spec.services[name]
        assert service.http is not None  # checks/images.py requires it
        files[recipe.dockerfile] = render_template(
            _TEMPLATES[recipe.kind],
            header=header,
            r=recipe,
            app=recipe.app_dir,
            http=service.http,
            health_url=service.http.endpoint.url(),
            healthcheck_options=healthcheck_options(service.healthcheck),
            **node_server_values(recipe),
        )
        files[ignore_file(recipe)] = render_template("dockerignore.j2", header=header)
    return files


def node_server_values(recipe: ImageRecipe) -> dict[str, object]:
    """What the shared base stages and the node-server stages add for a node server."""
    if not isinstance(recipe, NodeServerImage):
        return {"os_packages": [], "allowed_builds": []}
    prisma = recipe.prisma
    return {
        # Prisma's engines link OpenSSL, which Alpine does not ship by default.
        "os_packages": ["openssl", "tini"] if prisma else ["tini"],
        "allowed_builds": list(PRISMA_BUILT_DEPENDENCIES) if prisma else [],
        "p": prisma,
        "generate_url": GENERATE_URL,
        "entrypoint": [TINI, "--"],
    }


def ignore_file(recipe: ImageRecipe) -> str:
    return recipe.dockerfile + ".dockerignore"


def healthcheck_options(check: Healthcheck | None) -> str:
    """The Compose healthcheck's timing as HEALTHCHECK flags, so `docker run` checks alike."""
    if check is None:
        return ""
    flags = {
        "interval": check.interval,
        "timeout": check.timeout,
        "start-period": check.start_period,
        "start-interval": check.start_interval,
        "retries": check.retries,
    }
    return "".join(f"--{flag}={value} " for flag, value in flags.items() if value is not None)
