"""Hostile strings in every string field of the spec: each is refused with a located
error, or it reaches the generated files as data and never as code.

The fields are found in the model's JSON schema (tests/spec_fields.py), so a field
added later is covered without editing this test; each is tried where the shipped
`pivotal.yaml` holds it (or in the smallest addition that holds it). A value is
- refused: exit 2, every message `FILE:LINE:COL: ...` on a line of its own, one of them
  at the value's line in pivotal.yaml (or the entry's holding it), nothing written; or
- accepted: the render is held to the render with a benign value at the same place
  (tests/hostile_outputs.py): scripts run against a recording fake docker and run
  nothing else, Dockerfiles keep their instructions, nginx.conf its structure, Compose
  and .env.example read back what the spec says, YAML and JSON hold the value as data,
  and the programs that read each changed file accept it.
The spec is written as JSON (which is YAML), so that any string gets in.
"""

from __future__ import annotations

import atexit
import contextlib
import copy
import functools
import json
import re
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from pivotal_gen.cli.main import main
from pivotal_gen.errors import Diagnostic, Location, PivotalError
from pivotal_gen.layout import PROMETHEUS_CONFIG
from pivotal_gen.project import Project
from pivotal_gen.source.document import load_document
from pivotal_gen.sync.plan import render_profile
from pivotal_gen.targets.grafana import DATASOURCES_FILE
from tests.compose import INFRA
from tests.conftest import REPO
from tests.hostile_outputs import MARK, RULE_TESTS, RULES, Rendered, check_accepted
from tests.spec_fields import (
    Field,
    Place,
    Setting,
    label,
    places,
    settings_to_try,
    spec_text,
    string_fields,
)

PROFILE = "hostile"
FIELDS = string_fields()
# Hostile pieces: line breaks and other controls, quotes, shell and nginx syntax, heredoc
# words; and commands that would leave a file named MARK if they ever ran.
HOSTILE = [
    *("\n", "\r", "\r\n", "\x00", "\x1b", "\x7f", "\x85", "\u2028", "\t", " "),
    *("'", '"', "`", "$", "$(", "${", "{", "}", "{}", ";", "#", "\\", "\\\n"),
    *("<<EOF", "EOF", "USAGE", "..", "$HOME", "${HOME}", "$$", "{{", "}}", "%", "*"),
]
PAYLOADS = [
    *(f"$(touch {MARK})", f"`touch {MARK}`", f";touch {MARK}", f"\ntouch {MARK}\n"),
    *(f"|touch {MARK}", f"&&touch {MARK}", f";>{MARK}", f"$(>{MARK})", f"`>{MARK}`"),
    *(f"\n>{MARK}\n", f"'$(touch {MARK})'", f'"`touch {MARK}`"', f"\nRUN touch {MARK}\n"),
]
ORDINARY = [
    *("a", "x1", "dist", "apps/x", ".", "/", "-", "@", "+", "_", ":", "=", ",", "~"),
    *("(", ")", "&", "|", ">", "<", "!", "?"),
]
LOCATED = re.compile(r"[^:\s]+:\d+:\d+: ")


def _words(pieces: list[str]) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(pieces), min_size=1, max_size=5).map("".join)


hostile_words = st.one_of(
    _words(HOSTILE + ORDINARY), _words(PAYLOADS + ORDINARY), st.sampled_from(PAYLOADS)
)


def around(benign: str) -> st.SearchStrategy[str]:
    """Hostile text alone, or inside or after the field's benign value, so that a field
    with a shape (an image, a path, a URL) is tried past its first character."""
    return st.one_of(
        hostile_words,
        hostile_words.map(lambda words: benign + words),
        st.tuples(st.integers(0, len(benign)), hostile_words).map(
            lambda t: benign[: t[0]] + t[1] + benign[t[0] :]
        ),
    )


@functools.cache
def workspace() -> Path:
    """A project folder with the shipped profiles (the policy names prod and staging)
    and an empty one, so that pivotal.yaml alone sets every value."""
    root = Path(tempfile.mkdtemp(prefix="pivotal-hostile-"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    shutil.copytree(REPO / "profiles", root / "profiles")
    (root / "profiles" / f"{PROFILE}.yaml").write_text("{}\n")
    return root


@functools.cache
def bases() -> list[dict[str, Any]]:
    """The shipped spec as written, and in its long form (the validated model written out)."""
    shipped = load_document(REPO / "pivotal.yaml").data
    spec = Project(REPO).load(None).spec
    return [shipped, spec.model_dump(mode="json", by_alias=True, exclude_none=True)]


def couple(data: dict[str, Any], place: Place, value: str) -> None:
    """Values the checks hold equal to another, moved together as a user would: a
    service builds `<app>/Dockerfile` of its recipe, and a migration stage's name."""
    if place.path[0] != "images" or place.path[-1] not in ("app", "target"):
        return
    own = place.own
    data["services"] = copy.deepcopy(data.get("services", {}))  # (put shares the rest)
    for service in data["services"].values():
        build = service.get("build") if isinstance(service, dict) else None
        if not isinstance(build, dict):
            continue
        if place.path[-1] == "app" and build.get("dockerfile") == f"{own}/Dockerfile":
            build["dockerfile"] = f"{value}/Dockerfile"
        if place.path[-1] == "target" and build.get("target") == own:
            build["target"] = value


def _write(text: str) -> Path:
    root = workspace()
    (root / "pivotal.yaml").write_text(text, encoding="utf-8")
    return root


def _render(text: str) -> Rendered | PivotalError:
    """The render of the spec text, or the error it is refused with."""
    project = Project(_write(text))
    try:
        files = render_profile(project, PROFILE)
    except PivotalError as refused:
        return refused
    scratch = Path(tempfile.mkdtemp(dir=workspace()))
    return Rendered(files, project.base.spec, scratch)  # the profile is empty


def _valid(text: str) -> bool:
    try:
        Project(_write(text)).load(PROFILE)
    except PivotalError:
        return False
    return True


@functools.cache
def placements(path: Field, *, everywhere: bool) -> list[Place]:
    """The field's places where the spec takes an ordinary value: the first (the quick
    test), or all (the thorough one). Where it takes none (the schema allows a string
    that the model never does), every place: there a hostile value must be refused."""
    found = places(bases(), path)
    if not everywhere:  # the first, to stay quick
        return found[:1]
    return [place for place in found if benign(place)[1]] or found


@functools.cache
def benign(place: Place) -> tuple[Setting, Rendered | None]:
    """The first way to hold an ordinary value at the place that the spec accepts, and its
    render (None when none is accepted)."""
    data = bases()[place.base]
    tried = list(settings_to_try(data, place))
    for setting in tried:
        text = spec_text(data, place, setting, setting.benign, couple)[0]
        if _valid(text):
            rendered = _render(text)
            assert isinstance(rendered, Rendered), rendered  # valid, yet render refuses
            return setting, rendered
    return tried[0], None


def _lines(refused: PivotalError) -> set[int]:
    return {
        d.location.line
        for d in refused.diagnostics
        if d.location and d.location.file.endswith("pivotal.yaml")
    }


_THROUGH_THE_CLI: set[Place] = set()


def refused_at(
    place: Place, setting: Setting, lines: set[int], refused: PivotalError, before: set[Path]
) -> None:
    """Located messages, one line each and one at the value's line; through the CLI (once
    per place: it is the same error), render exits 2 with them and writes nothing.

    A value that other parts of the spec refer to (a scrape job that alerts name, a
    service a policy excepts) is refused where it is referred to, for any change: then
    an ordinary change must be refused at the same lines."""
    root = workspace()
    with contextlib.chdir(root):  # (paths are shown relative to the working directory)
        messages = [str(d) for d in refused.diagnostics]
    assert all(LOCATED.match(m) and len(m.splitlines()) == 1 for m in messages), messages
    if place not in _THROUGH_THE_CLI:
        _THROUGH_THE_CLI.add(place)
        with contextlib.chdir(root):
            result = CliRunner().invoke(main, ["render", "--profile", PROFILE])
        assert (result.exit_code, result.stderr.splitlines()) == (2, messages), result.output
        assert set(root.iterdir()) == before, "a refused spec wrote files"
    at = _lines(refused)
    assert messages and at, messages  # a refusal says where in pivotal.yaml
    if at & lines:
        return
    data = bases()[place.base]
    ordinary = _render(spec_text(data, place, setting, setting.benign + "x", couple)[0])
    assert isinstance(ordinary, PivotalError) and at <= _lines(ordinary), (lines, messages)


def check(
    place: Place,
    value: str,
    *,
    thorough: bool = False,
    record: Callable[[str], object] = lambda _: None,
) -> bool:
    """Whether the value was accepted (and reached every file as data) at the place."""
    setting, ordinary = benign(place)
    text, lines = spec_text(bases()[place.base], place, setting, value, couple)
    before = set(workspace().iterdir())
    hostile = _render(text)
    if isinstance(hostile, PivotalError):
        record("refused")
        refused_at(place, setting, lines, hostile, before)
        return False
    record("accepted")
    assert ordinary is not None, f"{place.name}: accepted {value!r} where no benign value is"
    try:
        in_cases = place.path[:2] == ("monitoring", "alerts") and "tests" in place.path
        check_accepted(value, hostile, ordinary, thorough=thorough, in_cases=in_cases)
    finally:
        shutil.rmtree(hostile.scratch, ignore_errors=True)
    return True


def _draw(data: st.DataObject, path: Field, *, everywhere: bool) -> tuple[Place, str]:
    """A place (the field's first unless everywhere), and a value around its benign one."""
    place = data.draw(st.sampled_from(placements(path, everywhere=everywhere)), label="place")
    setting, _ = benign(place)
    return place, data.draw(around(setting.benign), label="value")


# The quick run tries one payload at each field, after its benign value (where a field
# with a shape accepts the most), the payloads taken in turn across the fields; the slow
# run below draws many values at every place of every field.
@pytest.mark.parametrize(
    ("path", "payload"),
    [(path, PAYLOADS[i % len(PAYLOADS)]) for i, path in enumerate(FIELDS)],
    ids=[label(path) for path in FIELDS],
)
def test_a_hostile_value_is_refused_or_stays_data(path: Field, payload: str) -> None:
    (place,) = placements(path, everywhere=False)
    setting, _ = benign(place)
    check(place, setting.benign + payload)


@pytest.mark.slow
@pytest.mark.parametrize("path", FIELDS, ids=label)
@settings(suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_many_hostile_values_are_refused_or_stay_data(path: Field, data: st.DataObject) -> None:
    check(*_draw(data, path, everywhere=True), thorough=True, record=event)


def _field(name: str) -> Field:
    (path,) = [path for path in FIELDS if label(path) == name]
    return path


def _place(name: str) -> Place:
    (place,) = placements(_field(name), everywhere=False)
    return place


def test_every_kind_of_field_is_found() -> None:
    # What the schema walk must see: keys, list items, union members, discriminated
    # recipes, long forms behind a short syntax, values of any type.
    names = {label(path) for path in FIELDS}
    assert {
        "project",
        "variables.<key>",
        "services.*.command.[]",
        "services.*.command",
        "services.*.ports.[].host_ip",
        "services.*.volumes.[].source",
        "services.*.depends_on.*",
        "images.*[kind=static-site].assets",
        "monitoring.alerts.*.*.labels.<key>",
        "policy.rules.*.except.*",
    } <= names
    assert not {"services.*.expose.[]", "services.*.healthcheck.retries"} & names  # numbers


# Values of issue 14: each was once accepted and became code in a generated file.
@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("images.*[kind=node-server].app", "apps/backend ./\nUSER 00\n#"),
        ("images.*[kind=node-server].output", "dist /usr/share/nginx/html\nCOPY . /x\n#"),
        ("images.*[kind=static-site].assets", "/assets/{}types{#"),
        ("services.*.image", "postgres:17\nUSAGE\ntouch /tmp/pwned\n#"),
        ("services.*.metrics.path", "/metrics\nUSAGE\ntouch /tmp/pwned\n#"),
        ("images.*[kind=node-server].build", "pnpm run build <<EOF"),
        ("variables.*.default", "pivotal\nEVIL=1"),
    ],
)
def test_the_issues_values_are_refused(name: str, value: str) -> None:
    assert not check(_place(name), value)


# Accepted values that a careless template would still run: quoted where they land.
@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("images.*[kind=static-site].assets", "/static(v2)|&>*=~%!?,:/"),
        ("services.*.http.health", "/up(1)|x&y>z"),
        ("images.*[kind=node-server].build", "pnpm run build && echo 'done'; true"),
        ("services.*.command.[]", "$(touch pwned)`touch pwned`;touch pwned"),
        ("services.*.environment.*", "'$(touch pwned)'\"; #x"),
        ("variables.*.description", "line one\nline two\rPOSTGRES_DB=evil\u2028four"),
        ("monitoring.alerts.*.*.summary", "$(touch pwned) {{ $labels.job }}"),
        ("services.*.volumes.[].target", "/data$HOME"),
    ],
)
def test_shell_and_url_syntax_that_is_accepted_stays_data(name: str, value: str) -> None:
    assert check(_place(name), value)


# A refusal that says nothing, or nothing about pivotal.yaml, is not located; even where
# any change of the value is refused (a duration that must parse).
@pytest.mark.parametrize("where", [None, "profiles/hostile.yaml"])
def test_a_refusal_must_name_a_line_of_pivotal_yaml(
    where: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    place = _place("monitoring.alerts.*.*.for")
    setting, _ = benign(place)
    at = [] if where is None else [Diagnostic("x", Location(str(workspace() / where), 1, 1))]
    monkeypatch.setattr(sys.modules[__name__], "_THROUGH_THE_CLI", {place})  # (no CLI run)
    with pytest.raises(AssertionError):
        refused_at(place, setting, {1}, PivotalError(at), set())


@functools.cache
def shipped() -> Rendered:
    rendered = _render(json.dumps(bases()[0]))
    assert isinstance(rendered, Rendered)
    return rendered


# What a careless template or writer would produce: each check sees its own.
@pytest.mark.parametrize(
    ("path", "old", "new", "seen"),
    [
        (
            "scripts/ci/db-migrate.sh",
            "\nrequire_env_file\n",
            "\nrequire_env_file; touch pwned\n",
            "ran",
        ),
        ("apps/frontend/Dockerfile", "\nUSER nginx\n", "\nUSER nginx\\\n", "Dockerfile"),
        ("apps/frontend/Dockerfile", "\nUSER nginx\n", "\nCOPY . /src\n", "Dockerfile"),
        ("apps/frontend/nginx.conf", "location /assets/ {", "location /assets/{}t{ {", "nginx"),
        ("apps/frontend/nginx.conf", "default_type text/plain;", "default_type 'a;b' c;", "nginx"),
        (
            ".env.example",
            "\n# Database name\n",
            "\nNODE_OPTIONS=--require=/tmp/x\n",
            ".env.example",
        ),
        (INFRA, "image: redis:8-alpine", "image: redis:8-$HOME", "expands"),
        (INFRA, "image: redis:8-alpine", "image: redis:8-alpine\n    working_dir: /x", "entries"),
        (RULES, "summary: Redis is down", "summary: Redis is up", "hold"),
        (DATASOURCES_FILE, "name: Prometheus", "name: $$Prom$HOME", "Grafana expands"),
    ],
)
def test_the_checks_see_a_value_become_code(path: str, old: str, new: str, seen: str) -> None:
    with pytest.raises(AssertionError, match=seen):
        check_accepted("Redis is down", tampered(path, old, new), shipped(), thorough=False)


# A value with `{` or `$` is filled in only where pivotal-gen fills it in (an alert's
# runbook URL, expression, expected annotations); anywhere else it is held as written.
@pytest.mark.parametrize(
    ("path", "old", "new", "value"),
    [
        (PROMETHEUS_CONFIG, "job_name: redis\n", "job_name: redis-\n", "redis-{1}"),
        (PROMETHEUS_CONFIG, "job_name: redis\n", "job_name: redis-\n", "redis-$x"),
        (RULES, "summary: Redis is down", "summary: Redis is up", "Redis is {down}"),
        (RULES, "summary: Redis is down", "summary: Redis is up", "Redis is $down"),
        (RULES, "summary: Redis is down", "summary: Redis is up", "Redis is {alert}"),
        (RULE_TESTS, "summary: Redis is down", "summary: Redis is up", "Redis is $x"),
    ],
)
def test_the_checks_see_a_value_lose_its_braces_or_dollars(
    path: str, old: str, new: str, value: str
) -> None:
    with pytest.raises(AssertionError, match="does not hold the value"):
        check_accepted(value, tampered(path, old, new), shipped(), thorough=False)


REDIS = ("Redis is down", "Redis is up")
EXPR = (
    'sum by (job) (rate(http_request_duration_seconds_count{job="pivotal-backend",'
    'status_code=~"5.."}[5m]))\n  / sum by (job) (rate(http_request_duration_seconds_count'
    '{job="pivotal-backend"}[5m]))\n  > $ratio'
)


# ... and where it does, what is around each place it fills is held; Grafana reads `$$`
# in its provisioning files as `$`.
@pytest.mark.parametrize(
    ("path", "old", "new", "value"),
    [
        (RULES, *REDIS, "https://runbooks.pivotal-flow.example/alerts#{alert}"),
        (RULES, *REDIS, EXPR),
        (RULE_TESTS, *REDIS, "{{ $labels.job }} target {{ $labels.instance }} is down"),
        (RULE_TESTS, *REDIS, "https://runbooks.pivotal-flow.example/alerts#{alert}"),
        (DATASOURCES_FILE, "name: Prometheus", "name: $$(x)$${x}", "$(x)${x}"),
    ],
)
def test_the_checks_find_a_value_filled_in(path: str, old: str, new: str, value: str) -> None:
    check_accepted(value, tampered(path, old, new), shipped(), thorough=False)


def tampered(path: str, old: str, new: str) -> Rendered:
    """The shipped render with `old` replaced by `new` (once) in one file."""
    benign = shipped()
    files = dict(benign.files)
    assert old in files[path].decode()
    files[path] = files[path].decode().replace(old, new, 1).encode()
    return Rendered(files, benign.spec, Path(tempfile.mkdtemp(dir=workspace())))
