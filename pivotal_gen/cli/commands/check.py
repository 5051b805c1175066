"""`pivotal-gen check`: exit 1, naming each file and its fix, when outputs are stale."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from pivotal_gen.cli.options import Options
from pivotal_gen.cli.reporters import Reporter, reporter_for
from pivotal_gen.errors import EXIT_DIFFERS, EXIT_OK
from pivotal_gen.project import Project
from pivotal_gen.sync.compare import Change, compare_project


def run(options: Options) -> int:
    return compare_and_report(options, lambda reporter, changes: reporter.report_check(changes))


def compare_and_report(
    options: Options, report: Callable[[Reporter, Sequence[Change]], None]
) -> int:
    """Compare the outputs with disk and `report` the changes (check and diff differ only
    in that); an unchanged tree is recorded in the check memo."""
    project = Project.of(options.spec)
    comparison = compare_project(project, options.profiles, options.out, cache=options.cache)
    report(reporter_for(options.format), comparison.changes)
    if not comparison.changes:
        comparison.remember()
    return EXIT_DIFFERS if comparison.changes else EXIT_OK
