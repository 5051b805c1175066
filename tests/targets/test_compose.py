from __future__ import annotations

from pathlib import Path
from typing import Any, cast

import pytest

from pivotal_gen.checks.cross import check_spec
from pivotal_gen.model.spec import Spec
from pivotal_gen.model.variables import Variable
from pivotal_gen.project import Loaded
from pivotal_gen.targets import compose
from pivotal_gen.targets.compose import reference, relocate
from pivotal_gen.targets.context import RenderContext
from tests.compose import APP, INFRA, compose_model, unescape
from tests.conftest import write_tree


@pytest.mark.parametrize(
    ("spec_path", "compose_path"),
    [
        (".", "../.."),
        ("apps/backend", "../../apps/backend"),
        ("./infra/docker/prometheus.yml", "./prometheus.yml"),
        ("infra/docker/grafana/provisioning", "./grafana/provisioning"),
        ("infra", ".."),
        ("/srv/data", "/srv/data"),
    ],
)
def test_paths_are_relative_to_the_compose_files(spec_path: str, compose_path: str) -> None:
    assert relocate(spec_path) == compose_path


@pytest.mark.parametrize(
    ("variable", "expected"),
    [
        (Variable(description="d", secret=True), "${S:?S is required (see .env.example)}"),
        (Variable(description="d"), "${S:?S is required (see .env.example)}"),
        (
            Variable(description="d", default="x", required=True),
            "${S:?S is required (see .env.example)}",
        ),
        (Variable(description="d", default="15m"), "${S:-15m}"),
        (Variable(description="d", type="boolean", default=False), "${S:-false}"),
        (Variable(description="d", type="integer", default=60), "${S:-60}"),
        (Variable(description="d", default="a$b"), "${S:-a$$b}"),
    ],
)
def test_references_become_compose_interpolation(variable: Variable, expected: str) -> None:
    assert reference("S", variable) == expected


def test_compose_gives_each_service_its_own_file_contents(tmp_path: Path) -> None:
    # Near misses of one another's config names, across both Compose files.
    files = {
        "a": {"/b-c/x": "a /b-c/x", "/d/10-init.sql": "a sql", "/d/10-init.sq": "a sq"},
        "a-b": {"/c": "a-b /c", "/d/10-init.sql": "a-b sql"},
        "a-b-c": {"/y": "a-b-c /y"},
    }
    layers = {"a": "infrastructure", "a-b": "application", "a-b-c": "application"}
    raw = {
        "project": "p",
        "services": {
            name: {"layer": layers[name], "image": "busybox:1.37", "files": content}
            for name, content in files.items()
        },
    }
    spec = Spec.model_validate(raw)
    assert check_spec(spec, raw) == []
    loaded = Loaded(profile=None, spec=spec, document=cast(Any, None), sources=())
    tree = write_tree(compose.render(RenderContext(loaded, tmp_path)), tmp_path)

    model = compose_model(tree, [INFRA, APP], {})

    seen = {
        name: {
            config["target"]: unescape(model["configs"][config["source"]]["content"])
            for config in model["services"][name]["configs"]
        }
        for name in files
    }
    assert seen == files


def test_a_dollar_in_a_path_reaches_compose_as_written(tmp_path: Path) -> None:
    # Only the fields that take ${NAME} references read `$` as one; in a bind mount's
    # paths or a file's target it is a literal, which Compose must not expand.
    volumes = ["./cache$HOME:/data$x", {"source": "./b${y}", "target": "/srv/${y}"}]
    raw = {
        "project": "p",
        "services": {
            "a": {
                "layer": "infrastructure",
                "image": "busybox:1.37",
                "volumes": volumes,
                "files": {"/etc/a$HOME.conf": "x"},
            }
        },
    }
    spec = Spec.model_validate(raw)
    loaded = Loaded(profile=None, spec=spec, document=cast(Any, None), sources=())
    tree = write_tree(compose.render(RenderContext(loaded, tmp_path)), tmp_path)

    model = compose_model(tree, [INFRA], {"HOME": "/home/x", "x": "X", "y": "Y"})

    service = model["services"]["a"]
    assert [(unescape(v["source"]), unescape(v["target"])) for v in service["volumes"]] == [
        (str(tree / "cache$HOME"), "/data$x"),
        (str(tree / "b${y}"), "/srv/${y}"),
    ]
    assert [unescape(config["target"]) for config in service["configs"]] == ["/etc/a$HOME.conf"]
