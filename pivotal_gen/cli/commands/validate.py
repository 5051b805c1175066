"""`pivotal-gen validate`: the spec and every profile, with every error located."""

from __future__ import annotations

from pivotal_gen.cli.options import Options
from pivotal_gen.errors import EXIT_OK, Diagnostic, PivotalError


def run(options: Options) -> int:
    project = options.project
    names = project.require_profiles(options.profiles)
    problems: list[Diagnostic] = []
    for name in [None, *names]:
        try:
            project.load(name)
        except PivotalError as exc:
            problems.extend(d for d in exc.diagnostics if d not in problems)
    if problems:
        raise PivotalError(problems)
    options.reporter.report_valid(project.spec_file.name, names)
    return EXIT_OK
