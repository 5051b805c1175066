"""A service of the stack, in Compose's words: how it runs, what it needs, how it is probed."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, ValidationInfo, field_validator, model_validator

from pivotal_gen.model.command_line import Command
from pivotal_gen.model.fields import (
    BuildTarget,
    ContainerPath,
    CpusSpec,
    Duration,
    EnvName,
    ImageName,
    JobName,
    Memory,
    PortNumber,
    PortSpec,
    Positive,
    PromDuration,
    RelPath,
    ServiceName,
    StrictModel,
    VolumeSpec,
)
from pivotal_gen.model.images import Http, UrlPath
from pivotal_gen.model.logs import Logging
from pivotal_gen.model.redis import (
    RedisRecipe,
    derived_maxmemory,
    memory_bytes,
)
from pivotal_gen.model.redis import health_test as redis_health_test
from pivotal_gen.model.redis import start_command as redis_start_command
from pivotal_gen.model.secrets import ServiceSecret, secret_path, service_secret_list
from pivotal_gen.model.variables import EnvValue

Layer = Literal["infrastructure", "application", "job"]
Condition = Literal["service_started", "service_healthy", "service_completed_successfully"]
Restart = Literal["no", "always", "on-failure", "unless-stopped"]


class Build(StrictModel):
    context: RelPath = Field(default=".", description="Relative to the repo root.")
    dockerfile: RelPath | None = Field(default=None, description="Relative to the context.")
    target: BuildTarget | None = None
    args: dict[EnvName, str] = Field(default_factory=dict)


class Healthcheck(StrictModel):
    test: list[str] | str | None = Field(
        default=None,
        description='["CMD", "wget", ...] runs directly; a string runs in a shell. '
        "Derived from http.health, or from redis, when omitted.",
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


MetricsKind = Literal[
    "node", "postgres", "redis", "prometheus", "grafana", "alertmanager", "generic"
]


class Metrics(StrictModel):
    """Where Prometheus scrapes this service, and what it exposes there."""

    job: JobName | None = Field(default=None, description="The scrape job; the service name.")
    kind: MetricsKind = Field(
        default="generic",
        description="What exposes the metrics (node: prom-client; postgres, redis: the "
        "exporters; alertmanager: Alertmanager); picks the dashboards that chart the job.",
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
    redis: RedisRecipe | None = Field(
        default=None,
        description="Runs redis-server: the command and the healthcheck test are derived, "
        "the password comes from a secret, maxmemory from the memory limit.",
    )
    secrets: Annotated[list[ServiceSecret], service_secret_list] = Field(
        default_factory=list,
        description="Secrets (declared under the top-level `secrets:`) mounted as files.",
    )
    read_only: bool = Field(
        default=False, description="The container's root filesystem is read-only."
    )
    logging: Logging | None = Field(
        default=None, description="The logging driver; the spec's `logging` by default."
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
        """The healthcheck's test, written or derived from http.health or redis."""
        if self.healthcheck is None:
            return None
        if self.healthcheck.test is not None:
            return self.healthcheck.test
        if self.redis is not None:
            return redis_health_test(self.redis_password_file)
        if self.http is None:
            return None
        return ["CMD", "wget", "-q", "--spider", self.http.endpoint.url()]

    @property
    def start_command(self) -> list[str] | str | None:
        """The command, written or derived from redis."""
        if self.redis is None:
            return self.command
        return redis_start_command(self.redis, self.redis_password_file, self.maxmemory)

    @property
    def memory_limit(self) -> int | None:
        """deploy.resources.limits.memory in bytes; None without one (Compose drops 0)."""
        limits = self.deploy.resources.limits if self.deploy is not None else None
        size = limits.memory if limits is not None else None
        return (memory_bytes(size) or None) if size is not None else None

    @property
    def maxmemory(self) -> int | None:
        """Redis's bound in bytes: written, or derived from the memory limit."""
        if self.redis is None:
            return None
        if self.redis.maxmemory is not None:
            return memory_bytes(self.redis.maxmemory)
        limit = self.memory_limit
        return derived_maxmemory(limit) if limit is not None else None

    @property
    def secret_files(self) -> dict[str, str]:
        """Secret name -> its file in the container (the first mount of each)."""
        files: dict[str, str] = {}
        for mounted in self.secrets:
            files.setdefault(mounted.source, mounted.path)
        return files

    @property
    def redis_password_file(self) -> str:
        """Where the container has the redis recipe's password secret."""
        source = self.redis.password if self.redis is not None else ""
        # Unmounted (checks/redis.py says so): where a plain mount would put it.
        return self.secret_files.get(source) or secret_path(source)

    @model_validator(mode="after")
    def _runnable(self) -> Service:
        if self.image is None and self.build is None:
            raise ValueError("a service needs an image or a build")
        return self
