"""A synthetic project: the real spec and profiles with the backend copied N times.

    python bench/synthetic.py N DEST

Each copy `backend-0001`... is the backend as written, in the spec and in every
profile that adjusts it, with its own published port and scrape job, so the
copies are as valid as the original and pass the same policy rules.
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

REPO = Path(__file__).resolve().parent.parent
ORIGINAL = "backend"
FIRST_PORT = 10_000


def make_project(copies: int, dest: Path) -> Path:
    """Write pivotal.yaml and profiles/ with `copies` more backends under dest."""
    yaml = YAML(typ="rt")
    (dest / "profiles").mkdir(parents=True, exist_ok=True)
    for source in [REPO / "pivotal.yaml", *sorted((REPO / "profiles").glob("*.yaml"))]:
        document = yaml.load(source.read_text())
        _add_copies(document, copies)
        target = dest / source.relative_to(REPO)
        with target.open("w") as handle:
            yaml.dump(document, handle)
    return dest


def _add_copies(document: Any, copies: int) -> None:
    services = (document or {}).get("services") or {}
    if ORIGINAL not in services:
        return
    for number in range(1, copies + 1):
        service = copy.deepcopy(services[ORIGINAL])
        if service.get("ports"):
            # host_ip only where the original says it: profiles inherit the spec's.
            port = {"published": FIRST_PORT + number}
            if "host_ip" in service["ports"][0]:
                port["host_ip"] = service["ports"][0]["host_ip"]
            service["ports"] = [port]
        if "metrics" in service:
            service["metrics"]["job"] = f"pivotal-backend-{number:04d}"
        services[f"{ORIGINAL}-{number:04d}"] = service


if __name__ == "__main__":
    make_project(int(sys.argv[1]), Path(sys.argv[2]))
