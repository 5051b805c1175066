"""Checks between services and their image recipes and HTTP endpoints.

A service's Compose `build` must use the Dockerfile its recipe generates, and a
`build.target` must name a stage that Dockerfile has; values that default from
`http` must have it.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from typing import Any

from pivotal_gen.errors import suggest
from pivotal_gen.model.images import Http, ImageRecipe, NodeServerImage, StaticSiteImage
from pivotal_gen.model.service import Build
from pivotal_gen.model.spec import Spec
from pivotal_gen.source.paths import DataPath, Finding


def build_dockerfile(build: Build) -> str:
    """The Dockerfile a Compose build uses, relative to the repo root."""
    return posixpath.normpath(posixpath.join(build.context, build.dockerfile or "Dockerfile"))


def recipe_for(spec: Spec, build: Build) -> ImageRecipe | None:
    """The recipe whose Dockerfile a build uses (the migration job builds the backend's)."""
    dockerfile = build_dockerfile(build)
    return next((r for r in spec.images.values() if r.dockerfile == dockerfile), None)


def http_defaults(spec: Spec, raw: Any) -> Iterator[Finding]:
    for name, service in spec.services.items():
        base: DataPath = ("services", name)
        for index, port in enumerate(service.ports):
            if port.target is None:
                yield (*base, "ports", index), "a port needs a target, or the service http.port"
        check = service.healthcheck
        if check is not None and check.test is None and service.health_test is None:
            message = "a healthcheck needs a test, or the service http: {port, health}"
            yield (*base, "healthcheck"), message


def image_recipes(spec: Spec, raw: Any) -> Iterator[Finding]:
    names = list(spec.services)
    for name, recipe in spec.images.items():
        service = spec.services.get(name)
        if service is None:
            yield ("images", name), f"no service {name!r} runs this image{suggest(name, names)}"
            continue
        if service.http is None:
            message = f"services.{name} needs http: {{port, health}} (EXPOSE and HEALTHCHECK)"
            yield ("images", name), message
        if service.build is None:
            message = f"the service builds {recipe.dockerfile}: give it build: {{context: .,"
            yield ("services", name), f"{message} dockerfile: {recipe.dockerfile}}}"
        elif build_dockerfile(service.build) != recipe.dockerfile:
            where = "dockerfile" if "dockerfile" in _build(raw, name) else "context"
            message = f"builds {build_dockerfile(service.build)}, but images.{name} generates"
            yield ("services", name, "build", where), f"{message} {recipe.dockerfile}"
        if isinstance(recipe, StaticSiteImage):
            yield from _nginx_locations(name, recipe, service.http)
        if isinstance(recipe, NodeServerImage) and "PORT" in service.environment:
            message = "the image sets PORT from http.port; remove it here so the two cannot differ"
            yield ("services", name, "environment", "PORT"), message
    for name, service in spec.services.items():
        if service.build is None or service.build.target is None:
            continue
        built = recipe_for(spec, service.build)
        known = built.stages if built is not None else None
        if known is not None and service.build.target not in known:
            target = service.build.target
            message = f"{build_dockerfile(service.build)} has no stage {target!r}"
            yield (
                ("services", name, "build", "target"),
                f"{message}{suggest(target, known)} (stages: {', '.join(known)})",
            )


def _nginx_locations(name: str, recipe: StaticSiteImage, http: Http | None) -> Iterator[Finding]:
    """nginx.conf has `location /` (the app) and `location = /index.html`: nginx refuses
    to start on a second location of the same name."""
    if recipe.assets == "/":
        message = "nginx.conf serves the app itself at '/'; give the hashed files a prefix"
        yield ("images", name, "assets"), f"{message} of their own (e.g. /assets/)"
    if http is not None and http.health == "/index.html":
        message = "nginx.conf serves the app's entry point at '/index.html'; give the health"
        yield ("services", name, "http", "health"), f"{message} check a path of its own (/health)"


def _build(raw: Any, name: str) -> dict[str, Any]:
    build = raw.get("services", {}).get(name, {}).get("build")
    return build if isinstance(build, dict) else {}
