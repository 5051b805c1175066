"""README's security promises name the tests that hold them: each named test exists."""

from __future__ import annotations

import ast
import re

from tests.conftest import REPO

_NAMED = re.compile(r"`(tests/[\w/]+\.py)::(test_\w+)`")


def _section(text: str, title: str) -> str:
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else None]


def test_every_test_the_security_section_names_exists() -> None:
    section = _section((REPO / "README.md").read_text(), "Security")
    named = _NAMED.findall(section)
    assert len(named) >= 7, named  # one or more per promise
    missing = []
    for path, name in named:
        tree = ast.parse((REPO / path).read_text())
        functions = {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}
        if name not in functions:
            missing.append(f"{path}::{name}")
    assert not missing, f"README names tests that do not exist: {missing}"
