"""jinja2 for the text formats (never for YAML or JSON: those are serialised)."""

from __future__ import annotations

import functools
import re
import shlex
from typing import Any

import jinja2

from pivotal_gen.formats.comments import oneline
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
    env.filters["dquoted"] = dquoted
    # Text for a comment or a quoted heredoc: a line break would end either (the model
    # refuses control characters; this is the backstop).
    env.filters["oneline"] = oneline
    return env


def shquote(value: object) -> str:
    """One shell word, for every value a template puts into a script."""
    return shlex.quote(str(value))


def dquoted(value: object) -> str:
    """Text inside a shell's double quotes, where `$`, backquotes, `"` and `\\` act."""
    return re.sub(r'([$`"\\])', r"\\\1", oneline(value))


def render_template(name: str, **values: Any) -> bytes:
    return environment().get_template(name).render(**values).encode("utf-8")
