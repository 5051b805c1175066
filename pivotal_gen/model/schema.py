"""JSON Schemas for editors, generated from the model.

`pivotal.schema.json` describes the spec; `pivotal-profile.schema.json` the
profiles, which are partial specs: nothing is required and `null` (remove
the key) is allowed everywhere.
"""

from __future__ import annotations

from typing import Any

from pivotal_gen.formats.json import to_json
from pivotal_gen.layout import PROFILE_SCHEMA, SPEC_SCHEMA
from pivotal_gen.model.spec import Spec

_DIALECT = "https://json-schema.org/draft/2020-12/schema"
_SPEC_TITLE = "pivotal-gen spec (pivotal.yaml)"
_PROFILE_TITLE = "pivotal-gen profile (profiles/*.yaml)"


def schema_files() -> dict[str, bytes]:
    """The schema files, by path relative to the project root."""
    spec = Spec.model_json_schema()
    return {
        SPEC_SCHEMA: to_json({"$schema": _DIALECT, "title": _SPEC_TITLE, **spec}),
        PROFILE_SCHEMA: to_json({"$schema": _DIALECT, "title": _PROFILE_TITLE, **_partial(spec)}),
    }


def _partial(node: Any) -> Any:
    """A copy without any `required`, and with every property allowed to be null."""
    if isinstance(node, list):
        return [_partial(item) for item in node]
    if not isinstance(node, dict):
        return node
    result = {key: _partial(value) for key, value in node.items() if key != "required"}
    if isinstance(result.get("properties"), dict):
        result["properties"] = {
            name: {"anyOf": [prop, {"type": "null"}]} for name, prop in result["properties"].items()
        }
    if isinstance(result.get("additionalProperties"), dict):
        result["additionalProperties"] = {
            "anyOf": [result["additionalProperties"], {"type": "null"}]
        }
    return result
