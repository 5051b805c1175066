"""YAML-hostile values reach the container unchanged, as the real Compose parser reads them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from pivotal_gen.project import Project
from pivotal_gen.sync.plan import render_profile
from tests.compose import APP, INFRA, compose_model, unescape
from tests.conftest import COMPLIANT, write_tree

HOSTILE = [
    "on", "no", "yes", "off", "y", "n", "true", "null", "~", "", "0755", "1e3", "0x1F",
    "12:30", "*x", "&y", "!tag", "a: b", "#c", "a #c", "- x", "[1]", "{a: 1}", "%x",
    "'single'", '"double"', "back\\slash", "tab\there", "line\nbreak", " lead", "trail ",
    "ünïcødé ✓", "$HOME", "$${NOT_A_VAR}", "cost: 5$", "@at", "`tick`", "|", ">",
]  # fmt: skip


def _spec(values: list[str]) -> dict[str, object]:
    environment = {f"V{i}": value.replace("$", "$$") for i, value in enumerate(values)}
    return {
        "project": "roundtrip",
        "services": {
            "app": {
                "layer": "infrastructure",
                "image": "busybox:1.37",
                **COMPLIANT,
                "environment": environment,
                "command": [value.replace("$", "$$") for value in values],  # a one-line list
            }
        },
    }


@pytest.fixture
def rendered(tmp_path: Path) -> dict[str, bytes]:
    spec_dir = tmp_path / "spec"
    (spec_dir / "profiles").mkdir(parents=True)
    # JSON is YAML: the spec is written without any YAML quoting decisions of ours.
    (spec_dir / "pivotal.yaml").write_text(json.dumps(_spec(HOSTILE)))
    (spec_dir / "profiles" / "plain.yaml").write_text("")
    return render_profile(Project(spec_dir), "plain")


def test_compose_hands_back_every_value_unchanged(
    rendered: dict[str, bytes], tmp_path: Path
) -> None:
    tree = tmp_path / "tree"
    write_tree(rendered, tree)
    model = compose_model(tree, [INFRA, APP], {"HOME": "/should-not-expand"})
    environment = model["services"]["app"]["environment"]
    assert [unescape(environment[f"V{i}"]) for i in range(len(HOSTILE))] == HOSTILE
    assert [unescape(arg) for arg in model["services"]["app"]["command"]] == HOSTILE


@pytest.mark.parametrize("version", [(1, 1), (1, 2)])
def test_yaml_readers_see_the_compose_strings(
    rendered: dict[str, bytes], version: tuple[int, int]
) -> None:
    yaml = YAML(typ="safe", pure=True)
    yaml.version = version
    app = yaml.load(rendered[INFRA])["services"]["app"]
    escaped = [value.replace("$", "$$") for value in HOSTILE]
    assert [app["environment"][f"V{i}"] for i in range(len(HOSTILE))] == escaped
    assert app["command"] == escaped


DEFAULTS = [
    "plain", "a b", "it's #1", 'say "hi"', "a$b", "$$", "cost: 5$", "ünï", "back\\slash",
    "on", "0755", "*x", "", " lead",
]  # fmt: skip


def test_defaults_reach_the_container_from_compose_and_from_env_example(tmp_path: Path) -> None:
    """A default works the same whether Compose applies it or .env.example supplies it."""
    spec = {
        "project": "defaults",
        "variables": {
            f"D{i}": {"description": f"default {i}", "default": value}
            for i, value in enumerate(DEFAULTS)
        },
        "services": {
            "app": {
                "layer": "infrastructure",
                "image": "busybox:1.37",
                **COMPLIANT,
                "environment": {f"D{i}": f"${{D{i}}}" for i in range(len(DEFAULTS))},
            }
        },
    }
    spec_dir = tmp_path / "spec"
    (spec_dir / "profiles").mkdir(parents=True)
    (spec_dir / "pivotal.yaml").write_text(json.dumps(spec))
    (spec_dir / "profiles" / "plain.yaml").write_text("")
    tree = write_tree(render_profile(Project(spec_dir), "plain"), tmp_path / "tree")

    from_defaults = compose_model(tree, [INFRA], {})
    from_env_file = compose_model(tree, [INFRA], {}, env_file=tree / ".env.example")

    for model in (from_defaults, from_env_file):
        environment = model["services"]["app"]["environment"]
        assert [unescape(environment[f"D{i}"]) for i in range(len(DEFAULTS))] == DEFAULTS
