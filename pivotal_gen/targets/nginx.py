"""`<app>/nginx.conf` for each static-site image: SPA fallback, gzip, cache headers
(a year for hashed assets that exist, none for index.html), the health endpoint of
`http`, the API proxied to its service, and the security headers on every response."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

from pivotal_gen.formats.comments import comment_header
from pivotal_gen.formats.jinja import render_template
from pivotal_gen.model.edge_plan import api_upstream
from pivotal_gen.model.images import StaticSiteImage
from pivotal_gen.model.spec import Spec
from pivotal_gen.targets.context import RenderContext

NAME = "nginx"

# What acts inside an nginx double-quoted string (`"` ends it, `$` expands a variable,
# `\` escapes), or ends a header line. The model refuses them all; this is the backstop.
_UNSAFE_IN_STRING = re.compile(r'["\\$\x00-\x1f\x7f]')
# In a location regex `$` is the regex's own and `\.` escapes for PCRE, except where
# nginx's reader takes the backslash itself: before a quote, a backslash, t, r or n.
_UNSAFE_IN_REGEX = re.compile(r'["\x00-\x1f\x7f]|\\(?:["\'\\trn]|$)')


@dataclass(frozen=True)
class Upstream:
    prefix: str
    service: str
    port: int
    metrics: str | None  # a quoted regex of the metrics path, when served on `port`


def render(ctx: RenderContext) -> dict[str, bytes]:
    header = comment_header(ctx.header_lines()).rstrip("\n")
    files: dict[str, bytes] = {}
    for name, recipe in ctx.spec.images.items():
        if not isinstance(recipe, StaticSiteImage):
            continue
        http = ctx.spec.services[name].http
        assert http is not None  # checks/images.py requires it
        sent = recipe.security_headers.sent()
        files[config_path(recipe)] = render_template(
            "nginx.conf.j2",
            header=header,
            service=name,
            port=http.port,
            health=http.health,
            assets=recipe.assets,
            security=[(header_name, quoted(value)) for header_name, value in sent],
            # The backend's own copies would be second, conflicting values; two
            # Content-Security-Policy headers both apply, so the backend's stays.
            hidden=[n for n, _ in sent if n != "Content-Security-Policy"],
            api=_upstream(ctx.spec, recipe),
        )
    return files


def _upstream(spec: Spec, recipe: StaticSiteImage) -> Upstream | None:
    if recipe.api is None:
        return None
    target = api_upstream(spec, recipe.api)
    assert target is not None  # checks/edge.py requires a declared service and a port
    # Refused even outside the prefix, where nginx does not forward it: a plain 404.
    metrics = target.metrics_path
    refused = None if metrics is None else quoted(metrics_regex(metrics), regex=True)
    return Upstream(recipe.api.prefix, target.service, target.port, refused)


def metrics_regex(path: str) -> str:
    """The path as a router may match it: for `location ~*` (any case), with or
    without a trailing slash."""
    return f"^{re.escape(path.rstrip('/'))}/?$"


def quoted(value: str, *, regex: bool = False) -> str:
    """A header value, or a location's regex, as one nginx double-quoted string."""
    if (_UNSAFE_IN_REGEX if regex else _UNSAFE_IN_STRING).search(value):
        raise ValueError(f"{value!r} cannot be quoted for nginx")
    return f'"{value}"'


def config_path(recipe: StaticSiteImage) -> str:
    """Where the Dockerfile copies it from: beside the Dockerfile, in the app's folder."""
    return posixpath.join(recipe.app_dir, "nginx.conf")
