"""What the command line asked for, as plain data: main.py fills it, a command reads it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Format = Literal["text", "json", "github"]


@dataclass(frozen=True)
class Options:
    spec: Path = Path("pivotal.yaml")
    profiles: tuple[str, ...] = ()
    out: Path | None = None
    format: Format = "text"
    fail_on_change: bool = False
    adopt: bool = False  # render: replace files we would write that someone else wrote
    stdout: bool = False
    path: str = ""  # explain: the spec path to explain
    cache: bool = True  # read and write the check memo (sync/memo.py)
