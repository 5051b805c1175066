"""`pivotal-gen diff`: what render would change, as a unified diff (or JSON, or annotations)."""

from __future__ import annotations

from pivotal_gen.errors import EXIT_DIFFERS, EXIT_OK
from pivotal_gen.options import Options
from pivotal_gen.render import plan_outputs
from pivotal_gen.sync import compare


def run(options: Options) -> int:
    changes = compare(plan_outputs(options.project, options.profiles, options.out))
    options.reporter.report_diff(changes)
    return EXIT_DIFFERS if changes else EXIT_OK
