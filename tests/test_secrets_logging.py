"""Compose secrets and logging in the spec: checked across the spec, and rendered so
that the real Compose parser reads back what the spec says."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

import pytest
from pydantic import ValidationError

from pivotal_gen.checks.cross import check_spec
from pivotal_gen.model.spec import Spec
from pivotal_gen.project import Loaded
from pivotal_gen.targets import compose
from pivotal_gen.targets.context import RenderContext
from tests.compose import APP, INFRA, compose_config, compose_model, unescape
from tests.conftest import spec_findings, write_tree

SECRET_VARIABLE = {"description": "The cache's password", "secret": True}


def _raw(**top: Any) -> dict[str, Any]:
    cache = {"layer": "infrastructure", "image": "redis:8-alpine"}
    app = {"layer": "application", "image": "busybox:1.37"}
    raw: dict[str, Any] = {
        "project": "p",
        "variables": {"CACHE_PASSWORD": SECRET_VARIABLE},
        "secrets": {"cache_password": {"environment": "CACHE_PASSWORD"}},
        "services": {"cache": cache, "app": app},
    }
    for key, value in top.items():
        if key in raw["services"]:
            raw["services"][key] = {**raw["services"][key], **value}
        else:
            raw[key] = value
    return raw


def _render(raw: dict[str, Any], tmp_path: Path) -> Path:
    spec = Spec.model_validate(raw)
    assert check_spec(spec, raw) == []
    loaded = Loaded(profile=None, spec=spec, document=cast(Any, None), sources=())
    return write_tree(compose.render(RenderContext(loaded, tmp_path)), tmp_path)


def test_a_secret_reaches_its_services_as_a_file_compose_fills_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = _raw(
        cache={"secrets": ["cache_password"]},
        app={"secrets": [{"source": "cache_password", "target": "cache", "mode": "0440"}]},
    )
    # Set where the render runs too, so that a value read from the environment would show.
    monkeypatch.setenv("CACHE_PASSWORD", "s3cret")
    tree = _render(raw, tmp_path)

    model = compose_model(tree, [INFRA, APP], {"CACHE_PASSWORD": "s3cret"})

    assert model["secrets"]["cache_password"]["environment"] == "CACHE_PASSWORD"
    assert model["services"]["cache"]["secrets"] == [
        {"source": "cache_password", "target": "/run/secrets/cache_password"}
    ]
    assert model["services"]["app"]["secrets"] == [
        {"source": "cache_password", "target": "cache", "mode": "0440"}
    ]
    # The value is the deployer's: never in a file pivotal-gen writes.
    written = [p for p in tree.rglob("*") if p.is_file()]
    assert written
    assert b"s3cret" not in b"".join(p.read_bytes() for p in written)


def test_each_compose_file_declares_the_secrets_its_services_use(tmp_path: Path) -> None:
    tree = _render(_raw(app={"secrets": ["cache_password"]}), tmp_path)

    # The infrastructure file is also used alone (to start the databases first).
    alone = compose_config(tree, [INFRA], {}, "--quiet")
    pair = compose_config(tree, [INFRA, APP], {"CACHE_PASSWORD": "x"}, "--quiet")

    assert (alone.returncode, pair.returncode) == (0, 0), alone.stderr + pair.stderr
    assert "secrets" not in (tree / INFRA).read_text()


def test_a_file_secret_is_relative_to_the_repo_root(tmp_path: Path) -> None:
    raw = _raw(cache={"secrets": ["tls_key"]})
    raw["secrets"]["tls_key"] = {"file": "secrets/tls.key"}
    tree = _render(raw, tmp_path)

    model = compose_model(tree, [INFRA], {})

    assert model["secrets"]["tls_key"]["file"] == str(tmp_path / "secrets" / "tls.key")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            _raw(cache={"secrets": ["cache_pasword"]}),
            "services.cache.secrets.0: secret 'cache_pasword' is not declared under secrets: "
            "(did you mean 'cache_password'?)",
        ),
        (
            _raw(secrets={"s": {"environment": "NOPE"}}),
            "secrets.s.environment: NOPE is not declared under variables:",
        ),
        (
            _raw(
                variables={"PLAIN": {"description": "d", "default": "x"}},
                secrets={"s": {"environment": "PLAIN"}},
            ),
            "secrets.s.environment: variables.PLAIN must be `secret: true` to fill a secret",
        ),
        (
            _raw(cache={"read_only": True, "secrets": ["cache_password"]}),
            "services.cache.secrets.0: secret 'cache_password' comes from the environment, "
            "which Compose cannot write into a read_only container; use a `file:` source "
            "or drop read_only",
        ),
        (
            _raw(cache={"secrets": ["cache_password", {"source": "cache_password"}]}),
            "services.cache.secrets.1: /run/secrets/cache_password is already the target "
            "of secrets[0]",
        ),
        (
            _raw(logging={"driver": "json-file", "options": {"tag": "${NOPE}"}}),
            "logging.options.tag: ${NOPE} is not declared under variables:",
        ),
        (
            _raw(cache={"logging": {"driver": "local", "options": {"tag": "${NOP}"}}}),
            "services.cache.logging.options.tag: ${NOP} is not declared under variables:",
        ),
    ],
)
def test_secrets_and_logging_are_checked_across_the_spec(
    raw: dict[str, Any], expected: str
) -> None:
    assert spec_findings(raw) == [expected]


@pytest.mark.parametrize(
    "source",
    [{}, {"environment": "A", "file": "a"}, {"file": "../outside"}, {"environment": "A-B"}],
)
def test_a_secret_source_is_one_variable_or_one_file_in_the_repo(source: dict[str, str]) -> None:
    with pytest.raises(ValidationError):
        Spec.model_validate(_raw(secrets={"s": source}))


@pytest.mark.parametrize(
    "mount",
    [{"source": "s", "target": "../etc/x"}, {"source": "s", "mode": 440},
     {"source": "s", "mode": "0999"}, {"source": "s", "uid": "root"},
     {"source": "s", "target": "a\nb"}],
)  # fmt: skip
def test_a_secret_mount_is_a_plain_target_and_octal_mode(mount: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        Spec.model_validate(_raw(cache={"secrets": [mount]}))


def test_every_service_rotates_its_logs_unless_it_says_otherwise(tmp_path: Path) -> None:
    raw = _raw(app={"logging": {"driver": "local", "options": {"max-size": "50m"}}})
    tree = _render(raw, tmp_path)

    model = compose_model(tree, [INFRA, APP], {})

    assert model["services"]["cache"]["logging"] == {
        "driver": "json-file",
        "options": {"max-size": "10m", "max-file": "5"},
    }
    assert model["services"]["app"]["logging"] == {
        "driver": "local",
        "options": {"max-size": "50m"},
    }


def test_logging_options_are_data_compose_reads_back_exactly(tmp_path: Path) -> None:
    # `$$` is the spec's literal dollar, as in Compose.
    tag = "{{.Name}} $$HOME 'q' \"dq\" # \\"
    raw = _raw(logging={"driver": "json-file", "options": {"tag": tag}})
    tree = _render(raw, tmp_path)

    model = compose_model(tree, [INFRA], {"HOME": "expanded"})

    assert unescape(model["services"]["cache"]["logging"]["options"]["tag"]) == tag.replace(
        "$$", "$"
    )


@pytest.mark.parametrize(
    "logging",
    [{"driver": "json file"}, {"driver": "json-file", "options": {"tag": "a\nb"}},
     {"driver": "json-file", "options": {"max size": "1m"}}, {"options": {}}],
)  # fmt: skip
def test_a_logging_driver_is_a_name_and_its_options_one_line_each(
    logging: dict[str, Any],
) -> None:
    with pytest.raises(ValidationError):
        Spec.model_validate(_raw(logging=logging))
