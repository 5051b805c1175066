"""Checks of a Redis run from a `redis:` recipe: it runs as the recipe assumes, and every
other service that reaches it carries its password.

On the one network every service joins, any container can open a connection to Redis;
the password is what keeps the others out. A service reaches Redis when it depends on it
or names it in a `redis://` URL (variables read as their defaults); it carries the
password when its environment refers to the variable that fills the password's secret,
or when it mounts the secret itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from pivotal_gen.checks.rules.compose_values import resolved
from pivotal_gen.model import interpolation
from pivotal_gen.model.redis import MAXMEMORY_SHARE, RedisRecipe, memory_bytes
from pivotal_gen.model.service import Service
from pivotal_gen.model.spec import Spec
from pivotal_gen.model.variables import env_text
from pivotal_gen.source.paths import DataPath, Finding

# The official image (Docker Hub's library/redis, from any registry that mirrors it): the
# derived command runs its docker-entrypoint.sh and redis-server.
_OFFICIAL = re.compile(r"(?:[a-z0-9.-]+[.:][a-z0-9.:-]*/)?(?:library/)?redis(?:[:@].*)?")
_URL_HOST = re.compile(r"rediss?://(?:[^@/\s]*@)?(?P<host>[^:/?#\s]+)")


def check_redis(spec: Spec, raw: Any) -> Iterator[Finding]:
    for name, service in spec.services.items():
        if service.redis is not None:
            yield from _recipe(spec, name, service, service.redis)
            yield from _clients(spec, name, service.redis)


def _recipe(spec: Spec, name: str, service: Service, recipe: RedisRecipe) -> Iterator[Finding]:
    at: DataPath = ("services", name)
    image = resolved(spec, service.image) if service.image is not None else None
    if image is None or not _OFFICIAL.fullmatch(image):
        message = "the redis recipe runs the official image's docker-entrypoint.sh and"
        yield (*at, "image"), f"{message} redis-server: use redis:<tag> (Redis 6 or newer)"
    if not _mounts(service, recipe.password):
        message = f"the service does not mount the secret {recipe.password!r}"
        yield (*at, "redis", "password"), f"{message}: add it to services.{name}.secrets"
    limit = service.memory_limit
    if (
        recipe.maxmemory is not None
        and limit is not None
        and memory_bytes(recipe.maxmemory) >= limit
    ):
        share = f"{MAXMEMORY_SHARE.numerator}/{MAXMEMORY_SHARE.denominator}"
        message = f"{recipe.maxmemory} is not below the memory limit: the kernel would kill Redis"
        yield (
            (*at, "redis", "maxmemory"),
            f"{message} before it evicts; leave maxmemory out for {share} of the limit",
        )


def _clients(spec: Spec, redis: str, recipe: RedisRecipe) -> Iterator[Finding]:
    source = spec.secrets.get(recipe.password)
    variable = source.environment if source is not None else None
    for name, service in spec.services.items():
        if name == redis or _mounts(service, recipe.password):
            continue
        texts = {key: _expanded(spec, env_text(v)) for key, v in service.environment.items()}
        if variable is not None and any(variable in refs for refs, _ in texts.values()):
            continue
        urls = [k for k, (_, text) in texts.items() if _names_host(text, redis)]
        if urls:
            where: DataPath = ("services", name, "environment", urls[0])
            reason = "names it in a URL"
        elif redis in service.depends_on:
            where, reason = ("services", name, "depends_on"), "depends on it"
        else:
            continue
        if variable is not None:
            carry = (
                f"pass ${{{variable}}} (in the URL, redis://default:${{{variable}}}@..., or alone)"
            )
        else:
            carry = f"mount the secret {recipe.password!r}"
        yield where, f"reaches Redis ({redis}: it {reason}) without its password; {carry}"


def _mounts(service: Service, secret: str) -> bool:
    return any(mounted.source == secret for mounted in service.secrets)


def _expanded(spec: Spec, text: str) -> tuple[list[str], str]:
    """The variables `text` refers to, and the text with each read as its default
    ("" without one)."""
    try:
        refs = interpolation.references(text)
    except interpolation.InterpolationError:
        return [], text  # reported by checks/cross.py
    return refs, resolved(spec, text, unset="") or ""


def _names_host(text: str, host: str) -> bool:
    return any(match["host"] == host for match in _URL_HOST.finditer(text))
