"""The JSON Schema of the spec, generated from the model for editors."""

from __future__ import annotations

from typing import Any

from pivotal_gen.model import Spec
from pivotal_gen.serialize import to_json


def spec_schema() -> dict[str, Any]:
    schema = Spec.model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "pivotal-gen spec (pivotal.yaml and profiles/*.yaml merged)",
        **schema,
    }


def schema_bytes() -> bytes:
    return to_json(spec_schema())
