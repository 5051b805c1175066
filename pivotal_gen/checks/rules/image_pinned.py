"""Every pulled image names a version: a tag other than `latest`, or a digest.

An untagged or `latest` image changes under the stack at the next pull, so
two deploys of the same commit can run different software. Images a service
builds are named by the build, not pulled, and are left alone.
"""

from __future__ import annotations

from collections.abc import Iterator

from pivotal_gen.checks.rules.base import Rule, Violation
from pivotal_gen.checks.rules.compose_values import resolved
from pivotal_gen.model.spec import Spec


def image_problem(reference: str) -> str | None:
    """Why `reference` is not pinned, or None when it is."""
    if "@" in reference:
        return None  # name@sha256:...: the strongest pin
    name, _, tag = reference.rpartition(":")
    if not name or "/" in tag:  # `host:5000/app` is a registry port, not a tag
        return f"image {reference!r} has no tag; name a version, e.g. {reference}:1.2.3"
    if tag == "latest":
        return f"image {reference!r} uses the moving tag 'latest'; name a version"
    return None


def _check(spec: Spec) -> Iterator[Violation]:
    for name, service in spec.services.items():
        if service.build is not None or service.image is None:
            continue
        # A variable the deployer must set pins it in .env; one with a default is
        # pulled as that default unless .env says otherwise.
        reference = resolved(spec, service.image)
        if reference is None:
            continue
        problem = image_problem(reference)
        if problem and reference != service.image:
            problem += f" (the default of {service.image!r})"
        if problem:
            yield Violation(("services", name, "image"), problem, name)
    for name, recipe in spec.images.items():
        for key, reference in recipe.base_images.items():
            problem = image_problem(reference)
            if problem:
                yield Violation(("images", name, key), problem, name)


RULE = Rule("image-pinned", "every pulled image names a version: no `latest`, no untagged", _check)
