"""Policy rules: what a platform team requires of every stack, beyond validity.

One module per rule, each exporting RULE; RULES below is the registry. A rule
yields Violations; `check_policy` drops those the spec's `policy:` excepts or
switches off (each with a written reason) and those of production-only rules
outside the production profiles, and turns the rest into located findings.
"""

from __future__ import annotations

from pivotal_gen.checks.rules import (
    grafana_admin_password,
    healthcheck,
    image_pinned,
    no_literal_secret,
    non_root,
    prod_private_ports,
    prod_resource_limits,
    prod_restart,
)
from pivotal_gen.checks.rules.base import Rule
from pivotal_gen.errors import suggest
from pivotal_gen.model.spec import Spec
from pivotal_gen.spec.paths import Finding

RULES: tuple[Rule, ...] = (
    image_pinned.RULE,
    healthcheck.RULE,
    non_root.RULE,
    no_literal_secret.RULE,
    grafana_admin_password.RULE,
    prod_private_ports.RULE,
    prod_resource_limits.RULE,
    prod_restart.RULE,
)


def check_policy(spec: Spec, profile: str | None, profiles: list[str]) -> list[Finding]:
    """The violations that count for `profile` (None: the spec alone); `profiles` are the
    project's, for checking the names under policy.production."""
    findings: list[Finding] = []
    for index, name in enumerate(spec.policy.production or []):  # written names only
        if name not in profiles:
            message = (
                f"no profile {name!r}{suggest(name, profiles)}; profiles: {', '.join(profiles)}"
            )
            findings.append((("policy", "production", index), message))
    production = profile is not None and profile in spec.policy.production_profiles
    for rule in RULES:
        settings = spec.policy.rules.get(rule.name)
        excepted = settings.except_ if settings is not None else {}
        for service in excepted:
            if service not in spec.services:
                path = ("policy", "rules", rule.name, "except", service)
                hint = suggest(service, list(spec.services))
                findings.append((path, f"no service {service!r}{hint}"))
        if settings is not None and settings.disabled is not None:
            continue
        if rule.production_only and not production:
            continue
        violations = list(rule.check(spec))
        findings.extend(
            (violation.path, f"{violation.message} (rule {rule.name})")
            for violation in violations
            if violation.service not in excepted
        )
        if profile is None and not rule.production_only:
            # A stale exception hides the next real violation: it goes once it is not needed.
            # (Checked on the spec alone, which every profile starts from.)
            flagged = {violation.service for violation in violations}
            findings.extend(
                (
                    ("policy", "rules", rule.name, "except", service),
                    f"{service} follows this rule now; remove the exception",
                )
                for service in excepted
                if service in spec.services and service not in flagged
            )
    return findings
