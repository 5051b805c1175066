"""Run the policy rules with the spec's `policy:` settings applied.

A rule yields Violations; the engine drops those the spec excepts or switches
off (each with a written reason) and those of production-only rules outside the
production profiles, and turns the rest into findings the caller locates.
"""

from __future__ import annotations

from collections.abc import Iterator

from pivotal_gen.checks.rules.base import Rule
from pivotal_gen.checks.rules.registry import RULES
from pivotal_gen.errors import suggest
from pivotal_gen.model.spec import Spec
from pivotal_gen.source.paths import Finding


def check_policy(spec: Spec, profile: str | None, profiles: list[str]) -> list[Finding]:
    """The violations that count for `profile` (None: the spec alone); `profiles` are the
    project's, for checking the names under policy.production."""
    findings = list(_production_names(spec, profiles))
    production = profile is not None and profile in spec.policy.production_profiles
    for rule in RULES:
        findings.extend(_unknown_exceptions(spec, rule))
        settings = spec.policy.rules.get(rule.name)
        if settings is not None and settings.disabled is not None:
            continue
        if rule.production_only and not production:
            continue
        findings.extend(_apply(spec, rule, on_spec_alone=profile is None))
    return findings


def _production_names(spec: Spec, profiles: list[str]) -> Iterator[Finding]:
    for index, name in enumerate(spec.policy.production or []):  # written names only
        if name not in profiles:
            hint = suggest(name, profiles)
            message = f"no profile {name!r}{hint}; profiles: {', '.join(profiles)}"
            yield ("policy", "production", index), message


def _excepted(spec: Spec, rule: Rule) -> dict[str, str]:
    settings = spec.policy.rules.get(rule.name)
    return settings.except_ if settings is not None else {}


def _unknown_exceptions(spec: Spec, rule: Rule) -> Iterator[Finding]:
    for service in _excepted(spec, rule):
        if service not in spec.services:
            hint = suggest(service, list(spec.services))
            yield ("policy", "rules", rule.name, "except", service), f"no service {service!r}{hint}"


def _apply(spec: Spec, rule: Rule, *, on_spec_alone: bool) -> Iterator[Finding]:
    """The rule's violations that no exception covers, then, on the spec alone, the
    exceptions no violation needs."""
    excepted = _excepted(spec, rule)
    violations = list(rule.check(spec))
    for violation in violations:
        if violation.service not in excepted:
            yield violation.path, f"{violation.message} (rule {rule.name})"
    if on_spec_alone and not rule.production_only:
        # A stale exception hides the next real violation: it goes once it is not needed.
        # (Checked on the spec alone, which every profile starts from.)
        flagged = {violation.service for violation in violations}
        for service in excepted:
            if service in spec.services and service not in flagged:
                path = ("policy", "rules", rule.name, "except", service)
                yield path, f"{service} follows this rule now; remove the exception"
