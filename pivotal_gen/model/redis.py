"""Redis run from a recipe, `services.<name>.redis`: the service's command and
healthcheck follow from it, so neither is written by hand.

The password. It comes from a Compose secret the service mounts, and reaches
redis-server through neither its arguments (the host's process list shows every
container's) nor its environment (`docker inspect` shows it). Redis reads no password
file, so the command is a shell that reads the secret file (as root, before the image's
entrypoint drops to the redis user) and hands redis-server its config on stdin. That
config names the password only by its SHA-256 (`user default on #<hex>`, an ACL rule of
Redis 6 and newer), so the password is never written in Redis's config syntax: quotes,
backslashes, spaces, `$` or `#` in it need no escaping. The file's trailing newlines are
dropped, as the healthcheck's `$(cat ...)` drops them.

The memory bound. Redis counts only its data against `maxmemory`; the container's limit
counts all its memory: the allocator's fragmentation (commonly 10 to 20% above the data
with jemalloc), client and append-only-file buffers, and the pages a forked child (a
BGSAVE or an append-only-file rewrite) copies while Redis writes during the fork. So
`maxmemory` defaults to 75% of the memory limit: a quarter of it is headroom for those,
and at the bound Redis evicts (per `maxmemory_policy`) instead of being killed by the
kernel. A write-heavy instance that rewrites often may copy most of its pages during a
fork (up to doubling): give it a lower `maxmemory`. Without a memory limit (dev, ci) there
is no bound to keep under: Redis keeps its own default, no maxmemory.
"""

from __future__ import annotations

import re
import shlex
from fractions import Fraction
from typing import Literal

from pydantic import Field

from pivotal_gen.model.fields import Memory, StrictModel
from pivotal_gen.model.interpolation import escape
from pivotal_gen.model.secrets import SecretName, refuse_blank

# The policies both Redis 7 and 8 accept for maxmemory-policy.
EvictionPolicy = Literal[
    "noeviction",
    "allkeys-lru",
    "allkeys-lfu",
    "allkeys-random",
    "volatile-lru",
    "volatile-lfu",
    "volatile-random",
    "volatile-ttl",
]
# The share of the container's memory limit Redis may fill with data (see above).
MAXMEMORY_SHARE = Fraction(3, 4)
# The official image's entrypoint: given `redis-server` as root, it hands /data to the
# redis user and runs itself again as that user, with the same arguments and stdin.
ENTRYPOINT = "docker-entrypoint.sh"
# Compose's sizes are binary (go-units' RAMInBytes): 512M is 512 MiB.
_UNITS = {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30}


class RedisRecipe(StrictModel):
    """How redis-server runs: the service's command and healthcheck test are derived."""

    password: SecretName = Field(
        description="The secret (declared under `secrets:`, mounted by the service) that "
        "holds the password every client must give."
    )
    maxmemory_policy: EvictionPolicy = Field(
        description="What Redis does at maxmemory: evict any key (allkeys-*, for a cache), "
        "evict keys with a TTL (volatile-*), or refuse writes (noeviction)."
    )
    maxmemory: Memory | None = Field(
        default=None,
        description="Redis's memory bound, in Compose's units (384M); by default 75% of "
        "deploy.resources.limits.memory, none without a limit.",
    )
    appendonly: bool = Field(
        default=False,
        description="Log every write to the append-only file in /data, so that a restart "
        "keeps the data.",
    )


def memory_bytes(size: str) -> int:
    """A Compose size (`512M`, `1g`, `100kb`, `4096`) in bytes."""
    match = re.fullmatch(r"([0-9]+)([kmg]?)b?", size.lower())
    assert match is not None, size  # the Memory field's pattern admits no other form
    return int(match[1]) * _UNITS[match[2]]


def memory_text(count: int) -> str:
    """Bytes as the largest whole Compose unit: 402653184 -> `384M`."""
    for unit in "GMK":
        size = _UNITS[unit.lower()]
        if count and count % size == 0:
            return f"{count // size}{unit}"
    return str(count)


def derived_maxmemory(limit: int) -> int:
    """maxmemory for a container limited to `limit` bytes (never 0, which is no bound)."""
    return max(1, int(limit * MAXMEMORY_SHARE))


def start_command(recipe: RedisRecipe, password_file: str, maxmemory: int | None) -> list[str]:
    """The service's command (spec syntax: `$$` is a literal dollar)."""
    file = shlex.quote(password_file)
    blank = f"redis: {password_file} is empty: give the secret {recipe.password} a value"
    script = "\n".join(
        [
            "set -eu",
            refuse_blank(password_file, blank),
            f'pw="$(cat {file})"',
            'hash="$(printf %s "$pw" | sha256sum)"',
            f'exec {ENTRYPOINT} redis-server - "$@" <<EOF',
            "user default on #${hash%% *} ~* &* +@all",
            "EOF",
        ]
    )
    settings = ["--appendonly", "yes" if recipe.appendonly else "no"]
    if maxmemory is not None:
        settings += ["--maxmemory", str(maxmemory)]
    settings += ["--maxmemory-policy", recipe.maxmemory_policy]
    # `redis` is the script's $0, named in the shell's own messages.
    return ["sh", "-c", escape(script), "redis", *settings]


def health_test(password_file: str) -> list[str]:
    """The healthcheck's test: PONG to an authenticated PING. The password reaches redis-cli
    in REDISCLI_AUTH, never on a command line; redis-cli exits 0 on NOAUTH, hence grep."""
    command = f'REDISCLI_AUTH="$(cat {shlex.quote(password_file)})" redis-cli ping | grep -qx PONG'
    return ["CMD-SHELL", escape(command)]
