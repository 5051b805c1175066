"""The bounded-logs rule reads the logging driver as Docker does."""

from __future__ import annotations

from typing import Any

import pytest

from pivotal_gen.checks.rules import bounded_logs
from pivotal_gen.model.spec import Spec


def _violations(logging: dict[str, Any], *, layer: str = "infrastructure") -> list[str]:
    raw = {
        "project": "p",
        "variables": {"LOG_SIZE": {"description": "d", "default": "-1"}},
        "services": {"s": {"layer": layer, "image": "busybox:1.37", "logging": logging}},
    }
    spec = Spec.model_validate(raw)
    return [".".join(map(str, v.path)) for v in bounded_logs.RULE.check(spec)]


SIZE = "services.s.logging.options.max-size"


@pytest.mark.parametrize(
    ("logging", "expected"),
    [
        ({"driver": "json-file"}, ["services.s.logging"]),
        ({"driver": "json-file", "options": {"max-size": "-1"}}, [SIZE]),
        ({"driver": "json-file", "options": {"max-size": "${LOG_SIZE}"}}, [SIZE]),
        ({"driver": "local", "options": {"max-size": "-1"}}, [SIZE]),
        ({"driver": "json-file", "options": {"max-size": "10m"}}, []),
        ({"driver": "local"}, []),
        ({"driver": "syslog"}, []),
        ({"driver": "none"}, []),
    ],
)  # fmt: skip
def test_json_file_needs_a_size_limit(logging: dict[str, Any], expected: list[str]) -> None:
    assert _violations(logging) == expected


def test_a_job_that_exits_is_not_held_to_it() -> None:
    assert _violations({"driver": "json-file"}, layer="job") == []


def test_the_spec_default_rotates_and_an_unbounded_default_is_reported_once() -> None:
    services = {n: {"layer": "infrastructure", "image": "a:1"} for n in ("a", "b")}
    default = Spec.model_validate({"project": "p", "services": services})
    unbounded = Spec.model_validate(
        {"project": "p", "services": services, "logging": {"driver": "json-file"}}
    )

    assert list(bounded_logs.RULE.check(default)) == []
    [violation] = bounded_logs.RULE.check(unbounded)
    assert violation.path == ("logging",)
    assert "of a, b until" in violation.message
