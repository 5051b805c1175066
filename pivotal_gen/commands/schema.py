"""`pivotal-gen schema`: write (or print) the spec's JSON Schema."""

from __future__ import annotations

import sys

from pivotal_gen.errors import EXIT_OK, display_path
from pivotal_gen.options import Options
from pivotal_gen.schema import schema_bytes
from pivotal_gen.sync import write_atomic


def run(options: Options) -> int:
    data = schema_bytes()
    if options.stdout:
        sys.stdout.write(data.decode("utf-8"))
        return EXIT_OK
    target = options.project.schema_file
    if not target.exists() or target.read_bytes() != data or target.is_symlink():
        write_atomic(target, data)
        print(f"updated {display_path(str(target))}")
    return EXIT_OK
