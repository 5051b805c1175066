from __future__ import annotations

import pytest

from pivotal_gen.model.spec import Variable
from pivotal_gen.targets.compose import reference, relocate


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
