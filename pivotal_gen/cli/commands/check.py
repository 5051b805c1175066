"""`pivotal-gen check`: exit 1, naming each file and its fix, when outputs are stale."""

from __future__ import annotations

from pivotal_gen.cli.options import Options
from pivotal_gen.cli.reporters import reporter_for
from pivotal_gen.errors import EXIT_DIFFERS, EXIT_OK
from pivotal_gen.project import Project
from pivotal_gen.sync.compare import compare_project


def run(options: Options) -> int:
    project = Project.of(options.spec)
    comparison = compare_project(project, options.profiles, options.out, cache=options.cache)
    reporter_for(options.format).report_check(comparison.changes)
    if not comparison.changes:
        comparison.remember()
    return EXIT_DIFFERS if comparison.changes else EXIT_OK
