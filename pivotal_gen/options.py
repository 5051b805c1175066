"""What the command line asked for, as a plain object (cli.py fills it)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from pivotal_gen.project import Project
    from pivotal_gen.reporters import Reporter

Format = Literal["text", "json", "github"]


@dataclass(frozen=True)
class Options:
    spec: Path = Path("pivotal.yaml")
    profiles: tuple[str, ...] = ()
    out: Path | None = None
    format: Format = "text"
    fail_on_change: bool = False
    stdout: bool = False
    path: str = ""  # explain: the spec path to explain

    @property
    def project(self) -> Project:
        from pivotal_gen.project import Project  # pydantic loads only for commands that need it

        return Project(self.spec.parent)

    @property
    def reporter(self) -> Reporter:
        """Where results and user errors go, in the chosen format."""
        from pivotal_gen.reporters import reporter_for  # only once there is something to say

        return reporter_for(self.format)
