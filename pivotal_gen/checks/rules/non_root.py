"""Containers run as a non-root user.

The user is the service's `user:`, or the user its image recipe's stage runs
as. An image pulled as it is may well drop root on its own; the rule asks the
spec to say so (`user:` with the image's user), so a reviewer sees it in the
Compose file instead of trusting the image.
"""

from __future__ import annotations

from collections.abc import Iterator

from pivotal_gen.checks.images import recipe_for
from pivotal_gen.checks.rules.base import Rule, Violation
from pivotal_gen.model.spec import Service, Spec

_ROOT = ("root", "0")


def _user(spec: Spec, service: Service) -> str | None:
    if service.user is not None:
        return service.user
    if service.build is None:
        return None
    recipe = recipe_for(spec, service.build)
    return recipe.stage_user(service.build.target or "runner") if recipe is not None else None


def _check(spec: Spec) -> Iterator[Violation]:
    for name, service in spec.services.items():
        user = _user(spec, service)
        if user is None:
            message = "runs as the image's default user, root unless the image says otherwise;"
            yield Violation(("services", name), f"{message} set user: to a non-root one", name)
        elif user.split(":")[0] in _ROOT:
            yield Violation(("services", name, "user"), f"runs as root ({user!r})", name)


RULE = Rule("non-root", "every container runs as a non-root user", _check)
