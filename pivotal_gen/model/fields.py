"""Value types of the spec: names, durations, ports, volumes.

Each accepts the short Compose spelling a user already knows and parses it
into a structured value, with messages that say what is wrong in plain words.
"""

from __future__ import annotations

import functools
import math
import re
from fractions import Fraction
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    model_validator,
)
from pydantic_core import PydanticCustomError

from pivotal_gen.model.addresses import HostIp


class StrictModel(BaseModel):
    """Unknown keys are errors; values are not coerced between types."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


def text_pattern(regex: str, what: str, example: str) -> AfterValidator:
    compiled = re.compile(regex)

    def check(value: str) -> str:
        if not compiled.fullmatch(value):
            raise PydanticCustomError(
                "pattern",
                "{value} is not a valid {what} (e.g. {example})",
                {"value": repr(value), "what": what, "example": example},
            )
        return value

    return AfterValidator(check)


# Compose service names; starting with a letter or digit and free of `/`, a
# service name can never lead a generated path out of the output folder.
ServiceName = Annotated[
    str, text_pattern(r"[a-z0-9][a-z0-9_.-]{0,62}", "service name", "backend, redis-cache")
]
ProjectName = Annotated[
    str, text_pattern(r"[a-z0-9][a-z0-9_-]{0,62}", "Compose project name", "pivotal-flow")
]
VolumeName = Annotated[str, text_pattern(r"[a-zA-Z0-9][a-zA-Z0-9_.-]*", "volume name", "pgdata")]
NetworkName = Annotated[str, text_pattern(r"[a-zA-Z0-9][a-zA-Z0-9_.-]*", "network name", "devnet")]
# No regex metacharacters: job names are joined into `job=~"a|b"` matchers.
JobName = Annotated[str, text_pattern(r"[a-zA-Z0-9][a-zA-Z0-9_-]*", "job name", "pivotal-backend")]
EnvName = Annotated[
    str, text_pattern(r"[A-Za-z_][A-Za-z0-9_]*", "environment variable name", "JWT_SECRET")
]


# Compose durations: a sequence of number+unit.
def _needs_unit(value: Any) -> Any:
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise PydanticCustomError(
            "duration_unit", "{value} needs a unit (e.g. {value}s)", {"value": value}
        )
    return value


# Compose and Prometheus both parse durations into Go's time.Duration (int64 nanoseconds).
_MAX_NANOSECONDS = 2**63 - 1
_GO_UNITS = {"us": 10**3, "ms": 10**6, "s": 10**9, "m": 60 * 10**9, "h": 3600 * 10**9}


def _out_of_range(value: str) -> PydanticCustomError:
    return PydanticCustomError(
        "duration_range", "{value} is out of range (at most 292 years)", {"value": repr(value)}
    )


def _go_duration_range(value: str) -> str:
    """Go's time.ParseDuration refuses a total beyond int64 nanoseconds."""
    if _go_nanoseconds(value) > _MAX_NANOSECONDS:
        raise _out_of_range(value)
    return value


@functools.cache  # a spec repeats its durations (every healthcheck's 10s), exact sums cost
def _go_nanoseconds(value: str) -> int:
    pieces = re.findall(r"([0-9]+(?:\.[0-9]+)?)(us|ms|s|m|h)", value)
    return sum(math.floor(Fraction(number) * _GO_UNITS[unit]) for number, unit in pieces)


Duration = Annotated[
    str,
    BeforeValidator(_needs_unit, json_schema_input_type=str),
    text_pattern(r"([0-9]+(\.[0-9]+)?(us|ms|s|m|h))+", "duration", "10s, 1m30s"),
    AfterValidator(_go_duration_range),
]
_PROM_UNITS = {"ms": 1, "s": 1000, "m": 60_000, "h": 3_600_000, "d": 86_400_000}
_PROM_UNITS |= {"w": 7 * _PROM_UNITS["d"], "y": 365 * _PROM_UNITS["d"]}


def _prom_duration_range(value: str) -> str:
    """Prometheus refuses more milliseconds than int64 nanoseconds hold."""
    if prom_milliseconds(value) > _MAX_NANOSECONDS // 10**6:
        raise _out_of_range(value)
    return value


# Prometheus durations: whole numbers, each unit at most once and largest first
# (model.ParseDuration refuses `30s1m`), units up to years.
PromDuration = Annotated[
    str,
    BeforeValidator(_needs_unit, json_schema_input_type=str),
    text_pattern(
        r"(?=[0-9])([0-9]+y)?([0-9]+w)?([0-9]+d)?([0-9]+h)?([0-9]+m)?([0-9]+s)?([0-9]+ms)?",
        "Prometheus duration",
        "30s, 1m, 1h30m",
    ),
    AfterValidator(_prom_duration_range),
]


def prom_milliseconds(duration: str) -> int:
    """A Prometheus duration in milliseconds."""
    return sum(
        int(number) * _PROM_UNITS[unit]
        for number, unit in re.findall(r"([0-9]+)(ms|s|m|h|d|w|y)", duration)
    )


def prom_seconds(duration: str) -> float:
    """A Prometheus duration in seconds."""
    return prom_milliseconds(duration) / 1000


# Application durations as the backend reads them (vercel/ms style).
APP_DURATION = re.compile(r"[0-9]+(ms|s|m|h|d|w|y)")
# What no name, path or one-line value may hold: C0 and C1 controls, DEL, the Unicode line
# and paragraph separators. A newline would end a comment, heredoc or Dockerfile line.
CONTROL = r"\x00-\x1f\x7f-\x9f\u2028\u2029"
_CONTROL = re.compile(f"[{CONTROL}]")


def has_control(text: str) -> bool:
    return _CONTROL.search(text) is not None


# A Dockerfile stage a Compose build targets.
BuildTarget = Annotated[
    str, text_pattern(r"[A-Za-z0-9][A-Za-z0-9_.-]*", "build target (a stage name)", "runner")
]
# An image as Compose names it (`${TAG}` allowed): one word, no quotes or controls.
ImageName = Annotated[
    str, text_pattern(rf"[^\s{CONTROL}'\"`\\]+", "image name", "postgres:17-alpine")
]
# Paths in the spec are relative to the platform repo root (where pivotal.yaml sits), of
# ordinary characters only: they land unquoted in Dockerfile instructions and scripts.
# No leading `/`, no `..` segment (nothing outside the repo), no whitespace, quotes,
# `$`, backslashes or controls (nothing that a Dockerfile or a shell reads as syntax).
# A segment does not start with `-`: `COPY <app>/...` must not read as a flag.
_SEGMENT = r"[A-Za-z0-9._@+][A-Za-z0-9._@+-]*"
_REL_PATH = rf"(?!(?:.*/)?\.\.(?:/|$)){_SEGMENT}(?:/{_SEGMENT})*/?"
RelPath = Annotated[str, text_pattern(_REL_PATH, "relative path inside the repo", "apps/backend")]
# A folder that generated files are written into (`<app>/Dockerfile`): the same rule.
InsideFolder = Annotated[str, text_pattern(_REL_PATH, "folder inside the repo", "apps/backend")]


def _port_number(value: int) -> int:
    if not 1 <= value <= 65535:
        raise PydanticCustomError(
            "port_range", "port {port} is out of range (1-65535)", {"port": value}
        )
    return value


PortNumber = Annotated[int, AfterValidator(_port_number)]

_SHORT_PORT = re.compile(
    r"(?:(?P<ip>\[[0-9a-fA-F:.]+\]|[0-9]+(?:\.[0-9]+){3}):(?=[0-9]+:))?"
    r"(?:(?P<published>[0-9]+):)?"
    r"(?P<target>[0-9]+)(?:/(?P<protocol>tcp|udp))?"
)


def _parse_port(value: Any) -> Any:
    """`"127.0.0.1:5433:5432/tcp"` or `3000` -> the long form."""
    if isinstance(value, int) and not isinstance(value, bool):
        return {"target": value}
    if not isinstance(value, str):
        return value
    match = _SHORT_PORT.fullmatch(value.strip())
    if match is None:
        raise PydanticCustomError(
            "port_syntax",
            "{value} is not a port mapping ([HOST_IP:]HOST:CONTAINER[/udp], no ranges)",
            {"value": repr(value)},
        )
    result: dict[str, Any] = {"target": int(match["target"])}
    if match["published"]:
        result["published"] = int(match["published"])
    if match["ip"]:
        result["host_ip"] = match["ip"].strip("[]")
    if match["protocol"]:
        result["protocol"] = match["protocol"]
    return result


class Port(StrictModel):
    """A container port, optionally published on the host."""

    target: PortNumber | None = Field(
        default=None, description="Container port; in the long form, defaults to http.port."
    )
    published: PortNumber | None = None
    host_ip: HostIp | None = None
    protocol: Literal["tcp", "udp"] = "tcp"

    @model_validator(mode="after")
    def _host_ip_needs_published(self) -> Port:
        if self.host_ip is not None and self.published is None:
            raise ValueError("host_ip needs a published port")
        return self

    def short_syntax(self) -> str:
        text = str(self.target)
        if self.published is not None:
            text = f"{self.published}:{text}"
            if self.host_ip:
                host = f"[{self.host_ip}]" if ":" in self.host_ip else self.host_ip
                text = f"{host}:{text}"
        return text if self.protocol == "tcp" else f"{text}/{self.protocol}"


PortSpec = Annotated[
    Port,
    BeforeValidator(_parse_port, json_schema_input_type=str | int | dict[str, Any]),
]


def _parse_volume(value: Any) -> Any:
    """`"pgdata:/var/lib/postgresql/data"` or `"./conf:/etc/x:ro"` -> the long form."""
    if not isinstance(value, str):
        return value
    parts = value.split(":")
    if len(parts) not in (2, 3) or (len(parts) == 3 and parts[2] not in ("ro", "rw")):
        raise PydanticCustomError(
            "volume_syntax",
            "{value} is not a volume (SOURCE:TARGET[:ro], SOURCE a volume name or ./path)",
            {"value": repr(value)},
        )
    return {"source": parts[0], "target": parts[1], "read_only": parts[2:] == ["ro"]}


ContainerPath = Annotated[
    str, text_pattern(r"/[^\0:]*[^/\0:]", "container path", "/docker-entrypoint-initdb.d/init.sql")
]


# No `:` in a path (Compose splits the short form there); a target as Compose reads it
# back (it cleans the path): no trailing `/`, `//`, `.`, `..`.
_CLEAN_TARGET = r"/|(?:/(?!\.\.?(?:/|$))[^/:\x00]+)+"
_SOURCE = r"[./][^:]*|[a-zA-Z0-9][a-zA-Z0-9_.-]*"


class Volume(StrictModel):
    """A named volume or a bind mount of a path relative to the repo root."""

    source: Annotated[str, text_pattern(_SOURCE, "volume source", "pgdata, ./conf")]
    target: Annotated[str, text_pattern(_CLEAN_TARGET, "container path", "/var/lib/postgresql")]
    read_only: bool = False

    @property
    def is_bind(self) -> bool:
        return self.source.startswith((".", "/"))


VolumeSpec = Annotated[
    Volume,
    BeforeValidator(_parse_volume, json_schema_input_type=str | dict[str, Any]),
]

Memory = Annotated[str, text_pattern(r"[0-9]+(b|k|kb|m|mb|g|gb|K|M|G|KB|MB|GB)?", "size", "512M")]
Cpus = Annotated[str, text_pattern(r"[0-9]+(\.[0-9]+)?", "CPU count", "'0.5'")]


# Sizes and CPUs are strings in Compose; the user may write them as numbers.
def _number_text(value: Any) -> Any:
    return str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value


CpusSpec = Annotated[Cpus, BeforeValidator(_number_text, json_schema_input_type=str | float)]
Positive = Annotated[int, Field(ge=1)]
NonNegative = Annotated[int, Field(ge=0)]
