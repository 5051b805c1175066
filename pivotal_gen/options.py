"""What the command line asked for, as a plain object (cli.py fills it)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pivotal_gen.project import Project

Format = Literal["text", "json"]


@dataclass(frozen=True)
class Options:
    spec: Path = Path("pivotal.yaml")
    profiles: tuple[str, ...] = ()
    out: Path | None = None
    format: Format = "text"
    fail_on_change: bool = False
    stdout: bool = False

    @property
    def project(self) -> Project:
        return Project(self.spec.parent)
