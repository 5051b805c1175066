"""What each RUN of a generated Dockerfile reads and writes, for the Dockerfile replay.

pnpm is modelled on how pnpm 10 behaves (each point was tried with pnpm 10.34):
`fetch` reads the lockfile, pnpm-workspace.yaml and its patches; `install --offline`
needs the fetched store and, with `--frozen-lockfile`, a lockfile that matches every
selected manifest; `--filter "{./app}..."` selects the app and the workspace packages
it depends on, while a bare `./app...` selects the app alone; dependencies' install
scripts run only when allowed (onlyBuiltDependencies: the workspace's list replaces a
global one); `deploy` needs inject-workspace-packages (or --legacy), copies the app
and its injected workspace packages' files, and runs the app's own postinstall.
"""

from __future__ import annotations

import fnmatch
import posixpath
import re
from typing import Any

import yaml

from tests.dockerfile_replay import File, ReplayError, Stage, load_json, words
from tests.node_model import LIBSSL, prisma_generate, tsc

_ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
# What an installed package brings beyond its own folder.
_BINS = {"prisma": "prisma", "typescript": "tsc"}
_DEPENDENCIES = ("dependencies", "devDependencies", "optionalDependencies")


def run_command(stage: Stage, line: str) -> None:
    for part in line.split("&&"):
        args = words(part)
        env = dict(stage.env)
        while args and _ASSIGNMENT.match(args[0]):
            name, _, value = args.pop(0).partition("=")
            env[name] = value
        if not args:
            raise ReplayError(f"stage {stage.name}: RUN {line!r} runs nothing")
        _command(stage, args, env, line)


def _command(stage: Stage, args: list[str], env: dict[str, str], line: str) -> None:
    program = args[0]
    if program == "apk" and args[1:3] == ["add", "--no-cache"]:
        made = {"tini": "/sbin/tini", "openssl": LIBSSL}
        for package in args[3:]:
            stage.files[made.get(package, f"/usr/share/apk/{package}")] = File("apk")
    elif program == "corepack" and args[1] in {"enable", "prepare"}:
        stage.facts.add("pnpm")
    elif program == "mkdir" and args[1] == "-p":
        pass  # folders exist here as the files in them
    elif program == "printf" and len(args) > 3 and args[-2] == ">":
        fmt = args[1].replace("\\n", "\n")
        text = "".join(fmt.replace("%s", arg) for arg in args[2:-2])
        stage.files[stage.path(args[-1])] = File("printf", text=text)
    elif program in {"addgroup", "adduser"}:
        stage.users.add(args[-1])
    elif program == "pnpm":
        _pnpm(stage, args[1:], env)
    elif program == "tsc":
        tsc(stage, args[1:])
    else:
        raise ReplayError(f"stage {stage.name}: the replay does not know RUN {line!r}")


def _pnpm(stage: Stage, args: list[str], env: dict[str, str]) -> None:
    if "pnpm" not in stage.facts:
        raise ReplayError(f"stage {stage.name}: pnpm runs before corepack prepares it")
    filters = [args[i + 1] for i, a in enumerate(args) if a == "--filter"]
    rest = [a for i, a in enumerate(args) if a != "--filter" and args[i - 1 : i] != ["--filter"]]
    verb = next(a for a in rest if not a.startswith("-"))
    if verb == "fetch":
        root = _root(stage)
        for name in ("package.json", "pnpm-lock.yaml", "pnpm-workspace.yaml"):
            stage.need(f"{root}/{name}", "pnpm fetch")
        _patches(stage, root, "pnpm fetch")
        stage.facts.add("store")
    elif verb == "install":
        _install(stage, rest, filters, env)
    elif verb == "run":
        projects = _select(stage, filters) if filters else [stage.workdir]
        for project in projects:
            script = _manifest(stage, project).get("scripts", {}).get(rest[-1])
            if script is None and "--if-present" not in rest:
                raise ReplayError(f"stage {stage.name}: {project} has no script {rest[-1]!r}")
            if script is not None:
                _in(stage, project, script)
    elif rest[:3] == ["exec", "prisma", "generate"] and len(rest) == 3:
        prisma_generate(stage, env)
    elif verb == "deploy":
        _deploy(stage, rest, filters, env)
    else:
        raise ReplayError(f"stage {stage.name}: the replay does not know pnpm {args}")


def _in(stage: Stage, folder: str, script: str) -> None:
    """Run a package script in its folder, as pnpm does."""
    before = stage.workdir
    stage.workdir = folder
    try:
        run_command(stage, script)
    finally:
        stage.workdir = before


def _root(stage: Stage) -> str:
    folder = stage.workdir
    while not stage.has(f"{folder}/pnpm-workspace.yaml"):
        if folder == "/":
            raise ReplayError(f"stage {stage.name}: no pnpm-workspace.yaml above {stage.workdir}")
        folder = posixpath.dirname(folder)
    return folder


def _workspace(stage: Stage, root: str) -> dict[str, Any]:
    data = yaml.safe_load(stage.read(f"{root}/pnpm-workspace.yaml", "pnpm"))
    return data if isinstance(data, dict) else {}


def _patches(stage: Stage, root: str, why: str) -> None:
    for path in _workspace(stage, root).get("patchedDependencies", {}).values():
        stage.need(f"{root}/{path}", f"{why} (a patched dependency)")


def _manifest(stage: Stage, project: str) -> dict[str, Any]:
    data = load_json(stage.read(f"{project}/package.json", "pnpm"), project)
    return data if isinstance(data, dict) else {}


def _projects(stage: Stage, root: str) -> dict[str, str]:
    """The workspace's projects by package name: folder."""
    patterns = _workspace(stage, root).get("packages", [])
    # One-level globs (`apps/*`) only: a `**` or `!` pattern would need pnpm's own matcher.
    unread = [p for p in patterns if "**" in p or p.startswith("!")]
    assert not unread, f"the workspace model reads one-level package globs only: {unread}"
    found = {}
    for path in stage.files:
        folder = posixpath.dirname(path)
        if not path.endswith("/package.json") or "/node_modules/" in path:
            continue
        rel = posixpath.relpath(folder, root)
        if any(fnmatch.fnmatch(rel, p) and rel.count("/") == p.count("/") for p in patterns):
            found[_manifest(stage, folder)["name"]] = folder
    return found


def _workspace_deps(stage: Stage, project: str, root: str) -> list[str]:
    projects = _projects(stage, root)
    manifest = _manifest(stage, project)
    names = [n for kind in _DEPENDENCIES for n, spec in manifest.get(kind, {}).items()]
    return [projects[n] for n in names if str(_spec(manifest, n)).startswith("workspace:")]


def _spec(manifest: dict[str, Any], name: str) -> Any:
    return next(manifest[k][name] for k in _DEPENDENCIES if name in manifest.get(k, {}))


def _select(stage: Stage, filters: list[str]) -> list[str]:
    """The projects a filter selects, dependencies first."""
    root = _root(stage)
    chosen: list[str] = []
    for selector in filters:
        braced = re.fullmatch(r"\{([^}]*)\}(\^?)(\.\.\.)?", selector)
        if braced is None:  # pnpm reads a bare path's suffix as part of the path
            path = re.sub(r"\^?\.\.\.$", "", selector)
            chosen.append(stage.path(path))
            continue
        project = stage.path(braced.group(1))
        if braced.group(3):
            closure = _closure(stage, project, root)
            chosen += closure[:-1] if braced.group(2) else closure
        else:
            chosen.append(project)
    for project in chosen:
        stage.need(f"{project}/package.json", f"pnpm --filter {filters}")
    return list(dict.fromkeys(chosen))


def _closure(stage: Stage, project: str, root: str) -> list[str]:
    order: list[str] = []
    for dep in _workspace_deps(stage, project, root):
        order += [p for p in _closure(stage, dep, root) if p not in order]
    return [*order, project]


def _allowed_builds(stage: Stage, root: str | None, env: dict[str, str]) -> set[str]:
    if root is not None and "onlyBuiltDependencies" in _workspace(stage, root):
        return set(_workspace(stage, root)["onlyBuiltDependencies"])
    config = env.get("npm_config_globalconfig")
    if config is None or not stage.has(config):
        return set()
    lines = stage.read(config, "pnpm's global config").splitlines()
    pairs = (line.partition("=") for line in lines)
    return {value for key, _, value in pairs if key == "only-built-dependencies[]"}


def _add_packages(stage: Stage, folder: str, manifest: dict[str, Any], kinds: tuple[str, ...],
                  allowed: set[str]) -> None:  # fmt: skip
    for kind in kinds:
        for name, spec in manifest.get(kind, {}).items():
            if str(spec).startswith("workspace:"):
                continue
            stage.files[f"{folder}/node_modules/{name}/package.json"] = File("pnpm", text="{}")
            if name in _BINS:
                stage.files[f"{folder}/node_modules/.bin/{_BINS[name]}"] = File("pnpm")
            # The Prisma CLI brings @prisma/engines, whose install script downloads them.
            if name == "prisma" and {"prisma", "@prisma/engines"} <= allowed:
                engines = f"{folder}/node_modules/@prisma/engines"
                stage.files[f"{engines}/package.json"] = File("pnpm", text="{}")
                stage.files[f"{engines}/schema-engine"] = File("@prisma/engines postinstall")


def _install(stage: Stage, args: list[str], filters: list[str], env: dict[str, str]) -> None:
    root = _root(stage)
    why = "pnpm install"
    if "--offline" in args and "store" not in stage.facts:
        raise ReplayError(f"stage {stage.name}: {why} --offline without a fetched store")
    lock = yaml.safe_load(stage.read(f"{root}/pnpm-lock.yaml", why))
    _patches(stage, root, why)
    projects = _select(stage, filters) if filters else list(_projects(stage, root).values())
    allowed = _allowed_builds(stage, root, env)
    for project in [root, *projects]:
        manifest = _manifest(stage, project)
        if "--frozen-lockfile" in args:
            importer = lock["importers"].get(posixpath.relpath(project, root), {})
            for kind in _DEPENDENCIES:
                locked = {n: d["specifier"] for n, d in importer.get(kind, {}).items()}
                if locked != manifest.get(kind, {}):
                    raise ReplayError(f"stage {stage.name}: the lockfile is stale for {project}")
        _add_packages(stage, project, manifest, _DEPENDENCIES, allowed)
        for dep in _workspace_deps(stage, project, root):
            stage.links[f"{project}/node_modules/{_manifest(stage, dep)['name']}"] = dep
    for project in projects:
        if "postinstall" in _manifest(stage, project).get("scripts", {}):
            _in(stage, project, _manifest(stage, project)["scripts"]["postinstall"])


def _package_files(stage: Stage, project: str) -> dict[str, File]:
    """What pnpm copies of a package: its `files` (and package.json), else all of it."""
    files = {k: v for k, v in stage.under(project).items() if not k.startswith("node_modules/")}
    listed = _manifest(stage, project).get("files")
    if listed is None:
        return files
    entries = [entry.rstrip("/") for entry in listed]

    def kept(rel: str) -> bool:
        return rel == "package.json" or any(rel == e or rel.startswith(e + "/") for e in entries)

    return {k: v for k, v in files.items() if kept(k)}


def _deploy(stage: Stage, args: list[str], filters: list[str], env: dict[str, str]) -> None:
    root = _root(stage)
    why = "pnpm deploy"
    injected = (
        env.get("npm_config_inject_workspace_packages") == "true"
        or _workspace(stage, root).get("injectWorkspacePackages") is True
    )
    if not injected and "--legacy" not in args:
        raise ReplayError(f"stage {stage.name}: {why} needs inject-workspace-packages")
    if "--offline" in args and "store" not in stage.facts:
        raise ReplayError(f"stage {stage.name}: {why} --offline without a fetched store")
    (project,) = _select(stage, filters)
    target = stage.path(args[-1])
    prod = ("dependencies", "optionalDependencies")
    kinds = prod if "--prod" in args else _DEPENDENCIES
    allowed = _allowed_builds(stage, root, env)
    for rel, file in _package_files(stage, project).items():
        stage.files[f"{target}/{rel}"] = file
    _add_packages(stage, target, _manifest(stage, project), kinds, allowed)
    for dep in _closure(stage, project, root)[:-1]:
        name = _manifest(stage, dep)["name"]
        main = _manifest(stage, dep).get("main")
        if main:
            stage.need(f"{dep}/{main}", f"{why} (injects {name}, built)")
        for rel, file in _package_files(stage, dep).items():
            stage.files[f"{target}/node_modules/{name}/{rel}"] = file
        _add_packages(stage, target, _manifest(stage, dep), ("dependencies",), allowed)
    postinstall = _manifest(stage, project).get("scripts", {}).get("postinstall")
    if postinstall is not None:
        _in(stage, target, postinstall)
