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
from pivotal_gen.checks.rules.compose_values import is_root, resolved
from pivotal_gen.model.service import Service
from pivotal_gen.model.spec import Spec


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
        else:
            # `${APP_USER}` runs as its default unless .env says otherwise.
            effective = resolved(spec, user) if service.user is not None else user
            if effective is not None and is_root(effective):
                shown = repr(user) if effective == user else f"{user!r}, which is {effective!r}"
                yield Violation(("services", name, "user"), f"runs as root ({shown})", name)


RULE = Rule("non-root", "every container runs as a non-root user", _check)
