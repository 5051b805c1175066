"""Output targets: one module per kind of file, listed in TARGETS.

A target is a module with a `NAME` and a `render(ctx) -> {path: bytes}`
function, paths relative to the profile's output folder. Adding an output
(Kubernetes manifests, say) is one new module and one line here.
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

from pivotal_gen.targets import (
    compose,
    dockerfiles,
    env_example,
    grafana,
    nginx,
    prometheus,
    scripts,
)
from pivotal_gen.targets.context import RenderContext

RenderFn = Callable[[RenderContext], dict[str, bytes]]

_MODULES: tuple[ModuleType, ...] = (
    compose,
    env_example,
    prometheus,
    grafana,
    dockerfiles,
    nginx,
    scripts,
)
TARGETS: dict[str, RenderFn] = {module.NAME: module.render for module in _MODULES}
