from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any, cast

import pytest

from pivotal_gen.formats.dotenv import quote
from pivotal_gen.model.spec import Spec
from pivotal_gen.project import Loaded, Project
from pivotal_gen.sync.plan import render_profile
from pivotal_gen.targets import env_example
from pivotal_gen.targets.context import RenderContext
from tests.compose import compose_model, unescape
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
        # Compose reads `\'` as an escaped quote even between single quotes.
        ("C:\\", '"C:\\\\"'),
        ("tab\there", '"tab\\there"'),
    ],
)
def test_values_are_quoted_for_compose_dotenv(value: str, written: str) -> None:
    assert quote(value) == written


# Values and descriptions that each try to end a quote early, escape one, expand a
# variable or start a line of their own.
HOSTILE = [
    "C:\\",
    "C:\\' JWT_SECRET=attacker-known-key",
    "' JWT_SECRET=attacker-known-key",
    '" JWT_SECRET=attacker-known-key',
    "a\\nb",
    "x\nJWT_SECRET=attacker-known-key",
    "\r",
    "$JWT_SECRET",
    "${JWT_SECRET:-x",  # (as a description: braces in a default are refused, Compose pairs them)
    "$$",
    "\\$x",
    "\\\\'",
    "q'\\\"",
    "a # b",
    " lead and trail ",
    "tab\tand\x0bvertical\x0c",
    "\x1b[0m\x7f",
    "é\u2028\u0085",
    "#",
]


# Control characters and braces in a default are refused when the spec is validated (a
# default is one line, and sits in `${NAME:-...}`); the rest must reach .env.example so
# that Compose reads them back exactly.
DEFAULTS = [
    text
    for text in HOSTILE
    if not any(unicodedata.category(c) in ("Cc", "Zl", "Zp") or c in "{}" for c in text)
]


def _render(variables: dict[str, Any], tmp_path: Path) -> Path:
    spec = Spec.model_validate({"project": "p", "variables": variables, "services": {}})
    loaded = Loaded(profile=None, spec=spec, document=cast(Any, None), sources=())
    files = env_example.render(RenderContext(loaded, tmp_path))
    env_file = tmp_path / ".env"
    env_file.write_bytes(files[env_example.PATH])
    return env_file


def _compose_reads(env_file: Path, names: list[str]) -> dict[str, str]:
    """Each variable as Compose interpolates it from `env_file`."""
    lines = [f"      {name}: ${{{name}}}\n" for name in names]
    compose = "services:\n  s:\n    image: x:1\n    environment:\n" + "".join(lines)
    (env_file.parent / "c.yml").write_text(compose)
    model = compose_model(env_file.parent, ["c.yml"], {}, env_file=env_file)
    environment: dict[str, str] = model["services"]["s"]["environment"]
    return {name: unescape(environment[name]) for name in names}


def test_compose_reads_every_hostile_default_back_exactly(tmp_path: Path) -> None:
    variables: dict[str, Any] = {
        f"V{i}": {"description": f"d {text}", "default": text} for i, text in enumerate(DEFAULTS)
    }
    variables["JWT_SECRET"] = {"description": "signs tokens", "secret": True}
    env_file = _render(variables, tmp_path)
    # The deployer fills in the secret on its own line, as the file asks.
    text = env_file.read_text().replace("\nJWT_SECRET=\n", "\nJWT_SECRET=mine\n")
    env_file.write_text(text)

    read = _compose_reads(env_file, list(variables))

    assert read == {**{f"V{i}": text for i, text in enumerate(DEFAULTS)}, "JWT_SECRET": "mine"}


def test_a_description_never_becomes_an_assignment(tmp_path: Path) -> None:
    variables: dict[str, Any] = {
        f"V{i}": {"description": text if text.strip() else "x", "default": "plain"}
        for i, text in enumerate(HOSTILE)
    }
    variables["JWT_SECRET"] = {"description": "signs tokens", "secret": True}
    env_file = _render(variables, tmp_path)

    read = _compose_reads(env_file, list(variables))

    assert read == {
        **dict.fromkeys((f"V{i}" for i in range(len(HOSTILE))), "plain"),
        "JWT_SECRET": "",
    }


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
