"""The variables of the stack: what the deployer's `.env` sets, and their types."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, ValidationInfo, field_validator

from pivotal_gen.model.fields import APP_DURATION, StrictModel, has_control

VariableType = Literal["string", "integer", "boolean", "duration"]
EnvValue = str | int | float | bool


class Variable(StrictModel):
    """A variable the stack reads from the deployer's `.env`."""

    # Field order matters: `default` is checked against the fields before it.
    description: str = Field(min_length=1)
    type: VariableType = "string"
    secret: bool = Field(
        default=False,
        description="Never given a literal value; Compose requires it from the environment.",
    )
    required: bool = Field(
        default=False, description="Compose refuses to start without it (always so for secrets)."
    )
    default: EnvValue | None = None

    @field_validator("default")
    @classmethod
    def _default_fits(cls, default: EnvValue | None, info: ValidationInfo) -> EnvValue | None:
        if default is None:
            return default
        if info.data.get("secret"):
            raise ValueError("a secret cannot have a default: it would be a literal secret")
        # Its type is checked in checks/cross.py, which knows the variable's name: a
        # default under a credential-like name is never quoted in the message.
        if "{" in str(default) or "}" in str(default):
            # Compose pairs braces in `${NAME:-default}`: a `}` ends the default, a `{`
            # makes it run on into the next reference of the same string.
            raise ValueError("a default cannot contain '{' or '}' (Compose pairs them in ${...})")
        if has_control(str(default)):
            # Compose reads .env and `${VAR:-default}` line by line: a newline breaks both.
            raise ValueError("a default cannot contain a newline or other control character")
        return default

    @property
    def must_be_set(self) -> bool:
        return self.secret or self.required or self.default is None


def env_text(value: EnvValue) -> str:
    """An environment value as the process sees it (booleans as JavaScript spells them)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def type_problem(kind: VariableType, value: EnvValue, *, quote: bool = True) -> str | None:
    """Why `value` is not of the variable type `kind`, or None when it is; `quote=False`
    for a value that may be a secret, which no message repeats."""
    shown = repr(value) if quote else "the value"
    if kind == "integer" and (isinstance(value, bool) or not isinstance(value, int)):
        return f"{shown} is not an integer"
    if kind == "boolean" and not isinstance(value, bool):
        return f"{shown} is not a boolean (true or false)"
    if kind == "duration" and not (isinstance(value, str) and APP_DURATION.fullmatch(value)):
        return f"{shown} is not a duration (e.g. 15m, 7d)"
    return None
