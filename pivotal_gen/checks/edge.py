"""Checks of a static site's API proxy against the services: nginx forwards to a
declared service, on a port it listens on, that is up before nginx resolves its name.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pivotal_gen.errors import suggest
from pivotal_gen.model.edge import ApiProxy
from pivotal_gen.model.edge_plan import api_upstream
from pivotal_gen.model.images import StaticSiteImage
from pivotal_gen.model.spec import Spec
from pivotal_gen.source.paths import DataPath, Finding


def api_upstreams(spec: Spec, raw: Any) -> Iterator[Finding]:
    for site, recipe in spec.images.items():
        if isinstance(recipe, StaticSiteImage) and recipe.api is not None:
            yield from _api(spec, site, recipe, recipe.api)


def _api(spec: Spec, site: str, recipe: StaticSiteImage, api: ApiProxy) -> Iterator[Finding]:
    base: DataPath = ("images", site, "api")
    if api.prefix == recipe.assets:
        yield (*base, "prefix"), f"{api.prefix} is also the assets' prefix (images.{site}.assets)"
    upstream = spec.services.get(api.service)
    if upstream is None:
        hint = suggest(api.service, list(spec.services))
        yield (*base, "service"), f"no service {api.service!r}{hint}"
        return
    if api.service == site:
        yield (*base, "service"), "nginx would forward the API to itself; name the API's service"
        return
    if upstream.layer == "job":
        yield (*base, "service"), f"{api.service} is a job: it runs once and exits"
        return
    target = api_upstream(spec, api)
    if target is None:
        message = f"services.{api.service} has no http.port: give api.port, the port it answers on"
        yield (*base, "service"), message
    else:
        port, metrics_path = target.port, target.metrics_path
        if port not in upstream.listens_on:
            where = (*base, "port") if api.port is not None else (*base, "service")
            listens = ", ".join(map(str, upstream.listens_on)) or "nothing"
            message = f"services.{api.service} does not listen on {port} (it declares {listens})"
            yield where, f"{message}: ports, expose or http.port"
        if metrics_path is not None and not metrics_path.strip("/"):
            # The edge answers 404 for the metrics path: here that would be the app's root.
            message = f"is the root of port {port}, where images.{site}.api forwards the API"
            yield ("services", api.service, "metrics", "path"), f"{message}: give metrics a path"
    # nginx looks the name up once, when it starts, and refuses to start without it.
    dependent = spec.services.get(site)
    if dependent is not None and api.service not in dependent.depends_on:
        message = (
            f"nginx resolves {api.service!r} when it starts: services.{site}.depends_on "
            f"needs {api.service} (condition: service_healthy, restart: true)"
        )
        yield (*base, "service"), message
