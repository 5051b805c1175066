"""Policy rules: the registry, exceptions and switches with reasons, production-only rules.

Each rule's failing case is a data-driven file in cases/invalid/policy-*.yaml.
"""

from __future__ import annotations

import typing
from pathlib import Path

import pytest

from pivotal_gen.checks.rules.image_pinned import image_problem
from pivotal_gen.checks.rules.no_literal_secret import _flag_values
from pivotal_gen.checks.rules.registry import RULES
from pivotal_gen.model.policy import RuleName
from tests.conftest import REPO, Run

LATEST_IMAGES = (
    "services:\n  redis:\n    image: redis:latest\n"
    "  prometheus:\n    image: prom/prometheus:latest\n"
)


def test_the_registry_and_the_spec_model_name_the_same_rules() -> None:
    names = [rule.name for rule in RULES]
    assert len(set(names)) == len(names)
    assert sorted(names) == sorted(typing.get_args(RuleName))


def test_the_docs_document_every_rule() -> None:
    page = (REPO / "docs" / "policy.md").read_text()
    missing = [rule.name for rule in RULES if f"| `{rule.name}` |" not in page]
    assert not missing, f"rules missing from the table in docs/policy.md: {missing}"


def test_an_exception_skips_its_service_only(project: Path, run: Run) -> None:
    (project / "profiles/case.yaml").write_text(
        LATEST_IMAGES + "policy:\n  rules:\n    image-pinned:\n      except:\n"
        "        redis: we track the mirror's latest on purpose in this test\n"
    )

    result = run("validate", "--profile", "case")

    assert result.exit_code == 2
    assert [line.split(": ")[1] for line in result.stderr.splitlines()] == [
        "services.prometheus.image"
    ]


def test_a_rule_disabled_with_a_reason_is_off(project: Path, run: Run) -> None:
    (project / "profiles/case.yaml").write_text(
        LATEST_IMAGES + "policy:\n  rules:\n    image-pinned:\n"
        "      disabled: a throwaway profile for trying out new images\n"
    )

    assert run("validate", "--profile", "case").exit_code == 0


def test_production_rules_run_in_production_profiles_only(project: Path, run: Run) -> None:
    opened = "services:\n  redis:\n    ports: ['6379:6379']\n"
    (project / "profiles/dev.yaml").write_text(opened)
    (project / "profiles/prod.yaml").write_text(
        (project / "profiles/prod.yaml")
        .read_text()
        .replace("  redis:\n    ports: []", "  redis:\n    ports: ['6379:6379']")
    )

    result = run("validate")

    assert result.exit_code == 2
    assert [line.split(":")[0] for line in result.stderr.splitlines()] == ["profiles/prod.yaml"]
    assert "(rule prod-private-ports)" in result.stderr


@pytest.mark.parametrize(
    ("reference", "pinned"),
    [
        ("redis:8-alpine", True),
        ("prom/prometheus:v3.14.0", True),
        ("registry.local:5000/team/app:1.2.3", True),
        ("redis@sha256:" + "a" * 64, True),
        ("redis", False),
        ("redis:latest", False),
        ("registry.local:5000/team/app", False),
    ],
)
def test_what_counts_as_pinned(reference: str, pinned: bool) -> None:
    assert (image_problem(reference) is None) == pinned


@pytest.mark.parametrize(
    ("args", "values"),
    [
        (["redis-server", "--requirepass", "pw"], [(2, "pw")]),
        (["app", "--db-password=pw", "--port", "1"], [(1, "pw")]),
        (["app", "--token"], []),  # nothing after it
        (["app", "--verbose", "x"], []),
    ],
)
def test_password_flags_and_their_values(args: list[str], values: list[tuple[int, str]]) -> None:
    assert list(_flag_values(args)) == values


def test_a_reference_after_a_password_flag_is_fine(project: Path, run: Run) -> None:
    (project / "profiles/case.yaml").write_text(
        "services:\n  redis:\n    command: [redis-server, --requirepass, '${POSTGRES_PASSWORD}']\n"
    )

    assert run("validate", "--profile", "case").exit_code == 0


def test_an_exception_no_longer_needed_is_an_error(project: Path, run: Run) -> None:
    spec = project / "pivotal.yaml"
    text = spec.read_text()
    exporter = "    image: oliver006/redis_exporter:v1.88.0\n"
    probe = "    healthcheck: {test: [CMD, /redis_exporter, --version]}\n"
    spec.write_text(text.replace(exporter, exporter + probe))

    result = run("validate")

    assert result.exit_code == 2
    line = next(i for i, t in enumerate(text.splitlines(), 2) if "redis-exporter: the image" in t)
    assert result.stderr == (
        f"pivotal.yaml:{line}:25: policy.rules.healthcheck.except.redis-exporter: "
        "redis-exporter follows this rule now; remove the exception\n"
    )


def test_a_password_file_path_is_not_a_literal_secret(project: Path, run: Run) -> None:
    (project / "profiles/case.yaml").write_text(
        "services:\n  grafana:\n    environment:\n      GF_SECURITY_ADMIN_PASSWORD: null\n"
        "      GF_SECURITY_ADMIN_PASSWORD__FILE: /run/secrets/grafana-admin\n"
    )

    assert run("validate", "--profile", "case").exit_code == 0
