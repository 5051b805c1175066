"""What Compose reads of the spec: the strings it interpolates and the secrets mounted,
which the references check, the Compose files and `.env.example` share."""

from __future__ import annotations

from typing import Any

from pivotal_gen.model.compose_reads import interpolated_strings, mounted_secrets, variables_read
from pivotal_gen.model.spec import Spec

VARIABLES = {
    name: {"description": name.lower(), "secret": name.endswith("PASSWORD")}
    for name in ("TAG", "LEVEL", "SIZE", "CACHE_PASSWORD", "UNUSED_PASSWORD", "IDLE")
}


def _spec(**services: dict[str, Any]) -> Spec:
    return Spec.model_validate(
        {
            "project": "p",
            "variables": VARIABLES,
            "secrets": {
                "cache": {"environment": "CACHE_PASSWORD"},
                "unused": {"environment": "UNUSED_PASSWORD"},
                "tls": {"file": "secrets/tls.key"},
            },
            "logging": {"driver": "json-file", "options": {"max-size": "${SIZE}"}},
            "services": {
                name: {"layer": "application", "image": "busybox:1.37", **service}
                for name, service in services.items()
            },
        }
    )


def test_the_spec_logging_options_come_first_then_each_services_strings_at_their_path() -> None:
    spec = _spec(
        a={"image": "busybox:${TAG}", "command": ["echo", "$$x"], "environment": {"N": 1}},
        b={"logging": {"driver": "local", "options": {"mode": "${LEVEL}"}}},
    )

    assert list(interpolated_strings(spec)) == [
        (("logging", "options", "max-size"), "${SIZE}"),
        (("services", "a", "image"), "busybox:${TAG}"),
        (("services", "a", "command", 0), "echo"),
        (("services", "a", "command", 1), "$$x"),
        (("services", "b", "image"), "busybox:1.37"),
        (("services", "b", "logging", "options", "mode"), "${LEVEL}"),
    ]


def test_mounted_secrets_are_named_once_in_order() -> None:
    spec = _spec(a={"secrets": ["tls", "cache"]}, b={"secrets": [{"source": "cache"}]})

    assert mounted_secrets(spec.services.values()) == ["cache", "tls"]
    assert mounted_secrets([spec.services["b"]]) == ["cache"]


def test_compose_reads_references_and_the_variables_behind_mounted_secrets() -> None:
    spec = _spec(
        a={"image": "busybox:${TAG}", "secrets": ["cache", "tls"]},
        b={"logging": {"driver": "local", "options": {"mode": "${LEVEL}"}}},
    )

    # Not IDLE (declared, never referenced) nor UNUSED_PASSWORD (its secret is not mounted).
    assert variables_read(spec) == {"TAG", "LEVEL", "SIZE", "CACHE_PASSWORD"}
