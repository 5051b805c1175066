"""The JSON Schemas in standard tools: check-jsonschema with its defaults, and ECMA-262.

Editors and check-jsonschema read schema patterns as ECMA-262 regular expressions
(unicode mode) and the spec as YAML 1.1 or 1.2 readers do. The shipped spec and
profiles must pass there as they pass pivotal-gen, and every pattern must mean the
same to ECMA-262 as to the Rust regex pydantic checks values with.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import pytest
from pydantic import Field, TypeAdapter, ValidationError

from pivotal_gen.model.schema import schema_files
from tests.tools import missing, venv_tool

ROOT = Path(__file__).resolve().parent.parent
SPEC_SCHEMA = ROOT / "schema" / "pivotal.schema.json"
PROFILE_SCHEMA = ROOT / "schema" / "pivotal-profile.schema.json"
PROFILES = sorted((ROOT / "profiles").glob("*.yaml"))


def check_jsonschema(schema: Path, *documents: Path) -> subprocess.CompletedProcess[str]:
    tool = venv_tool("check-jsonschema", "check-jsonschema")
    command = [tool, "--schemafile", str(schema), *map(str, documents)]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def test_check_jsonschema_with_its_defaults_passes_the_spec() -> None:
    done = check_jsonschema(SPEC_SCHEMA, ROOT / "pivotal.yaml")
    assert done.returncode == 0, done.stdout + done.stderr


def test_check_jsonschema_with_its_defaults_passes_every_profile() -> None:
    assert PROFILES
    done = check_jsonschema(PROFILE_SCHEMA, *PROFILES)
    assert done.returncode == 0, done.stdout + done.stderr


def test_check_jsonschema_finds_what_the_schema_forbids(tmp_path: Path) -> None:
    # The passes above mean something: the same run fails a spec the schema refuses.
    spec = tmp_path / "pivotal.yaml"
    spec.write_text((ROOT / "pivotal.yaml").read_text() + "unknown_top_level_key: 1\n")
    done = check_jsonschema(SPEC_SCHEMA, spec)
    assert done.returncode == 1
    assert "unknown_top_level_key" in done.stdout


def patterns(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "pattern" and isinstance(value, str):
                yield value
            else:
                yield from patterns(value)
    elif isinstance(node, list):
        for item in node:
            yield from patterns(item)


SCHEMAS = {path: json.loads(text) for path, text in schema_files().items()}
PATTERNS = sorted({p for schema in SCHEMAS.values() for p in patterns(schema)})


def regress_regex(pattern: str) -> Any:
    try:
        import regress
    except ImportError:
        missing("regress (check-jsonschema's ECMA-262 engine)", "pip install check-jsonschema")
    return regress.Regex(pattern, "u")


def test_the_schemas_have_patterns() -> None:
    assert len(PATTERNS) >= 5


@pytest.mark.parametrize("pattern", PATTERNS)
def test_every_pattern_compiles_as_ecma_262(pattern: str) -> None:
    regress_regex(pattern)  # raises on what ECMA-262's unicode mode refuses (`\"`)


def test_an_escape_ecma_262_refuses_is_caught() -> None:
    with pytest.raises(Exception, match=r"Invalid character escape"):
        regress_regex(r"^/[^\s\"';]*$")


# Characters where regex engines differ: whitespace, line ends, quotes, controls.
PROBES = [
    *["", "a", "/", "/a", "A", "_", "-", ".", ":", "0", "9", "é", "\U0001f600"],
    *[f"/a{c}" for c in "\t\n\v\f\r \x00\x1c\x1f\x7f\x85\xa0\u1680\u2028\u2029\u3000\ufeff"],
    *["/a\n", "a\n", "a\r\n", "\n", '"', "'", ";", "\\", "$", "pnpm@1.2.3", "pnpm@1.2.3\n"],
    *["node:22-alpine", "node:22-alpine\n", "nodeuser", "x" * 33, "https://x", "pnpm run build"],
]


@pytest.mark.parametrize("pattern", PATTERNS)
def test_every_pattern_means_the_same_to_ecma_262_as_to_the_model(pattern: str) -> None:
    ecma = regress_regex(pattern)
    model = TypeAdapter(Annotated[str, Field(pattern=pattern)])
    for probe in PROBES:
        try:
            model.validate_python(probe)
            ours = True
        except ValidationError:
            ours = False
        assert (ecma.find(probe) is not None) == ours, (pattern, probe)
