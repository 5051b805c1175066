"""The Compose config that carries a service's `files:` entry, by name.

The name is readable (`postgres-docker-entrypoint-initdb-d-init-sql`), so it is not
unique by itself: `/10-init.sql` and `/10-init-sql`, or `a` + `/b-c` and `a-b` + `/c`,
read the same. Compose would keep one content for both, so checks/cross.py refuses a
spec where two files share a name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pivotal_gen.model.spec import Spec


def config_name(service: str, target: str) -> str:
    """The Compose config that holds a service's file: `postgres-initdb-sql`, say."""
    return service + "-" + re.sub(r"[^a-zA-Z0-9]+", "-", target).strip("-")


def config_clashes(spec: Spec) -> Iterator[tuple[str, str, str, str]]:
    """(service, target, earlier service, earlier target) for each file whose config
    name an earlier file of the spec (either Compose file: they are merged) already has."""
    seen: dict[str, tuple[str, str]] = {}
    for name, service in spec.services.items():
        for target in service.files:
            first = seen.setdefault(config_name(name, target), (name, target))
            if first != (name, target):
                yield name, target, *first
