"""The tiny interface every rule module implements: a Rule yielding Violations."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from pivotal_gen.model.policy import RuleName
from pivotal_gen.model.service import Service
from pivotal_gen.model.spec import Spec
from pivotal_gen.source.paths import DataPath


@dataclass(frozen=True)
class Violation:
    path: DataPath  # where to point, in the merged document
    message: str
    service: str | None = None  # what `except:` names to skip it


@dataclass(frozen=True)
class Rule:
    name: RuleName
    summary: str  # one line, for docs/policy.md
    check: Callable[[Spec], Iterator[Violation]]
    production_only: bool = False


def long_running(spec: Spec) -> Iterator[tuple[str, Service]]:
    """The services that stay up: every one but the one-shot jobs."""
    return ((name, s) for name, s in spec.services.items() if s.layer != "job")
