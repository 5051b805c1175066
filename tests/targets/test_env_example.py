from __future__ import annotations

import pytest

from pivotal_gen.project import Project
from pivotal_gen.sync.plan import render_profile
from pivotal_gen.targets.env_example import dotenv_quote
from tests.conftest import REPO


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("pivotal", "pivotal"),
        ("redis://redis:6379", "redis://redis:6379"),
        ("", ""),
        ("a b", "'a b'"),
        ("a$b", "'a$b'"),
        ("#x", "'#x'"),
        ("it's", '"it\'s"'),
        ("it's $x", '"it\'s \\$x"'),
    ],
)
def test_values_are_quoted_for_compose_dotenv(value: str, written: str) -> None:
    assert dotenv_quote(value) == written


@pytest.mark.parametrize("profile", Project(REPO).profiles)
def test_every_variable_once_with_one_comment_and_secrets_empty(profile: str) -> None:
    project = Project(REPO)
    spec = project.load(profile).spec
    text = render_profile(project, profile)[".env.example"].decode()
    body = [line for line in text.splitlines() if line and not line.startswith("# Generated")]
    assignments = {
        line.split("=", 1)[0]: line.split("=", 1)[1]
        for line in body
        if "=" in line and not line.startswith("#")
    }

    assert list(assignments) == list(spec.variables)
    for name, variable in spec.variables.items():
        if variable.secret:
            assert assignments[name] == "", name
        comment = body[body.index(f"{name}={assignments[name]}") - 1]
        assert comment == f"# {variable.description}" or comment.startswith(
            f"# {variable.description} ("
        ), name
