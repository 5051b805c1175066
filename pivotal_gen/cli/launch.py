"""The `pivotal-gen` executable: cli.py, after one shortcut.

The pre-commit hooks run a plain `pivotal-gen check` (or `render
--fail-on-change`) on every commit. Loading click and the generator takes ten
times longer than the check memo (memo.py) needs to vouch for an unchanged
tree, so those command lines are recognised here, before anything else loads:
when the memo vouches, a check finds nothing and a render has nothing to write,
and both exit 0 saying what they would in full: nothing for check, `up to date:
N files in M profiles` for render. Every other command line,
and those when the memo cannot vouch, go to cli.py, which parses them in full.
The shortcut takes only argument lists that click reads the same way
(tests/test_launch.py holds the two to that).
"""

from __future__ import annotations

import gc
import os
import sys

# The commands, with the options, that the memo answers for: nothing else on the line.
SHORTCUTS = (["check"], ["render"], ["render", "--fail-on-change"])


def main() -> None:
    # A render builds hundreds of thousands of containers and next to no cyclic
    # garbage; at the default pace (every 700 allocations) the collector took a third
    # of the time of a 2,000-service render scanning them. It still runs, less often.
    gc.set_threshold(100_000, 50, 100)
    spec = shortcut_spec(sys.argv[1:])
    if spec is not None:
        from pivotal_gen.sync import memo

        counts = memo.vouched(spec)
        if counts is not None:
            if sys.argv[-1] != "check":  # a render: it says what the full one would
                print(memo.up_to_date(*counts))
            sys.exit(0)
    from pivotal_gen.cli.main import main as cli

    cli()


def shortcut_spec(args: list[str]) -> str | None:
    """The spec of `[--spec PATH] COMMAND` for a command in SHORTCUTS; else None."""
    spec = "pivotal.yaml"
    if args[:1] == ["--spec"] and len(args) > 1:
        spec, args = args[1], args[2:]
        if spec.startswith("-"):
            return None
    elif args[:1] and args[0].startswith("--spec="):
        spec, args = args[0].removeprefix("--spec="), args[1:]
    if args not in SHORTCUTS:
        return None
    # click refuses an empty or folder --spec: leave that to it.
    return spec if spec and not os.path.isdir(spec) else None
