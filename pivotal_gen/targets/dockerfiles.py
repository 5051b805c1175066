"""The application images: `<app>/Dockerfile` and its `.dockerignore` per recipe.

The ignore file is `<app>/Dockerfile.dockerignore`: the build context is the
repo root (a pnpm workspace), where BuildKit looks for it beside the Dockerfile.
EXPOSE, HEALTHCHECK and the backend's PORT come from the service's `http`, so
that they cannot disagree with the Compose healthcheck and published ports.
"""

from __future__ import annotations

from pivotal_gen.formats.comments import comment_header
from pivotal_gen.formats.jinja import render_template
from pivotal_gen.model.images import ImageRecipe
from pivotal_gen.model.service import Healthcheck, http_url
from pivotal_gen.targets.context import RenderContext

NAME = "dockerfiles"

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
            health_url=http_url(service.http),
            healthcheck_options=healthcheck_options(service.healthcheck),
        )
        files[ignore_file(recipe)] = render_template("dockerignore.j2", header=header)
    return files


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
