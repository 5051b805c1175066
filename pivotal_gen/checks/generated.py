"""A service field the stack writes itself (model/derived.generated_fields) is not
written in the spec too: the spec's value would be silently replaced."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pivotal_gen.model.derived import generated_fields
from pivotal_gen.model.spec import Spec
from pivotal_gen.source.paths import Finding, format_path


def check_generated(spec: Spec, raw: Any) -> Iterator[Finding]:
    for name, service in spec.services.items():
        for field, (source, does) in generated_fields(spec, name).items():
            if getattr(service, field) is not None:
                message = f"{field} is generated from {format_path(source)} ({does}); remove it"
                yield ("services", name, field), message
