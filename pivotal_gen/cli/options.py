"""What the command line asked for, as a plain object (cli.py fills it)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from pivotal_gen.cli.reporters import Reporter
    from pivotal_gen.project import Project

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
    cache: bool = True  # read and write the check memo (memo.py)

    @property
    def project(self) -> Project:
        from pivotal_gen.project import Project  # pydantic loads only for commands that need it

        return Project(self.spec.parent, self.spec.name)

    @property
    def memo_inputs(self) -> bytes | None:
        """The check memo's digest of the inputs, taken before a comparison of every
        profile that may record its result; None when this one may not."""
        if not self.cache or self.profiles or self.out is not None:
            return None
        from pivotal_gen.sync import memo

        found = memo.inputs(str(self.spec))
        return found[0] if found else None

    @property
    def reporter(self) -> Reporter:
        """Where results and user errors go, in the chosen format."""
        from pivotal_gen.cli.reporters import reporter_for  # only once there is something to say

        return reporter_for(self.format)
