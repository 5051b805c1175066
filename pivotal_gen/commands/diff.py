"""`pivotal-gen diff`: what render would change, as a unified diff (or JSON, or annotations)."""

from __future__ import annotations

from pivotal_gen.errors import EXIT_DIFFERS, EXIT_OK
from pivotal_gen.options import Options
from pivotal_gen.render import plan_outputs, remember
from pivotal_gen.sync import compare


def run(options: Options) -> int:
    project, before = options.project, options.memo_inputs
    outputs = plan_outputs(project, options.profiles, options.out)
    changes = compare(outputs)
    options.reporter.report_diff(changes)
    if not changes:
        remember(project, outputs, before)
    return EXIT_DIFFERS if changes else EXIT_OK
