"""Properties of rendering: any valid spec (tests/spec_strategies.py) gives files that
YAML readers, the Compose v2 parser and promtool read as the spec says, and the
same bytes every time.

The generalisation of test_values_roundtrip.py: the spec is written as JSON,
which is YAML, so that only pivotal-gen's own quoting is under test. Hypothesis
settings (deadline, example count, CI's derandomized profile) are in conftest.py.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from ruamel.yaml import YAML

from pivotal_gen.layout import COMPOSE_DIR, PROMETHEUS_CONFIG, RULE_TESTS_FILE
from pivotal_gen.project import Project
from pivotal_gen.sync.plan import render_profile
from tests.compose import APP, INFRA, compose_model, unescape
from tests.conftest import write_tree
from tests.spec_strategies import Example, ExpectedPort, examples, spec_text
from tests.tools import compose_binary, promtool

PROFILE = "plain"
YAML_VERSIONS = [(1, 1), (1, 2)]


def _project(root: Path, example: Example) -> Project:
    (root / "profiles").mkdir(parents=True)
    (root / "pivotal.yaml").write_text(spec_text(example.spec), encoding="utf-8")
    (root / "profiles" / f"{PROFILE}.yaml").write_text("")
    return Project(root)


def _render(example: Example) -> dict[str, bytes]:
    with tempfile.TemporaryDirectory() as folder:
        return render_profile(_project(Path(folder), example), PROFILE)


def _yaml_files(files: dict[str, bytes]) -> Iterator[tuple[str, bytes]]:
    return ((path, data) for path, data in files.items() if path.endswith((".yml", ".yaml")))


def _load(data: bytes, version: tuple[int, int]) -> Any:
    yaml = YAML(typ="safe", pure=True)
    yaml.version = version
    return yaml.load(data)


@given(examples())
def test_every_yaml_output_reads_back_as_the_spec_says(example: Example) -> None:
    files = _render(example)
    for version in YAML_VERSIONS:
        loaded = {path: _load(data, version) for path, data in _yaml_files(files)}
        infra, app = (loaded[path]["services"] or {} for path in (INFRA, APP))
        layers = example.layers.items()
        assert list(infra) == [name for name, layer in layers if layer == "infrastructure"]
        assert list(app) == [name for name, layer in layers if layer != "infrastructure"]
        services = {**infra, **app}
        for name, intended in example.environment.items():
            written = {key: value.replace("$", "$$") for key, value in intended.items()}
            assert services[name].get("environment", {}) == written, (name, version)
        if example.has_prometheus:
            jobs = [job["job_name"] for job in loaded[PROMETHEUS_CONFIG]["scrape_configs"]]
            assert jobs == example.jobs


@pytest.fixture(scope="module")
def tools() -> tuple[str, str]:
    return compose_binary(), promtool()


@given(examples())
def test_compose_and_promtool_read_what_the_spec_says(
    tools: tuple[str, str], example: Example
) -> None:
    files = _render(example)
    with tempfile.TemporaryDirectory() as folder:
        tree = write_tree(files, Path(folder))
        model = compose_model(tree, [INFRA, APP], {})
        infra_alone = compose_model(tree, [INFRA], {})
        if example.has_prometheus:
            config = subprocess.run(
                [tools[1], "check", "config", str(tree / PROMETHEUS_CONFIG)],
                capture_output=True,
                text=True,
                check=False,
            )
            assert config.returncode == 0, config.stdout + config.stderr
            rule_tests = subprocess.run(
                [tools[1], "test", "rules", str(tree / COMPOSE_DIR / RULE_TESTS_FILE)],
                capture_output=True,
                text=True,
                check=False,
            )
            assert rule_tests.returncode == 0, rule_tests.stdout + rule_tests.stderr

    assert set(infra_alone["services"]) == {
        name for name, layer in example.layers.items() if layer == "infrastructure"
    }
    services = model["services"]
    assert set(services) == set(example.layers)
    for name, service in services.items():
        environment = {key: unescape(v) for key, v in service.get("environment", {}).items()}
        assert environment == example.environment[name], name
        ports = [ExpectedPort.from_compose(port) for port in service.get("ports", [])]
        assert ports == list(dict.fromkeys(example.ports[name])), name  # identical ones merge
        conditions = {dep: how["condition"] for dep, how in service.get("depends_on", {}).items()}
        assert conditions == example.depends_on[name], name


@given(examples())
def test_rendering_gives_the_same_bytes_every_time(example: Example) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "one"
        project = _project(root, example)
        first = render_profile(project, PROFILE)
        assert render_profile(project, PROFILE) == first
        assert render_profile(Project(root), PROFILE) == first
        elsewhere = Path(folder) / "elsewhere"
        shutil.copytree(root, elsewhere)
        assert render_profile(Project(elsewhere), PROFILE) == first
