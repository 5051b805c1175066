"""`<app>/nginx.conf` for each static-site image: SPA fallback, gzip, cache headers
for hashed assets and none for index.html, and the health endpoint of `http`."""

from __future__ import annotations

import posixpath

from pivotal_gen.formats.comments import comment_header
from pivotal_gen.formats.jinja import render_template
from pivotal_gen.model.images import StaticSiteImage
from pivotal_gen.targets.context import RenderContext

NAME = "nginx"


def render(ctx: RenderContext) -> dict[str, bytes]:
    header = comment_header(ctx.header_lines()).rstrip("\n")
    files: dict[str, bytes] = {}
    for name, recipe in ctx.spec.images.items():
        if not isinstance(recipe, StaticSiteImage):
            continue
        http = ctx.spec.services[name].http
        assert http is not None  # checks/images.py requires it
        files[config_path(recipe)] = render_template(
            "nginx.conf.j2",
            header=header,
            service=name,
            port=http.port,
            health=http.health,
            assets=recipe.assets,
        )
    return files


def config_path(recipe: StaticSiteImage) -> str:
    """Where the Dockerfile copies it from: beside the Dockerfile, in the app's folder."""
    return posixpath.join(recipe.app_dir, "nginx.conf")
