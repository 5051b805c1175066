"""`.env.example`: every variable the stack reads, one comment line each.

Secrets and required variables without a default are listed empty, so that
the file can be committed and copied but never run with a usable secret.
"""

from __future__ import annotations

from dataclasses import dataclass

from pivotal_gen.checks.cross import interpolated_strings
from pivotal_gen.formats.comments import comment_header
from pivotal_gen.formats.dotenv import quote
from pivotal_gen.formats.jinja import render_template
from pivotal_gen.model import interpolation
from pivotal_gen.model.spec import Spec
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
    read = _read_by_compose(ctx.spec)
    entries = [_entry(name, var, name in read) for name, var in ctx.spec.variables.items()]
    header = comment_header(ctx.header_lines()).rstrip("\n")
    return {PATH: render_template("env.example.j2", header=header, variables=entries)}


def _read_by_compose(spec: Spec) -> set[str]:
    """Variables this profile's Compose files read: referenced by a service (or the
    logging options), or the source of a secret a service mounts."""
    texts = [text for s in spec.services.values() for _, text in interpolated_strings(s)]
    texts += list(spec.logging.options.values())
    names = {name for text in texts for name in interpolation.references(text)}
    for service in spec.services.values():
        for mounted in service.secrets:
            source = spec.secrets.get(mounted.source)
            if source is not None and source.environment is not None:
                names.add(source.environment)
    return names


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
