"""jinja2 for the text formats (never for YAML or JSON: those are serialised)."""

from __future__ import annotations

import functools
import shlex
from typing import Any

import jinja2

from pivotal_gen.layout import templates_dir


@functools.cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir()),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
    env.filters["shquote"] = shquote
    return env


def shquote(value: object) -> str:
    """One shell word, for every value a template puts into a script."""
    return shlex.quote(str(value))


def render_template(name: str, **values: Any) -> bytes:
    return environment().get_template(name).render(**values).encode("utf-8")
