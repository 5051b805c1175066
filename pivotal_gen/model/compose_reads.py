"""What Compose reads of the spec besides its shape: the strings it interpolates (where a
`${NAME}` may stand) and the secrets the services mount (one may come from a variable).

The references check, the Compose files and `.env.example` all read these, so a variable
Compose reads is one the check has seen and one `.env.example` says is read.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from pivotal_gen.model import interpolation
from pivotal_gen.model.service import Service
from pivotal_gen.model.spec import Spec
from pivotal_gen.source.paths import DataPath


def interpolated_strings(spec: Spec) -> Iterator[tuple[DataPath, str]]:
    """Every string Compose interpolates, with its path in the spec: the spec's logging
    options (every service without its own gets them), then each service's strings."""
    for key, value in spec.logging.options.items():
        yield ("logging", "options", key), value
    for name, service in spec.services.items():
        for sub, text in _service_strings(service):
            yield ("services", name, *sub), text


def _service_strings(service: Service) -> Iterator[tuple[DataPath, str]]:
    for field in ("image", "command", "entrypoint", "working_dir", "user"):
        value = getattr(service, field)
        if isinstance(value, str):
            yield (field,), value
        elif isinstance(value, list):
            yield from (((field, i), item) for i, item in enumerate(value))
    for key, value in service.environment.items():
        if isinstance(value, str):
            yield ("environment", key), value
    if service.healthcheck is not None and service.healthcheck.test is not None:
        test = service.healthcheck.test
        if isinstance(test, str):
            yield ("healthcheck", "test"), test
        else:
            yield from ((("healthcheck", "test", i), item) for i, item in enumerate(test))
    for target, content in service.files.items():
        yield ("files", target), content
    if service.build is not None:
        for key, value in service.build.args.items():
            yield ("build", "args", key), value
    if service.logging is not None:
        for key, value in service.logging.options.items():
            yield ("logging", "options", key), value


def mounted_secrets(services: Iterable[Service]) -> list[str]:
    """The names of the secrets these services mount, each once, sorted."""
    return sorted({secret.source for service in services for secret in service.secrets})


def variables_read(spec: Spec) -> set[str]:
    """The variables Compose reads: referenced in a string it interpolates, or the
    environment source of a secret a service mounts. The spec must have passed the
    references check (an unsupported reference raises InterpolationError)."""
    texts = (text for _, text in interpolated_strings(spec))
    names = {name for text in texts for name in interpolation.references(text)}
    for name in mounted_secrets(spec.services.values()):
        source = spec.secrets.get(name)
        if source is not None and source.environment is not None:
            names.add(source.environment)
    return names
