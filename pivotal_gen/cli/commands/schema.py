"""`pivotal-gen schema`: write the JSON Schemas of the spec and profiles (or print the spec's)."""

from __future__ import annotations

import sys

from pivotal_gen.cli.options import Options
from pivotal_gen.errors import EXIT_OK, display_path
from pivotal_gen.layout import SPEC_SCHEMA
from pivotal_gen.project import Project
from pivotal_gen.sync.compare import compare
from pivotal_gen.sync.plan import schema_output
from pivotal_gen.sync.write import apply


def run(options: Options) -> int:
    output = schema_output(Project.of(options.spec))
    if options.stdout:
        sys.stdout.write(output.files[SPEC_SCHEMA].decode("utf-8"))
        return EXIT_OK
    changes = compare([output])
    apply(changes)
    for change in changes:
        print(f"updated {display_path(str(change.path))}")
    return EXIT_OK
