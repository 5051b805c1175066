"""The spec: a pydantic model of `pivotal.yaml` (after profiles are merged).

Field names follow Compose wherever Compose has a word for the thing, so that
a reader who knows Compose can read the spec. Checks that need the whole
spec (references between services, ports across services) are in checks.py.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, ValidationInfo, field_validator, model_validator

from pivotal_gen.model.command_line import Command
from pivotal_gen.model.fields import (
    APP_DURATION,
    BuildTarget,
    ContainerPath,
    CpusSpec,
    Duration,
    EnvName,
    ImageName,
    JobName,
    Memory,
    NetworkName,
    PortNumber,
    PortSpec,
    Positive,
    ProjectName,
    PromDuration,
    RelPath,
    ServiceName,
    StrictModel,
    VolumeSpec,
    has_control,
)
from pivotal_gen.model.images import Http, ImageRecipe, UrlPath
from pivotal_gen.model.monitoring import Monitoring
from pivotal_gen.model.policy import Policy

Layer = Literal["infrastructure", "application", "job"]
Condition = Literal["service_started", "service_healthy", "service_completed_successfully"]
Restart = Literal["no", "always", "on-failure", "unless-stopped"]
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


class Build(StrictModel):
    context: RelPath = Field(default=".", description="Relative to the repo root.")
    dockerfile: RelPath | None = Field(default=None, description="Relative to the context.")
    target: BuildTarget | None = None
    args: dict[EnvName, str] = Field(default_factory=dict)


class Healthcheck(StrictModel):
    test: list[str] | str | None = Field(
        default=None,
        description='["CMD", "wget", ...] runs directly; a string runs in a shell. '
        "Derived from http.health when omitted.",
    )
    interval: Duration | None = None
    timeout: Duration | None = None
    retries: Positive | None = None
    start_period: Duration | None = None
    start_interval: Duration | None = None

    @field_validator("test")
    @classmethod
    def _test_form(cls, test: list[str] | str | None) -> list[str] | str | None:
        if isinstance(test, list) and (not test or test[0] not in ("CMD", "CMD-SHELL")):
            raise ValueError('a test list starts with "CMD" or "CMD-SHELL"')
        return test


class Dependency(StrictModel):
    condition: Condition = "service_started"
    restart: bool | None = None


def _dependency_list(value: Any) -> Any:
    """`depends_on: [a, b]` is short for `{a: {}, b: {}}`, as in Compose."""
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return {item: {} for item in value}
    return value


class Limits(StrictModel):
    cpus: CpusSpec | None = None
    memory: Memory | None = None
    pids: Positive | None = None


class Resources(StrictModel):
    limits: Limits | None = None
    reservations: Limits | None = None


class Deploy(StrictModel):
    resources: Resources


MetricsKind = Literal["node", "postgres", "redis", "prometheus", "grafana", "generic"]


class Metrics(StrictModel):
    """Where Prometheus scrapes this service, and what it exposes there."""

    job: JobName | None = Field(default=None, description="The scrape job; the service name.")
    kind: MetricsKind = Field(
        default="generic",
        description="What exposes the metrics (node: prom-client; postgres, redis: the "
        "exporters); picks the dashboards that chart the job.",
    )
    path: UrlPath = "/metrics"
    port: PortNumber | None = Field(
        default=None,
        description="Container port, one the service listens on (ports, expose or "
        "http.port); defaults to http.port, then the first port.",
    )
    interval: PromDuration | None = Field(
        default=None, description="Scrape interval; monitoring.scrape_interval by default."
    )


class Service(StrictModel):
    layer: Layer = Field(
        description="infrastructure: docker-compose.yml; application and job: "
        "docker-compose.app.yml. A job runs once and exits."
    )
    description: str | None = None
    image: ImageName | None = None
    build: Build | None = None
    command: Command = None
    entrypoint: Command = None
    working_dir: str | None = None
    user: str | None = None
    environment: dict[EnvName, EnvValue] = Field(
        default_factory=dict,
        description="Literal values, or strings with ${VAR} references to `variables`.",
    )
    ports: list[PortSpec] = Field(default_factory=list)
    expose: list[PortNumber] = Field(
        default_factory=list, description="Ports reachable on the network, not published."
    )
    volumes: list[VolumeSpec] = Field(default_factory=list)
    files: dict[ContainerPath, str] = Field(
        default_factory=dict,
        description="Files placed in the container: path -> content (a Compose config); "
        "${VAR} references as in environment.",
    )
    depends_on: Annotated[
        dict[ServiceName, Dependency],
        BeforeValidator(_dependency_list, json_schema_input_type=list[str] | dict[str, Any]),
    ] = Field(default_factory=dict)
    healthcheck: Healthcheck | None = None
    restart: Restart | None = None
    deploy: Deploy | None = None
    metrics: Metrics | None = None
    http: Http | None = Field(
        default=None, description="HTTP port and health path; other keys default from it."
    )

    @model_validator(mode="before")
    @classmethod
    def _port_targets_from_http(cls, data: Any) -> Any:
        """A long-form port without `target` maps the service's http.port."""
        if not isinstance(data, dict) or not isinstance(data.get("ports"), list):
            return data
        http = data.get("http")
        port = http.get("port") if isinstance(http, dict) else None
        if port is None:
            return data  # a missing target is then reported by checks/images.py
        ports = [
            {**entry, "target": port}
            if isinstance(entry, dict) and "target" not in entry
            else entry
            for entry in data["ports"]
        ]
        return {**data, "ports": ports}

    @field_validator("restart")
    @classmethod
    def _job_runs_once(cls, restart: Restart | None, info: ValidationInfo) -> Restart | None:
        if info.data.get("layer") == "job" and restart not in (None, "no"):
            raise ValueError(f'a job runs once: restart must be "no", not {restart!r}')
        return restart

    @property
    def metrics_port(self) -> int | None:
        """The container port Prometheus scrapes, when the service has metrics."""
        if self.metrics is None:
            return None
        if self.metrics.port is not None:
            return self.metrics.port
        if self.http is not None:
            return self.http.port
        return self.listens_on[0] if self.listens_on else None

    @property
    def listens_on(self) -> list[int]:
        """Container ports the service declares: published, only exposed, or http.port."""
        targets = [p.target for p in self.ports if p.target is not None]
        http = [self.http.port] if self.http is not None else []
        return list(dict.fromkeys([*http, *targets, *self.expose]))

    @property
    def health_test(self) -> list[str] | str | None:
        """The healthcheck's test, written or derived from http.health."""
        if self.healthcheck is None:
            return None
        if self.healthcheck.test is not None or self.http is None:
            return self.healthcheck.test
        return ["CMD", "wget", "-q", "--spider", http_url(self.http)]

    @model_validator(mode="after")
    def _runnable(self) -> Service:
        if self.image is None and self.build is None:
            raise ValueError("a service needs an image or a build")
        return self


def http_url(http: Http) -> str:
    """The health URL as seen from inside the service's own container."""
    return f"http://127.0.0.1:{http.port}{http.health}"


class Spec(StrictModel):
    """The whole stack: `pivotal.yaml` with a profile merged onto it."""

    project: ProjectName = Field(description="The Compose project name.")
    network: NetworkName = Field(default="devnet", description="The network every service joins.")
    variables: dict[EnvName, Variable] = Field(default_factory=dict)
    services: dict[ServiceName, Service]
    monitoring: Monitoring | None = None
    images: dict[ServiceName, ImageRecipe] = Field(
        default_factory=dict,
        description="Dockerfile recipes, keyed by the service that runs the image.",
    )
    policy: Policy = Field(
        default_factory=Policy,
        description="The policy rules' production profiles, and rules off or excepted.",
    )
