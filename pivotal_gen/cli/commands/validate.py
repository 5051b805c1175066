"""`pivotal-gen validate`: the spec and every profile, with every error located."""

from __future__ import annotations

from pivotal_gen.cli.options import Options
from pivotal_gen.cli.reporters import reporter_for
from pivotal_gen.errors import EXIT_OK, Diagnostic, PivotalError
from pivotal_gen.project import Project


def run(options: Options) -> int:
    project = Project.of(options.spec)
    names = project.require_profiles(options.profiles)
    problems: list[Diagnostic] = []
    for name in [None, *names]:
        try:
            project.load(name)
        except PivotalError as exc:
            problems.extend(d for d in exc.diagnostics if d not in problems)
    if problems:
        raise PivotalError(problems)
    reporter_for(options.format).report_valid(project.spec_file.name, names)
    return EXIT_OK
