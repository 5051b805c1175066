"""Replays a generated Dockerfile over a workspace, without Docker: which files each
stage holds, and whether every RUN finds what it reads.

The instructions come from BuildKit's own parser (PyPI `dockerfile`); the build
context is what the .dockerignore lets through, by docker-py's matcher (PyPI `docker`,
the rules the docker CLI applies). What a RUN reads and writes is modelled per command
in tests/workspace_model.py; a command it does not know fails the replay, so a new RUN
cannot pass unexamined.
"""

from __future__ import annotations

import json
import posixpath
import re
import shlex
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from tests.tools import missing

_IMPORT = re.compile(r"""(?:^|\s)(?:import|export)\s(?:[^'"]*?\sfrom\s)?["']([^"']+)["']""", re.M)


def imports(text: str) -> tuple[str, ...]:
    """What a JavaScript or TypeScript module imports."""
    return tuple(_IMPORT.findall(text))


class ReplayError(AssertionError):
    """A step of the build would fail, or a stage lacks what it needs."""


@dataclass(frozen=True)
class File:
    origin: str  # where it came from: "context", "pnpm install", "prisma generate", ...
    imports: tuple[str, ...] = ()  # what the JavaScript or TypeScript in it imports
    text: str = ""


@dataclass
class Stage:
    name: str
    image: str
    files: dict[str, File] = field(default_factory=dict)
    links: dict[str, str] = field(default_factory=dict)  # symlinked folders: path -> target
    env: dict[str, str] = field(default_factory=dict)
    workdir: str = "/"
    user: str = "root"
    users: set[str] = field(default_factory=lambda: {"root", "node"})
    facts: set[str] = field(default_factory=set)  # e.g. "pnpm", "store"
    entrypoint: list[str] = field(default_factory=list)
    cmd: list[str] = field(default_factory=list)

    def copy(self, name: str) -> Stage:
        """A stage built FROM this one: the same fields, none of its containers shared."""
        return replace(
            self,
            name=name,
            files=dict(self.files),
            links=dict(self.links),
            env=dict(self.env),
            users=set(self.users),
            facts=set(self.facts),
            entrypoint=list(self.entrypoint),
            cmd=list(self.cmd),
        )

    def path(self, relative: str, base: str | None = None) -> str:
        return posixpath.normpath(posixpath.join(base or self.workdir, relative))

    def real(self, path: str) -> str:
        """The path with symlinked folders followed."""
        for link, target in self.links.items():
            if path == link or path.startswith(link + "/"):
                return self.real(target + path[len(link) :])
        return path

    def has(self, path: str) -> bool:
        path = self.real(path)
        return path in self.files or self.is_dir(path)

    def is_dir(self, path: str) -> bool:
        path = self.real(path)
        return any(name.startswith(path.rstrip("/") + "/") for name in self.files)

    def under(self, folder: str) -> dict[str, File]:
        """The files below a folder, by their path relative to it."""
        folder = self.real(folder).rstrip("/") + "/"
        return {k[len(folder) :]: v for k, v in self.files.items() if k.startswith(folder)}

    def need(self, path: str, why: str) -> File:
        real = self.real(path)
        if real not in self.files:
            raise ReplayError(f"stage {self.name}: {why} needs {path}, which is not there")
        return self.files[real]

    def need_dir(self, path: str, why: str) -> None:
        if not self.is_dir(path):
            raise ReplayError(f"stage {self.name}: {why} needs the folder {path}")

    def read(self, path: str, why: str) -> str:
        return self.need(path, why).text


def sent_files(root: Path, ignore: str) -> set[str]:
    """The files `docker build` sends from root with this .dockerignore."""
    try:
        from docker.utils.build import exclude_paths
    except ImportError:
        missing("docker-py's .dockerignore matcher", "pip install docker")
    patterns = [line.strip() for line in ignore.splitlines()]
    patterns = [p for p in patterns if p and not p.startswith("#")]
    return {p for p in exclude_paths(str(root), patterns) if (root / p).is_file()}


@dataclass
class Build:
    context: Path
    sent: set[str]
    stages: dict[str, Stage] = field(default_factory=dict)
    # Every RUN as (stage, command, mount flags), for tests to inspect.
    runs: list[tuple[str, str, tuple[str, ...]]] = field(default_factory=list)

    def context_file(self, rel: str) -> File:
        text = (self.context / rel).read_text(encoding="utf-8", errors="replace")
        return File("context", imports(text) if rel.endswith((".ts", ".js")) else (), text)


def replay(text: str, context: Path, ignore: str) -> Build:
    from tests.workspace_model import run_command  # the RUN models, which need Stage

    try:
        import dockerfile
    except ImportError:
        missing("BuildKit's Dockerfile parser", "pip install dockerfile")
    build = Build(context, sent_files(context, ignore))
    stage: Stage | None = None
    for command in dockerfile.parse_string(text):
        cmd: str = command.cmd.upper()
        value: tuple[str, ...] = command.value
        flags = dict(_flag(f) for f in command.flags)
        if cmd == "FROM":
            image, name = value[0], value[-1] if len(value) == 3 else value[0]
            parent = build.stages.get(image)
            stage = parent.copy(name) if parent else Stage(name, image)
            build.stages[name] = stage
            continue
        if stage is None:
            raise ReplayError(f"{command.original}: before any FROM")
        if cmd == "WORKDIR":
            stage.workdir = stage.path(value[0])
        elif cmd == "ENV":
            stage.env.update(zip(value[0::2], value[1::2], strict=True))
        elif cmd == "COPY":
            _copy(build, stage, list(value), flags.get("--from"))
        elif cmd == "RUN":
            line = " ".join(value)
            build.runs.append((stage.name, line, command.flags))
            run_command(stage, line)
        elif cmd == "USER":
            if value[0] not in stage.users:
                raise ReplayError(f"stage {stage.name}: USER {value[0]} does not exist")
            stage.user = value[0]
        elif cmd == "ENTRYPOINT":
            stage.entrypoint = list(value) if command.json else ["/bin/sh", "-c", *value]
        elif cmd == "CMD":
            stage.cmd = list(value) if command.json else ["/bin/sh", "-c", *value]
        elif cmd not in {"EXPOSE", "HEALTHCHECK", "ARG", "LABEL"}:
            raise ReplayError(f"{command.original}: the replay does not know {cmd}")
    return build


def _flag(flag: str) -> tuple[str, str]:
    name, _, value = flag.partition("=")
    return name, value


def _copy(build: Build, stage: Stage, args: list[str], source_stage: str | None) -> None:
    *sources, dest = args
    into_folder = dest.endswith("/") or len(sources) > 1
    target = stage.path(dest)
    for source in sources:
        if source_stage is None:
            found = _from_context(build, source)
        else:
            found = _from_stage(build.stages[source_stage], source)
        if not found:
            where = f"stage {source_stage}" if source_stage else "the build context"
            raise ReplayError(f"stage {stage.name}: COPY {source}: not in {where}")
        for rel, file in found.items():
            if rel == "":  # a single file
                name = posixpath.basename(source) if into_folder else ""
                stage.files[posixpath.join(target, name).rstrip("/")] = file
            else:
                stage.files[posixpath.join(target, rel)] = file


def _from_context(build: Build, source: str) -> dict[str, File]:
    source = posixpath.normpath(source)
    if source in build.sent:
        return {"": build.context_file(source)}
    prefix = "" if source == "." else source + "/"
    return {p[len(prefix) :]: build.context_file(p) for p in build.sent if p.startswith(prefix)}


def _from_stage(stage: Stage, source: str) -> dict[str, File]:
    real = stage.real(posixpath.normpath(source))
    if real in stage.files:
        return {"": stage.files[real]}
    return stage.under(real)


def words(command: str) -> list[str]:
    return shlex.split(command)


def load_json(text: str, what: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ReplayError(f"{what}: {error}") from error
