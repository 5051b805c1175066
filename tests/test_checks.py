"""Checks across the spec; each rule's located message is in cases/invalid/."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from pivotal_gen.model.spec import Spec
from tests.conftest import spec_findings


def _spec(services: dict[str, Any], variables: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"project": "p", "variables": variables or {}, "services": services}


def _svc(**extra: Any) -> dict[str, Any]:
    return {"layer": "application", "image": "busybox:1.37", **extra}


def test_a_long_cycle_is_reported_once_with_its_path() -> None:
    raw = _spec(
        {"a": _svc(depends_on=["b"]), "b": _svc(depends_on=["c"]), "c": _svc(depends_on=["a"])}
    )
    assert spec_findings(raw) == ["services.c.depends_on.0: dependency cycle: a -> b -> c -> a"]


def test_self_dependency() -> None:
    assert spec_findings(_spec({"a": _svc(depends_on=["a"])})) == [
        "services.a.depends_on.0: a service cannot depend on itself"
    ]


def test_same_host_port_on_different_addresses_is_fine() -> None:
    raw = _spec(
        {"a": _svc(ports=["127.0.0.1:80:80"]), "b": _svc(ports=["127.0.0.2:80:80", "53:53/udp"]),
         "c": _svc(ports=["53:53"])}
    )  # fmt: skip
    assert spec_findings(raw) == []


def test_all_interfaces_clashes_with_any_address() -> None:
    raw = _spec({"a": _svc(ports=["127.0.0.1:80:80"]), "b": _svc(ports=["80:8080"])})
    assert spec_findings(raw) == [
        "services.b.ports.0: host port 80 is already published by services.a.ports[0]"
    ]


def test_references_are_checked_in_every_interpolated_field() -> None:
    raw = _spec(
        {
            "a": _svc(
                image="busybox:${TAG}",
                command=["echo", "$NOPE"],
                healthcheck={"test": "x $$Y ${Z}"},
            )
        },
        variables={"TAG": {"description": "t", "default": "1.37"}},
    )
    assert spec_findings(raw) == [
        "services.a.command.1: ${NOPE} is not declared under variables:",
        "services.a.healthcheck.test: ${Z} is not declared under variables:",
    ]


def test_secret_may_be_part_of_a_composed_value() -> None:
    raw = _spec(
        {"a": _svc(environment={"URL": "postgres://u:${PW}@db/x", "DB_PASSWORD": "${PW}"})},
        variables={"PW": {"description": "p", "secret": True}},
    )
    assert spec_findings(raw) == []


def test_a_default_no_environment_can_hold_is_refused_at_the_default() -> None:
    raw = _spec({}, {"DSN": {"description": "d", "default": "a\x00b"}})
    with pytest.raises(ValidationError, match="default cannot contain a newline or other control"):
        Spec.model_validate(raw)


def test_files_whose_compose_config_names_clash_are_refused_at_the_second() -> None:
    same_service = {"files": {"/d/10-init.sql": "one", "/d/10-init-sql": "two"}}
    assert spec_findings(_spec({"a": _svc(**same_service)})) == [
        "services.a.files./d/10-init-sql: its Compose config name 'a-d-10-init-sql' is also"
        " that of services.a.files['/d/10-init.sql'], so one would replace the other;"
        " rename one"
    ]
    across = _spec({"a": _svc(files={"/b-c": "one"}), "a-b": _svc(files={"/c": "two"})})
    assert spec_findings(across) == [
        "services.a-b.files./c: its Compose config name 'a-b-c' is also that of"
        " services.a.files['/b-c'], so one would replace the other; rename one"
    ]
