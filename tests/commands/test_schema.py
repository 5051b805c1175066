from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from pivotal_gen.project import Project
from pivotal_gen.source.document import load_document
from tests.conftest import REPO, Run


def test_schema_is_valid_json_schema(run: Run) -> None:
    result = run("schema", "--stdout")
    schema = json.loads(result.stdout)
    Draft202012Validator.check_schema(schema)
    assert schema["additionalProperties"] is False


@pytest.mark.parametrize("profile", [None, *Project(REPO).profiles])
def test_the_real_spec_satisfies_its_schema(profile: str | None) -> None:
    schema = json.loads((REPO / "schema/pivotal.schema.json").read_text())
    document = Project(REPO).load(profile).document
    errors = list(Draft202012Validator(schema).iter_errors(document.data))
    assert errors == []


def test_schema_catches_what_editors_should_flag() -> None:
    schema = json.loads((REPO / "schema/pivotal.schema.json").read_text())
    spec = {"project": "x", "services": {"a": {"layer": "infrastructure", "imgae": "x"}}}
    messages = [e.message for e in Draft202012Validator(schema).iter_errors(spec)]
    assert any("imgae" in m for m in messages)


def test_schema_command_writes_the_file(project: Path, run: Run) -> None:
    (project / "schema/pivotal.schema.json").unlink()
    result = run("schema")
    assert result.exit_code == 0
    assert result.stdout == "updated schema/pivotal.schema.json\n"  # the profile schema is current
    assert run("check").exit_code == 0


def test_spec_points_editors_at_the_schema() -> None:
    first = (REPO / "pivotal.yaml").read_text().splitlines()[0]
    assert first == "# yaml-language-server: $schema=schema/pivotal.schema.json"
    assert (REPO / first.split("=", 1)[1]).is_file()


@pytest.mark.parametrize("profile", Project(REPO).profiles)
def test_profiles_satisfy_the_profile_schema(profile: str) -> None:
    schema = json.loads((REPO / "schema/pivotal-profile.schema.json").read_text())
    first = (REPO / "profiles" / f"{profile}.yaml").read_text().splitlines()[0]
    assert first == "# yaml-language-server: $schema=../schema/pivotal-profile.schema.json"
    data = load_document(REPO / "profiles" / f"{profile}.yaml").data
    assert list(Draft202012Validator(schema).iter_errors(data)) == []


def test_profile_schema_allows_removal_and_flags_typos() -> None:
    schema = json.loads((REPO / "schema/pivotal-profile.schema.json").read_text())
    validator = Draft202012Validator(schema)
    assert list(validator.iter_errors({"services": {"redis": {"healthcheck": None}}})) == []
    typo = {"services": {"redis": {"helthcheck": None}}}
    assert any("helthcheck" in e.message for e in validator.iter_errors(typo))
