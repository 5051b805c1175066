"""`.env.example`: every variable the stack reads, one comment line each.

Secrets and required variables without a default are listed empty, so that
the file can be committed and copied but never run with a usable secret.
"""

from __future__ import annotations

from dataclasses import dataclass

from pivotal_gen.formats.comments import comment_header
from pivotal_gen.formats.dotenv import quote
from pivotal_gen.formats.jinja import render_template
from pivotal_gen.model.compose_reads import variables_read
from pivotal_gen.model.variables import Variable, env_text
from pivotal_gen.targets.context import RenderContext

NAME = "env-example"
PATH = ".env.example"


@dataclass(frozen=True)
class _Entry:
    name: str
    value: str
    comment: str


def render(ctx: RenderContext) -> dict[str, bytes]:
    read = variables_read(ctx.spec)
    entries = [_entry(name, var, name in read) for name, var in ctx.spec.variables.items()]
    header = comment_header(ctx.header_lines()).rstrip("\n")
    return {PATH: render_template("env.example.j2", header=header, variables=entries)}


def _entry(name: str, variable: Variable, read: bool) -> _Entry:
    notes: list[str] = [variable.type] if variable.type != "string" else []
    if variable.secret:
        # A secret no service of this profile reads (Alertmanager's, where alerts go
        # nowhere) need not be set: say so rather than send people looking for it.
        notes.append("secret, required" if read else "secret, not read in this profile")
    elif variable.must_be_set:
        notes.append("required")
    comment = variable.description + (f" ({', '.join(notes)})" if notes else "")
    value = "" if variable.secret or variable.default is None else env_text(variable.default)
    return _Entry(name, quote(value), " ".join(comment.split()))
