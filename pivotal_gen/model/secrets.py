"""Compose secrets: values a service reads from a file under /run/secrets.

A secret in the environment is visible to every process of the container and in
`docker inspect`; a secret file is not, and programs that take a password file
(Alertmanager's `*_file` settings, Redis through its entrypoint) read it there.
Compose fills the file from a variable of the deployer's environment (`.env`;
Compose 2.29 or newer) or from a file beside the Compose files.
"""

from __future__ import annotations

import posixpath
import shlex
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, model_validator

from pivotal_gen.model.fields import CONTROL, EnvName, RelPath, StrictModel, text_pattern

SecretName = Annotated[
    str, text_pattern(r"[a-zA-Z0-9][a-zA-Z0-9_.-]*", "secret name", "redis_password")
]
# A file name under /run/secrets, or an absolute path in the container.
SecretTarget = Annotated[
    str,
    text_pattern(
        rf"(?!.*(?:^|/)\.\.?(?:/|$))[^\s{CONTROL}'\"`\\$:]+", "secret target", "redis_password"
    ),
]
FileMode = Annotated[str, text_pattern(r"0?[0-7]{3}", "file mode (octal, quoted)", '"0440"')]
NumericId = Annotated[str, text_pattern(r"[0-9]{1,10}", "numeric user or group id", '"999"')]


class SecretSource(StrictModel):
    """Where Compose reads the secret: exactly one of `environment` or `file`."""

    environment: EnvName | None = Field(
        default=None,
        description="A variable of the deployer's .env, declared under `variables:` with "
        "`secret: true` (needs Compose 2.29 or newer).",
    )
    file: RelPath | None = Field(default=None, description="A file, relative to the repo root.")

    @model_validator(mode="after")
    def _one_source(self) -> SecretSource:
        if (self.environment is None) == (self.file is None):
            raise ValueError("a secret has exactly one source: `environment` or `file`")
        return self


class ServiceSecret(StrictModel):
    """A secret a service reads, and where: `/run/secrets/<target>` by default."""

    source: SecretName
    target: SecretTarget | None = Field(
        default=None, description="A file name under /run/secrets, or an absolute path."
    )
    uid: NumericId | None = None
    gid: NumericId | None = None
    mode: FileMode | None = Field(default=None, description='Octal, quoted: "0440".')

    @property
    def path(self) -> str:
        """Where the file is in the container."""
        return secret_path(self.target or self.source)


def secret_path(target: str) -> str:
    """Where Compose puts a secret mounted at `target`: under /run/secrets if relative."""
    return target if posixpath.isabs(target) else f"/run/secrets/{target}"


def refuse_blank(path: str, message: str) -> str:
    """A sh line that stops the container with `message` while the secret file at `path`
    is missing or holds only blanks: Compose writes an unset or empty variable as an
    empty file, and the programs trim what they read, so they would run with no secret."""
    stop = f"{{ echo {shlex.quote(message)} >&2; exit 1; }}"
    return f"grep -q '[^[:space:]]' {shlex.quote(path)} 2>/dev/null || {stop}"


def _secret_list(value: Any) -> Any:
    """`secrets: [name]` is short for `[{source: name}]`, as in Compose."""
    if isinstance(value, list):
        return [{"source": item} if isinstance(item, str) else item for item in value]
    return value


service_secret_list = BeforeValidator(
    _secret_list, json_schema_input_type=list[SecretName | ServiceSecret]
)
