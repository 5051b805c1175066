"""`pivotal-gen diff`: what render would change, as a unified diff (or JSON, or annotations)."""

from __future__ import annotations

from pivotal_gen.cli.commands.check import compare_and_report
from pivotal_gen.cli.options import Options


def run(options: Options) -> int:
    return compare_and_report(options, lambda reporter, changes: reporter.report_diff(changes))
