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

from pivotal_gen.model import interpolation
from pivotal_gen.model.redis import MAXMEMORY_SHARE, RedisRecipe, memory_bytes
from pivotal_gen.model.service import Service
from pivotal_gen.model.spec import Spec
from pivotal_gen.source.paths import DataPath, Finding

# The official image (Docker Hub's library/redis, from any registry that mirrors it): the
# derived command runs its docker-entrypoint.sh and redis-server.
_OFFICIAL = re.compile(r"(?:[a-z0-9.-]+[.:][a-z0-9.:-]*/)?(?:library/)?redis(?:[:@].*)?")
_URL_HOST = re.compile(r"rediss?://(?:[^@/\s]*@)?(?P<host>[^:/?#\s]+)")


def check_redis(spec: Spec, raw: Any) -> Iterator[Finding]:
    for name, service in spec.services.items():
        if service.redis is not None:
            yield from _recipe(name, service, service.redis)
            yield from _clients(spec, name, service.redis)


def _recipe(name: str, service: Service, recipe: RedisRecipe) -> Iterator[Finding]:
    at: DataPath = ("services", name)
    for field in ("command", "entrypoint"):
        if getattr(service, field) is not None:
            message = f"the command is derived from services.{name}.redis; remove {field}"
            yield (*at, field), message
    if service.image is None or not _OFFICIAL.fullmatch(service.image):
        message = "the redis recipe runs the official image's docker-entrypoint.sh and"
        yield (*at, "image"), f"{message} redis-server: use redis:<tag> (Redis 6 or newer)"
    if not any(secret.source == recipe.password for secret in service.secrets):
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
        if name == redis or any(s.source == recipe.password for s in service.secrets):
            continue
        texts = {key: _expanded(spec, v) for key, v in service.environment.items()}
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


def _expanded(spec: Spec, value: object) -> tuple[list[str], str]:
    """The variables a value refers to, and its text with each read as its default."""
    if not isinstance(value, str):
        return [], str(value)
    try:
        pieces = interpolation.parse(value)
    except interpolation.InterpolationError:
        return [], value  # reported by checks/cross.py
    refs = [p.name for p in pieces if isinstance(p, interpolation.Ref)]
    text = "".join(p if isinstance(p, str) else _default(spec, p.name) for p in pieces)
    return refs, text


def _default(spec: Spec, name: str) -> str:
    variable = spec.variables.get(name)
    return str(variable.default) if variable is not None and variable.default is not None else ""


def _names_host(text: str, host: str) -> bool:
    return any(match["host"] == host for match in _URL_HOST.finditer(text))
