"""The `pivotal-gen` executable: cli.py, after one shortcut.

The pre-commit hook runs a plain `pivotal-gen check` on every commit. Loading
click and the generator takes about ten times longer than the check memo
(memo.py) needs to vouch for an unchanged tree, so that one invocation is
recognised here, before anything else loads; when the memo vouches, it exits 0.
Every other command line, and that one when the memo cannot vouch, goes to
cli.py, which parses it in full. The shortcut takes only argument lists that
click reads the same way (tests/test_launch.py holds the two to that).
"""

from __future__ import annotations

import gc
import os
import sys


def main() -> None:
    # A render builds hundreds of thousands of containers and next to no cyclic
    # garbage; at the default pace (every 700 allocations) the collector took a third
    # of the time of a 2,000-service render scanning them. It still runs, less often.
    gc.set_threshold(100_000, 50, 100)
    spec = plain_check(sys.argv[1:])
    if spec is not None:
        from pivotal_gen import memo

        if memo.vouches(os.path.dirname(spec) or "."):
            sys.exit(0)
    from pivotal_gen.cli import main as cli

    cli()


def plain_check(args: list[str]) -> str | None:
    """The spec of `[--spec PATH] check`, the pre-commit hook's command; else None."""
    match args:
        case ["check"]:
            spec = "pivotal.yaml"
        case ["--spec", spec, "check"] if not spec.startswith("-"):
            pass
        case [option, "check"] if option.startswith("--spec="):
            spec = option.removeprefix("--spec=")
        case _:
            return None
    # click refuses an empty or folder --spec: leave that to it.
    return spec if spec and not os.path.isdir(spec) else None
