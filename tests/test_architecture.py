"""The package's shape: the import graph follows the pipeline, and modules stay small.

Every import counts, including those under TYPE_CHECKING and inside functions:
they are a dependency of design even where Python would tolerate a circle.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO

PACKAGE = REPO / "pivotal_gen"
# The layers from the last stage of the pipeline to the first; a module may import
# its own layer and those after it in this list, never one before it.
LAYERS = (
    "cli",  # parse arguments, report
    "sync",  # plan every file in memory, compare with disk, write
    "targets",  # build each output kind
    "project",  # a project's files, loaded through read -> merge -> validate -> check
    "checks",  # cross-checks and policy rules
    "model",  # validate into the pydantic model
    "source",  # read the spec and profiles: YAML with positions, merge, provenance
    "formats",  # serialisers: YAML, JSON, text templates
    "errors",  # the user-error type and exit codes
    "layout",  # where files are and go
)
ENTRY_POINTS = {"__main__"}  # `python -m pivotal_gen`: above every layer
MAX_LINES = 300


def module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imports(path: Path, known: set[str]) -> Iterator[str]:
    """The package's modules that `path` imports, wherever the import statement stands."""
    package = module_name(path) if path.name == "__init__.py" else module_name(path.parent)
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names if alias.name in known)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the package of this module
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                if candidate in known:  # `from pivotal_gen.x import module`
                    yield candidate
                elif base in known:
                    yield base


def graph() -> dict[str, set[str]]:
    found = modules()
    known = set(found)
    return {name: set(imports(path, known)) - {name} for name, path in found.items()}


def layer(module: str) -> int | None:
    parts = module.split(".")
    if len(parts) < 2 or parts[1] in ENTRY_POINTS:
        return None  # the package itself, and the entry point
    return LAYERS.index(parts[1])


def test_every_module_belongs_to_a_layer() -> None:
    for name in modules():
        parts = name.split(".")
        if len(parts) > 1 and parts[1] not in ENTRY_POINTS:
            assert parts[1] in LAYERS, f"{name}: add its folder to LAYERS"


def test_no_import_points_up_the_pipeline() -> None:
    upward = []
    for module, targets in sorted(graph().items()):
        for target in sorted(targets):
            here, there = layer(module), layer(target)
            if here is not None and there is not None and there < here:
                upward.append(f"{module} imports {target}")
    assert not upward, "\n".join(upward)


def test_targets_take_their_facts_from_the_model_not_the_checks() -> None:
    """A value a target writes and a check checks is computed once, in the model;
    a target that asked the checks for it would build on what only judges the spec."""
    found = [
        f"{module} imports {target}"
        for module, targets in sorted(graph().items())
        if module.startswith("pivotal_gen.targets.")
        for target in sorted(targets)
        if target.startswith("pivotal_gen.checks.")
    ]
    assert not found, "\n".join(found)


def test_the_import_graph_has_no_circle() -> None:
    edges = graph()
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    circles: list[str] = []

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in sorted(edges[module]):
            if state.get(target) == 1:
                circles.append(" -> ".join([*path[path.index(target) :], target]))
            elif target not in state:
                visit(target, [*path, target])
        state[module] = 2

    for module in sorted(edges):
        if module not in state:
            visit(module, [module])
    assert not circles, "\n".join(circles)


def test_the_checks_can_fail() -> None:
    """The graph reader sees the imports these tests must catch."""
    source = PACKAGE / "source" / "merge.py"
    known = set(modules())
    found = set(imports(source, known))
    assert "pivotal_gen.errors" in found
    assert layer("pivotal_gen.cli.main") == 0 and layer("pivotal_gen.layout") == len(LAYERS) - 1


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: module_name(p))
def test_modules_stay_small(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(REPO)}: {lines} lines; split it"
