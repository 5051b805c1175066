"""Crash safety: `render` killed with SIGKILL at any moment never leaves a torn file.

The real CLI runs as a subprocess in a copy of the project and is killed again and
again while it switches every profile between two versions of the spec that differ in
most generated files, in a service (its files are created and removed) and in a whole
profile (its tree is created and retired). Most kills come a random part of the
render's expected write time (files to write x the time per file of a calibration
render) after its first write, which the loop watches for; the others a random part of
one render's wall time after launch. After every kill each file must be its version
from before that render or the one the render was writing, being absent counting as a
version; a render run to the end, back or on, must then give exactly that version's
files and no temporary file; and at the end `check` must pass.

The second test runs the same loop with a writer that truncates and writes in place
injected into the subprocess, and shows that it catches the torn file: the loop can fail.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from pivotal_gen.layout import TEMP_PREFIX
from pivotal_gen.project import Project
from pivotal_gen.source.document import parse_document
from pivotal_gen.sync.plan import file_mode, plan_outputs

# Fixed so that a failure's choices of target and delay can be replayed; another seed
# explores other moments: PIVOTAL_GEN_CRASH_SEED=7 pytest tests/test_crash_safety.py
SEED = int(os.environ.get("PIVOTAL_GEN_CRASH_SEED", "20261105"))
KILLS = 4  # each followed by a render run to the end
ANCHORED = 0.8  # share of kills timed from the render's first write rather than its launch
# Kills that must find render writing; until then the loop goes on, up to MAX_KILLS.
IN_WRITE_PHASE = 2
MAX_KILLS = 8

RENDER = [sys.executable, "-m", "pivotal_gen", "render"]

# What the harness must catch: a writer that truncates the file, then writes it in
# chunks, slowly, so that a kill in the write phase lands inside some file's write.
# render's apply() looks write_atomic up in sync/write.py when it calls it.
IN_PLACE_RENDER = [
    sys.executable,
    "-c",
    """
import os, sys, time
import pivotal_gen.sync.write as sync

def write_in_place(path, data, mode=0o644):
    path.parent.mkdir(parents=True, exist_ok=True)
    step = len(data) // 4 + 1
    with open(path, "wb") as handle:
        for start in range(0, len(data), step):
            handle.write(data[start : start + step])
            handle.flush()
            time.sleep(0.001)
    os.chmod(path, mode)

sync.write_atomic = write_in_place
from pivotal_gen.cli.main import main
main()
""",
    "render",
]

Entry = tuple[bytes, bool]  # a file's content and its executable bit
Tree = dict[str, Entry]  # every file under out/ and schema/, by path from the project root


@dataclass(frozen=True, repr=False)
class Version:
    name: str
    spec: bytes
    profiles: dict[str, bytes]
    tree: Tree  # what a render of this version, run to the end, leaves

    def __repr__(self) -> str:
        return f"<version {self.name}>"


class TornFile(AssertionError):
    """After a kill, a file is neither its version from before the render nor the new one."""


@pytest.mark.slow  # kills renders at random moments, many times
def test_a_killed_render_leaves_old_or_new_files_and_the_next_render_converges(
    project: Path,
) -> None:
    kills_in_write_phase = crash_loop(project, RENDER, SEED)

    assert kills_in_write_phase >= IN_WRITE_PHASE, (
        f"seed {SEED}: {kills_in_write_phase} of {MAX_KILLS} kills found render writing"
    )
    check = subprocess.run(  # in full: the memo would only vouch for what a check saw
        [sys.executable, "-m", "pivotal_gen", "check", "--no-cache"],
        cwd=project,
        capture_output=True,
    )
    assert check.returncode == 0, check.stdout.decode() + check.stderr.decode()


def test_the_crash_loop_catches_a_writer_that_is_not_atomic(project: Path) -> None:
    with pytest.raises(TornFile, match="neither its old version"):
        crash_loop(project, IN_PLACE_RENDER, SEED)


# --- the loop ----------------------------------------------------------------------------


def crash_loop(root: Path, command: list[str], seed: int) -> int:
    """Kill `command` (a render) again and again; how many kills found it writing.

    Raises TornFile when a kill leaves a torn file, AssertionError when a render run
    to the end does not give exactly the expected tree.
    """
    rng = random.Random(seed)
    versions = _versions(root)
    # Calibrate on a complete render: its wall time, and how long it takes to write a file.
    started = time.monotonic()
    _render_to_the_end(root, command, versions[1], f"seed {seed}, calibration")
    duration = time.monotonic() - started
    per_file = _write_phase(root, versions[0].tree, versions[1].tree) / len(
        _writes(versions[0].tree, versions[1].tree)
    )
    state = versions[1]  # the version on disk
    kill = in_write_phase = 0
    while kill < KILLS or (in_write_phase < IN_WRITE_PHASE and kill < MAX_KILLS):
        kill += 1
        target = versions[1 - versions.index(state)]
        _switch(root, target)
        before = _snapshot(root)
        anchored = rng.random() < ANCHORED
        writing = per_file * len(_writes(before, target.tree))  # expected, from calibration
        delay = rng.uniform(0, writing if anchored else duration)
        context = (
            f"seed {seed}, kill {kill}: a render from version {state.name} to {target.name} "
            f"killed {delay * 1000:.0f} ms after {'its first write' if anchored else 'launch'} "
            f"(one render: {duration * 1000:.0f} ms, this one's writes: {writing * 1000:.0f} ms)"
        )
        process = subprocess.Popen(
            command, cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        if anchored:
            _wait_for_first_write(process, root, before, target.tree)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        _, stderr = process.communicate()
        assert process.returncode in (0, -signal.SIGKILL), f"{context}: {stderr.decode()}"
        after = _snapshot(root)
        _check_after_kill(before, after, target.tree, context)
        in_write_phase += after != before and _without_temporary_files(after) != target.tree
        # Then a render to the end: every other time back to the version the killed one
        # started from, so that what it created must go again; else on to its target.
        state = state if kill % 2 else target
        context += f"; then a render to version {state.name}"
        _render_to_the_end(root, command, state, context)
    return in_write_phase


def _check_after_kill(before: Tree, after: Tree, new: Tree, context: str) -> None:
    """Every file is its old or its new version, being absent counting as a version."""
    old = _without_temporary_files(before)
    now = _without_temporary_files(after)
    for path in sorted(old.keys() | now.keys() | new.keys()):
        if now.get(path) not in (old.get(path), new.get(path)):
            raise TornFile(
                f"{context}: {path} is {_describe(now.get(path))}, neither its old version "
                f"({_describe(old.get(path))}) nor its new one ({_describe(new.get(path))})"
            )


def _render_to_the_end(root: Path, command: list[str], version: Version, context: str) -> None:
    """A render that is not killed converges: exactly the version's files, nothing else."""
    _switch(root, version)
    result = subprocess.run(command, cwd=root, capture_output=True)
    assert (result.returncode, result.stderr) == (0, b""), (
        f"{context}: exit {result.returncode}: {result.stderr.decode()}"
    )
    after = _snapshot(root)
    leftovers = sorted(path for path in after if Path(path).name.startswith(TEMP_PREFIX))
    assert leftovers == [], f"{context}: temporary files left: {leftovers}"
    differ = sorted(
        p for p in after.keys() | version.tree.keys() if after.get(p) != version.tree.get(p)
    )
    assert differ == [], f"{context}: not converged: {differ}"


# --- the two versions ----------------------------------------------------------------------


def _versions(root: Path) -> tuple[Version, Version]:
    """A: the project as copied (its out/ is current). B: most generated files differ."""
    spec = (root / "pivotal.yaml").read_bytes()
    profiles = {path.name: path.read_bytes() for path in (root / "profiles").glob("*.yaml")}
    data: dict[str, Any] = parse_document(spec, "pivotal.yaml").data
    changed = copy.deepcopy(data)
    changed["project"] = "pivotal-crash"  # every Compose file and script
    changed["services"]["backend"]["http"]["port"] = 3100  # Dockerfile, scrape config, ...
    changed["services"]["frontend"]["http"]["port"] = 8081  # nginx.conf, ...
    changed["monitoring"]["datasource"]["uid"] = "prometheus-b"  # every dashboard
    changed["variables"]["POSTGRES_DB"]["description"] = "Database name (version B)"
    # A service with an image recipe: its Dockerfiles are created, then removed.
    changed["services"]["worker"] = {
        "layer": "application",
        "build": {"context": ".", "dockerfile": "apps/worker/Dockerfile"},
        "http": {"port": 4000, "health": "/health"},
        "metrics": {"job": "worker", "kind": "node"},
        # What the policy rules ask of a long-running service, in production too:
        "healthcheck": {},
        "restart": "unless-stopped",
        "deploy": {"resources": {"limits": {"cpus": "0.5", "memory": "256M"}}},
    }
    worker = {**changed["images"]["backend"], "app": "apps/worker"}
    del worker["migrations"]
    changed["images"]["worker"] = worker
    pairs = [
        ("A", spec, profiles),
        # JSON is YAML; a profile of its own: out/extra/ is created, then retired.
        (
            "B",
            json.dumps(changed, indent=2).encode(),
            {**profiles, "extra.yaml": profiles["dev.yaml"]},
        ),
    ]
    versions = []
    for name, spec_bytes, profile_files in pairs:
        version = Version(name, spec_bytes, profile_files, {})
        _switch(root, version)
        versions.append(Version(name, spec_bytes, profile_files, _expected(root)))
    _switch(root, versions[0])
    a, b = versions
    assert a.tree == _snapshot(root), "the copied out/ is not current: run pivotal-gen render"
    assert len({p for p in a.tree.keys() | b.tree.keys() if a.tree.get(p) != b.tree.get(p)}) > 100
    return a, b


def _switch(root: Path, version: Version) -> None:
    (root / "pivotal.yaml").write_bytes(version.spec)
    for path in (root / "profiles").glob("*.yaml"):
        if path.name not in version.profiles:
            path.unlink()
    for name, data in version.profiles.items():
        (root / "profiles" / name).write_bytes(data)


def _expected(root: Path) -> Tree:
    """What render writes for the project as it is on disk, computed in-process."""
    tree: Tree = {}
    for output in plan_outputs(Project(root), (), None):
        for rel, data in output.files.items():
            path = (output.root / rel).relative_to(root).as_posix()
            tree[path] = (data, bool(file_mode(rel) & 0o111))
    return tree


# --- observing the tree ----------------------------------------------------------------------


def _snapshot(root: Path) -> Tree:
    tree: Tree = {}
    for folder in ("out", "schema"):
        for path in _files(root / folder):
            tree[path.relative_to(root).as_posix()] = (
                path.read_bytes(),
                bool(path.stat().st_mode & 0o111),
            )
    return tree


def _files(folder: Path) -> Iterator[Path]:
    for parent, _dirs, names in os.walk(folder):
        for name in names:
            yield Path(parent) / name


def _without_temporary_files(tree: Tree) -> Tree:
    return {
        path: entry for path, entry in tree.items() if not Path(path).name.startswith(TEMP_PREFIX)
    }


def _describe(entry: Entry | None) -> str:
    if entry is None:
        return "absent"
    data, executable = entry
    mode = ", executable" if executable else ""
    return f"{len(data)} bytes{mode}, sha256 {hashlib.sha256(data).hexdigest()[:12]}"


def _writes(old: Tree, new: Tree) -> list[str]:
    """The files a render from `old` to `new` writes (temporary files aside)."""
    return [path for path in new if new[path] != old.get(path)]


def _write_phase(root: Path, old: Tree, new: Tree) -> float:
    """How long the render that just ran took from its first write to its last (mtimes)."""
    times = [(root / path).stat().st_mtime for path in _writes(old, new)]
    return max(max(times) - min(times), 0.01)


def _wait_for_first_write(
    process: subprocess.Popen[bytes], root: Path, before: Tree, new: Tree
) -> None:
    """Return when the render changes the first file or folder it will change (or ends)."""
    watched: set[Path] = set()
    for path in before.keys() | new.keys():
        if before.get(path) != new.get(path):
            watched.update([root / path, *(root / path).parents])
    watched = {
        path
        for path in watched
        if path.is_relative_to(root / "out") or path.is_relative_to(root / "schema")
    }

    def signature() -> list[tuple[int, int, int] | None]:
        states: list[tuple[int, int, int] | None] = []
        for path in sorted(watched):
            try:
                found = path.stat()
            except FileNotFoundError:
                states.append(None)
            else:
                states.append((found.st_mtime_ns, found.st_size, found.st_ino))
        return states

    start = signature()
    while process.poll() is None and signature() == start:
        time.sleep(0.0005)
