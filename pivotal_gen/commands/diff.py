"""`pivotal-gen diff`: what render would change, as a unified diff or JSON."""

from __future__ import annotations

import difflib
import json
import sys

from pivotal_gen.errors import EXIT_DIFFERS, EXIT_OK, display_path
from pivotal_gen.options import Options
from pivotal_gen.render import plan_outputs
from pivotal_gen.sync import Change, compare


def run(options: Options) -> int:
    changes = compare(plan_outputs(options.project, options.profiles, options.out))
    if options.format == "json":
        report = {
            "changes": [
                {
                    "path": display_path(str(c.path)),
                    "status": c.kind,
                    "fix": c.fix,
                    "diff": unified(c),
                }
                for c in changes
            ]
        }
        sys.stdout.write(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    else:
        for change in changes:
            sys.stdout.write(unified(change))
    return EXIT_DIFFERS if changes else EXIT_OK


def unified(change: Change) -> str:
    name = display_path(str(change.path))
    if change.kind == "unknown":
        return f"Only in {display_path(str(change.path.parent))}: {change.path.name}\n"
    old = _lines(change.old)
    new = _lines(change.new)
    before = f"a/{name}" if change.old is not None else "/dev/null"
    after = f"b/{name}" if change.new is not None else "/dev/null"
    text = "".join(difflib.unified_diff(old, new, before, after))
    if text:
        return text
    if change.path.is_symlink():
        return f"{name}: replaces a symlink\n"
    return f"{name}: mode changes to {change.mode:o}\n"


def _lines(data: bytes | None) -> list[str]:
    if data is None:
        return []
    lines = data.decode("utf-8", errors="replace").splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n\\ No newline at end of file\n"
    return lines
