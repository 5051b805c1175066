"""What tsc, `prisma generate` and Node read and write, for the Dockerfile replay.

Modelled on what the programs document and do: tsc compiles rootDir into outDir and
resolves every import; Prisma finds prisma.config.ts in the working folder (or the
schema at prisma/schema.prisma), evaluates the config's env() calls, and writes each
generator's client to its output; Node resolves a bare import in the node_modules
folders above the importing file.
"""

from __future__ import annotations

import posixpath
import re

from tests.dockerfile_replay import File, ReplayError, Stage, imports, load_json

_GENERATOR = re.compile(r"generator\s+\w+\s*\{([^}]*)\}", re.S)
_CONFIG_PATH = re.compile(r"""\b{key}\s*:\s*["']([^"']+)["']""")
_ENV_CALL = re.compile(r"""\benv\(\s*["']([A-Za-z_][A-Za-z0-9_]*)["']\s*\)""")
# The engine Prisma 6 picks on Alpine with OpenSSL 3; without OpenSSL it cannot tell.
ENGINE = "libquery_engine-linux-musl-openssl-3.0.x.so.node"
LIBSSL = "/usr/lib/libssl.so.3"


def package_name(specifier: str) -> str:
    parts = specifier.split("/")
    return "/".join(parts[:2]) if specifier.startswith("@") else parts[0]


def installed(stage: Stage, folder: str, specifier: str) -> str | None:
    """Where Node finds a package from a file in folder: the nearest node_modules up."""
    name = package_name(specifier)
    while True:
        candidate = posixpath.join(folder, "node_modules", name)
        if stage.has(candidate):
            return candidate
        if folder == "/":
            return None
        folder = posixpath.dirname(folder)


def _relative(stage: Stage, folder: str, specifier: str, suffixes: tuple[str, ...]) -> str | None:
    base = posixpath.normpath(posixpath.join(folder, specifier))
    for suffix in suffixes:
        if stage.real(base + suffix) in stage.files:
            return base + suffix
    return None


def check_imports(stage: Stage, path: str, why: str, suffixes: tuple[str, ...]) -> list[str]:
    """The relative files path imports (for following on); fails on one not found."""
    folder = posixpath.dirname(path)
    found = []
    for specifier in stage.need(path, why).imports:
        if specifier.startswith("."):
            target = _relative(stage, folder, specifier, suffixes)
            if target is None:
                raise ReplayError(f"stage {stage.name}: {why}: {path} imports {specifier!r}")
            found.append(target)
        elif not specifier.startswith("node:"):
            package = installed(stage, folder, specifier)
            if package is None:
                raise ReplayError(f"stage {stage.name}: {why}: {path} imports {specifier!r}")
            main = load_json(stage.read(f"{package}/package.json", why), package).get("main")
            if main and not stage.has(posixpath.join(package, main)):
                raise ReplayError(f"stage {stage.name}: {why}: {package} has no {main}")
    return found


def tsc(stage: Stage, args: list[str]) -> None:
    project = stage.workdir
    why = f"tsc in {project}"
    stage.need(f"{project}/node_modules/.bin/tsc", why)
    config_path = args[args.index("-p") + 1] if "-p" in args else "tsconfig.json"
    config = load_json(stage.read(stage.path(config_path), why), config_path)
    options = config.get("compilerOptions", {})
    root = stage.path(options.get("rootDir", "."))
    out = stage.path(options.get("outDir", "."))
    sources = {rel: f for rel, f in stage.under(root).items() if rel.endswith(".ts")}
    if not sources:
        raise ReplayError(f"stage {stage.name}: {why} finds no sources in {root}")
    ts_suffixes = ("", ".ts", ".d.ts", "/index.ts", "/index.d.ts", ".js")
    for rel in sources:
        check_imports(stage, f"{root}/{rel}", why, ts_suffixes)
    for rel, file in sources.items():
        if rel.endswith(".d.ts"):
            continue
        stem = rel.removesuffix(".ts")
        stage.files[f"{out}/{stem}.js"] = File("tsc", file.imports)
        if options.get("declaration"):
            stage.files[f"{out}/{stem}.d.ts"] = File("tsc")


def prisma_generate(stage: Stage, env: dict[str, str]) -> None:
    project = stage.workdir
    why = f"prisma generate in {project}"
    stage.need(f"{project}/node_modules/.bin/prisma", why)
    stage.need(f"{project}/node_modules/@prisma/client/package.json", why)
    stage.need(LIBSSL, f"{why} (Prisma reads the platform's OpenSSL)")
    schema = f"{project}/prisma/schema.prisma"
    config = config_of(stage, project, env, why)
    if config is not None:
        schema = stage.path(config_value(config, "schema") or "prisma/schema.prisma", project)
    text = stage.read(schema, why)
    for block in _GENERATOR.findall(text):
        provider = re.search(r'provider\s*=\s*"([^"]+)"', block)
        output = re.search(r'output\s*=\s*"([^"]+)"', block)
        out = stage.path(output.group(1), posixpath.dirname(schema)) if output else None
        if provider and provider.group(1) == "prisma-client":
            if out is None:
                raise ReplayError(f"stage {stage.name}: {why}: prisma-client needs an output")
            stage.files[f"{out}/client.ts"] = File(
                "prisma generate", ("@prisma/client/runtime/client", "./models")
            )
            stage.files[f"{out}/models.ts"] = File("prisma generate")
        elif provider and provider.group(1) == "prisma-client-js":
            # Without an output, into node_modules/.prisma beside @prisma/client.
            out = out or f"{project}/node_modules/.prisma/client"
            stage.files[f"{out}/index.js"] = File(
                "prisma generate", ("@prisma/client/runtime/library", f"./{ENGINE}")
            )
            stage.files[f"{out}/index.d.ts"] = File("prisma generate")
            stage.files[f"{out}/{ENGINE}"] = File("prisma generate")


def config_of(stage: Stage, project: str, env: dict[str, str] | None, why: str) -> str | None:
    """prisma.config.ts, checked as Prisma loads it: its imports and, with env (at build
    time, not at run time), the variables its env() calls read."""
    path = f"{project}/prisma.config.ts"
    if not stage.has(path):
        return None
    text = stage.read(path, why)
    stage.files[stage.real(path)] = File(stage.files[stage.real(path)].origin, imports(text), text)
    check_imports(stage, path, why, ("", ".ts", "/index.ts"))
    for name in _ENV_CALL.findall(text):
        if env is not None and name not in env:
            raise ReplayError(f"stage {stage.name}: {why}: prisma.config.ts needs ${name} set")
    return text


def config_value(config: str, key: str) -> str | None:
    match = re.search(_CONFIG_PATH.pattern.format(key=key), config)
    return match.group(1) if match else None


def node_start(stage: Stage) -> None:
    """The runner's CMD, `node SCRIPT`: the script and everything it imports."""
    if stage.cmd[:1] != ["node"] or len(stage.cmd) < 2:
        raise ReplayError(f"stage {stage.name}: CMD {stage.cmd} is not `node SCRIPT`")
    todo = [stage.path(stage.cmd[1])]
    seen: set[str] = set()
    while todo:
        path = todo.pop()
        if path in seen or path.endswith(".node"):
            continue
        seen.add(path)
        todo += check_imports(stage, path, "node at run time", ("", ".js", "/index.js"))


def prisma_migrate(stage: Stage) -> None:
    """`prisma migrate deploy` in the stage's folder: the CLI and its engine, the config,
    the schema and the migrations."""
    project = stage.workdir
    why = "prisma migrate deploy"
    stage.need(f"{project}/node_modules/.bin/prisma", why)
    stage.need(f"{project}/node_modules/@prisma/engines/schema-engine", f"{why} (its engine)")
    config = config_of(stage, project, None, why)  # Compose sets its variables
    schema = stage.path((config and config_value(config, "schema")) or "prisma/schema.prisma")
    datasource = re.search(r"datasource\s+\w+\s*\{([^}]*)\}", stage.read(schema, why))
    if config is None and not (datasource and "url" in datasource.group(1)):
        raise ReplayError(f"stage {stage.name}: {why}: no datasource URL, nor prisma.config.ts")
    migrations = (config and config_value(config, "path")) or posixpath.join(
        posixpath.dirname(schema), "migrations"
    )
    if not any(name.endswith("migration.sql") for name in stage.under(stage.path(migrations))):
        raise ReplayError(f"stage {stage.name}: {why} finds no migrations in {migrations}")
