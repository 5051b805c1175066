"""The two Compose files: infrastructure alone, and the application layer on top.

Used together as
    docker compose --env-file .env -f infra/docker/docker-compose.yml \
        -f infra/docker/docker-compose.app.yml up -d
Compose resolves relative paths against the first file's folder, so paths
(given in the spec relative to the repo root) are rewritten relative to it.
"""

from __future__ import annotations

import posixpath
from typing import Any

from pivotal_gen.formats.comments import comment_header
from pivotal_gen.formats.yaml import Inline, to_yaml
from pivotal_gen.layout import APP_FILE, COMPOSE_DIR, INFRA_FILE, relative
from pivotal_gen.model import interpolation
from pivotal_gen.model.compose_reads import mounted_secrets
from pivotal_gen.model.configs import config_name
from pivotal_gen.model.derived import run_command, run_entrypoint
from pivotal_gen.model.monitoring_plan import mounts
from pivotal_gen.model.secrets import ServiceSecret
from pivotal_gen.model.service import Service
from pivotal_gen.model.spec import Spec
from pivotal_gen.model.variables import Variable, env_text
from pivotal_gen.targets.context import RenderContext

NAME = "compose"


def render(ctx: RenderContext) -> dict[str, bytes]:
    spec = ctx.spec
    infra = {n: s for n, s in spec.services.items() if s.layer == "infrastructure"}
    app = {n: s for n, s in spec.services.items() if s.layer != "infrastructure"}
    usage = [
        "Use both files together, from the repo root:",
        f"  docker compose --env-file .env -f {INFRA_FILE} -f {APP_FILE} up -d",
    ]
    return {
        INFRA_FILE: _file(spec, infra, ctx.header_lines(), with_network=True),
        APP_FILE: _file(spec, app, ctx.header_lines() + usage, with_network=False),
    }


def _file(
    spec: Spec, services: dict[str, Service], header: list[str], *, with_network: bool
) -> bytes:
    document: dict[str, Any] = {
        "name": spec.project,
        "services": {name: _service(spec, name, service) for name, service in services.items()},
    }
    if with_network:  # declared once; the app file joins it when the files are merged
        document["networks"] = {spec.network: {"driver": "bridge"}}
    volumes = sorted({v.source for s in services.values() for v in s.volumes if not v.is_bind})
    if volumes:
        document["volumes"] = {name: {} for name in volumes}
    configs = {
        config_name(name, target): {"content": _text(spec, content)}
        for name, service in services.items()
        for target, content in service.files.items()
    }
    if configs:
        document["configs"] = configs
    secrets = mounted_secrets(services.values())
    if secrets:  # in the file whose services use them: the infrastructure file also runs alone
        document["secrets"] = {name: _secret_source(spec, name) for name in secrets}
    return to_yaml(document, comment_header(header))


def _service(spec: Spec, name: str, service: Service) -> dict[str, Any]:
    def text(value: str) -> str:
        return _text(spec, value)

    def command(value: list[str] | str) -> list[str] | str:
        if isinstance(value, str):
            return text(value)
        items = [text(v) for v in value]
        # A script item reads best as a block of its own lines, so the list is a block too.
        return items if any("\n" in item for item in items) else Inline(items)

    out: dict[str, Any] = {}
    if service.image is not None:
        out["image"] = text(service.image)
    if service.build is not None:
        build: dict[str, Any] = {"context": relocate(service.build.context)}
        if service.build.dockerfile is not None:
            build["dockerfile"] = service.build.dockerfile
        if service.build.target is not None:
            build["target"] = service.build.target
        if service.build.args:
            build["args"] = {k: text(v) for k, v in service.build.args.items()}
        out["build"] = build
    run = run_command(spec, name)
    if run is not None:
        out["command"] = command(run)
    entrypoint = run_entrypoint(spec, name)
    if entrypoint is not None:
        out["entrypoint"] = command(entrypoint)
    if service.working_dir is not None:
        out["working_dir"] = text(service.working_dir)
    if service.user is not None:
        out["user"] = text(service.user)
    if service.environment:
        out["environment"] = {
            key: text(value) if isinstance(value, str) else env_text(value)
            for key, value in service.environment.items()
        }
    if service.ports:
        out["ports"] = [port.short_syntax() for port in service.ports]
    if service.expose:
        out["expose"] = list(service.expose)
    # Paths take no ${NAME} references: a `$` in them is a literal, escaped for Compose.
    volumes = [
        interpolation.escape(f"{relocate(v.source) if v.is_bind else v.source}:{v.target}")
        + (":ro" if v.read_only else "")
        for v in service.volumes
    ]
    volumes += [f"{relocate(m.source)}:{m.target}:ro" for m in mounts(spec, name)]
    if volumes:
        out["volumes"] = volumes
    if service.files:
        out["configs"] = [
            {"source": config_name(name, target), "target": interpolation.escape(target)}
            for target in service.files
        ]
    if service.secrets:
        out["secrets"] = [_service_secret(secret) for secret in service.secrets]
    if service.read_only:
        out["read_only"] = True
    if service.depends_on:
        out["depends_on"] = {
            name: dep.model_dump(exclude_none=True) for name, dep in service.depends_on.items()
        }
    if service.healthcheck is not None:
        check = service.healthcheck.model_dump(exclude_none=True, exclude={"test"})
        test = service.health_test
        assert test is not None  # checks/images.py reports a healthcheck without one
        check = {"test": command(test), **check}
        out["healthcheck"] = check
    if service.restart is not None:
        out["restart"] = service.restart
    if service.deploy is not None:
        out["deploy"] = service.deploy.model_dump(exclude_none=True)
    logging = service.logging or spec.logging
    out["logging"] = {"driver": logging.driver}
    if logging.options:
        out["logging"]["options"] = {key: text(value) for key, value in logging.options.items()}
    out["networks"] = [spec.network]
    return out


def _secret_source(spec: Spec, name: str) -> dict[str, str]:
    source = spec.secrets[name]
    if source.environment is not None:
        return {"environment": source.environment}
    assert source.file is not None  # the model requires one of the two
    return {"file": relocate(source.file)}


def _service_secret(secret: ServiceSecret) -> str | dict[str, str]:
    long_form = secret.model_dump(exclude_none=True)
    return secret.source if long_form.keys() == {"source"} else long_form


def _text(spec: Spec, value: str) -> str:
    return interpolation.to_compose(value, lambda name: reference(name, spec.variables[name]))


def reference(name: str, variable: Variable) -> str:
    """`${NAME}` as Compose should expand it: required, or with its default."""
    if variable.must_be_set or variable.default is None:  # (None: for the type checker)
        return f"${{{name}:?{name} is required (see .env.example)}}"
    return f"${{{name}:-{interpolation.escape(env_text(variable.default))}}}"


def relocate(path: str) -> str:
    """A repo-root-relative path, as seen from the Compose files' folder."""
    if posixpath.isabs(path):
        return path
    moved = relative(path, COMPOSE_DIR)
    return moved if moved.startswith("..") else f"./{moved}"
