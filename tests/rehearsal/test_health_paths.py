"""The health paths the model knows per metrics kind (model/endpoints.py), asked of the
real programs: each answers 200 there. Grafana has no Debian package here; its path is
the one its own healthcheck in pivotal.yaml uses."""

from __future__ import annotations

from pathlib import Path

import pytest

from pivotal_gen.model.endpoints import KIND_HEALTH
from tests.rehearsal.prometheus import prometheus_argv
from tests.rehearsal.servers import free_port, running
from tests.rehearsal.web import get_text
from tests.tools import debian_program

pytestmark = pytest.mark.slow


def _argv(kind: str, folder: Path, port: int) -> list[str]:
    listen = f"--web.listen-address=127.0.0.1:{port}"
    if kind == "prometheus":
        (folder / "prometheus.yml").write_text("global: {}\n")
        return prometheus_argv(folder / "prometheus.yml", folder / "data", port)
    (folder / "alertmanager.yml").write_text("route: {receiver: none}\nreceivers: [{name: none}]\n")
    return [debian_program("prometheus-alertmanager", "prometheus-alertmanager"),
            f"--config.file={folder / 'alertmanager.yml'}", f"--storage.path={folder / 'data'}",
            "--cluster.listen-address=", listen]  # fmt: skip


@pytest.mark.parametrize("kind", ["prometheus", "alertmanager"])
def test_the_program_answers_on_its_health_path(kind: str, tmp_path: Path) -> None:
    port = free_port()
    with running(_argv(kind, tmp_path, port), log=tmp_path / "server.log", port=port):
        get_text(f"http://127.0.0.1:{port}{KIND_HEALTH[kind]}", timeout=10)  # 200, or raises
