"""The command line. Argument parsing ends here: below this module, no click.

Every command fills an Options object and calls its module's `run`; user
errors (PivotalError) go to the reporter of the chosen format and exit 2, in one place.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, get_args

import click

from pivotal_gen import __version__
from pivotal_gen.cli.options import Format, Options
from pivotal_gen.errors import EXIT_INVALID, EXIT_OK, PivotalError

EXIT_CODES_HELP = (
    "Exit codes: 0 ok, 1 generated files differ, "
    "2 invalid input or usage, or a file that cannot be read or written."
)


def _run(command: Callable[[Options], int], options: Options) -> None:
    try:
        code = command(options)
    except PivotalError as exc:
        from pivotal_gen.cli.reporters import reporter_for  # loaded once there is something to say

        reporter_for(options.format).report_errors(exc.diagnostics)
        code = EXIT_INVALID
    except KeyboardInterrupt:
        code = 130
    except BrokenPipeError:  # `pivotal-gen diff | head`: the reader has all it wanted
        # Point stdout at /dev/null so that the flush at exit fails no more (Python docs' recipe).
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = EXIT_OK
    except OSError as exc:
        # The machine, not the code: a full disk or a lost mount where sync/ did not
        # name the file itself. Exit 2 either way: exit 1 would read as "stale".
        from pivotal_gen.cli.reporters import reporter_for
        from pivotal_gen.errors import Diagnostic

        where = f"{exc.filename}: " if exc.filename else ""
        reporter_for(options.format).report_errors([Diagnostic(f"{where}{exc.strerror or exc}")])
        code = EXIT_INVALID
    sys.exit(code)


def _options(ctx: click.Context, **values: Any) -> Options:
    spec: Path = ctx.find_root().params["spec"]
    return Options(spec=spec, **values)


def _spec_after_command(ctx: click.Context, _param: click.Parameter, value: Path | None) -> None:
    """`pivotal-gen check --spec X` means what `pivotal-gen --spec X check` does."""
    if value is not None:
        ctx.find_root().params["spec"] = value


SPEC_HELP = "The spec; profiles/, out/ and schema/ sit beside it."
# Accepted after the command too, where people put it; the group's option is the same one.
spec_option = click.option(
    "--spec",
    type=click.Path(path_type=Path, dir_okay=False),
    expose_value=False,
    callback=_spec_after_command,
    help=SPEC_HELP + " [default: pivotal.yaml]",
)


profile_option = click.option(
    "--profile",
    "profiles",
    multiple=True,
    metavar="NAME",
    help="A profile from profiles/NAME.yaml; repeat for several. Default: every profile.",
)
format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(get_args(Format)),
    default="text",
    show_default=True,
    help="text for people, json for programs, github for GitHub Actions annotations.",
)


def out_option(doing: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    return click.option(
        "--out",
        type=click.Path(path_type=Path),
        metavar="DIR",
        help=f"{doing} DIR (e.g. the platform repo) instead of out/PROFILE; one profile only.",
    )


@click.group(epilog=EXIT_CODES_HELP, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--spec",
    type=click.Path(path_type=Path, dir_okay=False),
    default=Path("pivotal.yaml"),
    show_default=True,
    help=SPEC_HELP,
)
@click.version_option(__version__, prog_name="pivotal-gen")
def main(spec: Path) -> None:
    """Compile pivotal.yaml into the stack's Compose files and .env.example."""


@main.command(epilog=EXIT_CODES_HELP)
@profile_option
@out_option("Render into")
@click.option(
    "--fail-on-change", is_flag=True, help="Exit 1 when a file was written (for pre-commit)."
)
@click.option(
    "--adopt",
    is_flag=True,
    help="Replace files pivotal-gen would write that it did not write (listed as adopted).",
)
@spec_option
@click.pass_context
def render(
    ctx: click.Context,
    profiles: tuple[str, ...],
    out: Path | None,
    fail_on_change: bool,
    adopt: bool,
) -> None:
    """Write the generated files; only what changed, each atomically.

    A file pivotal-gen would write but did not (no manifest of its lists it) is never
    replaced: render names each one and writes nothing, unless --adopt."""
    from pivotal_gen.cli.commands import render as command

    options = _options(ctx, profiles=profiles, out=out, fail_on_change=fail_on_change, adopt=adopt)
    _run(command.run, options)


@main.command(epilog=EXIT_CODES_HELP)
@profile_option
@out_option("Compare with")
@format_option
@click.option(
    "--no-cache",
    is_flag=True,
    help="Compare in full even when .pivotal-gen-cache/ vouches for the tree, and record nothing.",
)
@spec_option
@click.pass_context
def check(
    ctx: click.Context, profiles: tuple[str, ...], out: Path | None, fmt: Format, no_cache: bool
) -> None:
    """Fail when generated files (out/, schema/) are not what render would write.

    A plain `pivotal-gen check` answers from .pivotal-gen-cache/ when the generator,
    spec, profiles and outputs are byte for byte as the last full check or render of
    every profile left them; otherwise, and with any option, it compares in full."""
    from pivotal_gen.cli.commands import check as command

    options = _options(ctx, profiles=profiles, out=out, format=fmt, cache=not no_cache)
    _run(command.run, options)


@main.command(epilog=EXIT_CODES_HELP)
@profile_option
@out_option("Show the changes to")
@format_option
@spec_option
@click.pass_context
def diff(ctx: click.Context, profiles: tuple[str, ...], out: Path | None, fmt: Format) -> None:
    """Show what render would change, as a unified diff (or JSON, or annotations)."""
    from pivotal_gen.cli.commands import diff as command

    _run(command.run, _options(ctx, profiles=profiles, out=out, format=fmt))


@main.command(epilog=EXIT_CODES_HELP)
@profile_option
@format_option
@spec_option
@click.pass_context
def validate(ctx: click.Context, profiles: tuple[str, ...], fmt: Format) -> None:
    """Check the spec and profiles only; write nothing."""
    from pivotal_gen.cli.commands import validate as command

    _run(command.run, _options(ctx, profiles=profiles, format=fmt))


@main.command(epilog=EXIT_CODES_HELP)
@click.argument("path")
@click.option(
    "--profile",
    metavar="NAME",
    help="Explain the spec with profiles/NAME.yaml merged in. Default: the spec alone.",
)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@spec_option
@click.pass_context
def explain(ctx: click.Context, path: str, profile: str | None, fmt: Format) -> None:
    """Show a merged value (e.g. services.backend.environment.NODE_ENV) and every file
    and line that set it, the spec first; for a mapping, where each key comes from."""
    from pivotal_gen.cli.commands import explain as command

    profiles = (profile,) if profile is not None else ()
    _run(command.run, _options(ctx, path=path, profiles=profiles, format=fmt))


@main.command(epilog=EXIT_CODES_HELP)
@click.option("--stdout", is_flag=True, help="Print the schema instead of writing it.")
@spec_option
@click.pass_context
def schema(ctx: click.Context, stdout: bool) -> None:
    """Write schema/pivotal.schema.json, the spec's JSON Schema, for editors."""
    from pivotal_gen.cli.commands import schema as command

    _run(command.run, _options(ctx, stdout=stdout))
