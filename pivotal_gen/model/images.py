"""The spec's image recipes and HTTP endpoints: what the Dockerfiles, nginx.conf
and scripts are generated from.

Kept apart from model.py so that the Compose model stays small. A recipe is
keyed by the service that runs the image (`images.backend`); its Dockerfile
is written at `<app>/Dockerfile`, and checks/images.py makes the service's
`build` point there.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from pivotal_gen.model.edge import ApiProxy, SecurityHeaders
from pivotal_gen.model.fields import (
    CONTROL,
    InsideFolder,
    PortNumber,
    RelPath,
    StrictModel,
    text_pattern,
)
from pivotal_gen.model.prisma import Prisma


def _no_heredoc(command: str) -> str:
    if "<<" in command:
        raise PydanticCustomError(
            "heredoc",
            "{value} holds '<<', which BuildKit reads as a heredoc",
            {"value": repr(command)},
        )
    return command


# The migration stage runs as the node image's own non-root user.
MIGRATE_USER = "node"
# JSON Schema patterns are ECMA-262 (unicode mode), ours are checked by Rust's regex: only
# what means the same to both. No `\s` (their whitespace differs: U+0085, U+FEFF) nor `\"`
# (no escape in ECMA-262): no control characters, Unicode spaces, quotes, nor what nginx
# reads as syntax in a location (`{`, `}`, `;`, `#`, `\`) or a shell or Compose expands (`$`).
_NOT_IN_URL_PATH = (
    r"\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
    "\"';{}#$`\\\\"
)
# Checked by text_pattern for a message in plain words; the schema gets the same pattern.
UrlPath = Annotated[
    str,
    text_pattern(f"/[^{_NOT_IN_URL_PATH}]*", "URL path", "/health, /assets/"),
    Field(json_schema_extra={"pattern": f"^/[^{_NOT_IN_URL_PATH}]*$"}),
]
ImageRef = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9._/-]*:[A-Za-z0-9._-]+$")]
UserName = Annotated[str, Field(pattern=r"^[a-z_][a-z0-9_-]{0,31}$")]
StageName = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_-]*$")]
# Run with `sh -c` in the app's folder; a single line keeps the Dockerfile readable.
# No control characters: a newline or CR would start a new Dockerfile instruction; no
# `<<`: BuildKit reads `RUN ... <<WORD` as a heredoc that swallows the lines after it.
ShellCommand = Annotated[
    str,
    Field(pattern=rf"^[^{CONTROL}\\]+$"),
    AfterValidator(_no_heredoc),
]


@dataclass(frozen=True)
class HealthEndpoint:
    port: int  # the container port
    path: str

    def url(self, base: str | None = None) -> str:
        """The URL from `base` (scheme, host and port), or from inside the container."""
        return (base or f"http://127.0.0.1:{self.port}") + self.path


class Http(StrictModel):
    """The service's HTTP port and health path: the one source for EXPOSE,
    HEALTHCHECK, the Compose healthcheck, published ports, the scrape port and
    the smoke tests."""

    port: PortNumber = Field(description="Container port the service listens on.")
    health: UrlPath = Field(description="Path that answers 200 when the service is healthy.")

    @property
    def endpoint(self) -> HealthEndpoint:
        return HealthEndpoint(self.port, self.health)


class Migrations(StrictModel):
    """A Dockerfile stage with the Prisma CLI and schema, for the migration job."""

    target: StageName = Field(default="migrate", description="The stage's name.")
    schema_dir: RelPath = Field(
        default="prisma",
        description="The schema and its migrations folder, relative to the app's folder.",
    )
    command: list[str] = Field(
        default_factory=lambda: ["pnpm", "exec", "prisma", "migrate", "deploy"],
        min_length=1,
        description="The stage's CMD.",
    )


class _NodeBuild(StrictModel):
    node_image: ImageRef = Field(description="Base image of the build stages, e.g. node:22-alpine.")
    package_manager: Annotated[str, Field(pattern=r"^pnpm@[0-9]+\.[0-9]+\.[0-9]+$")] = Field(
        description="Activated through corepack, e.g. pnpm@10.18.3."
    )
    app: InsideFolder = Field(
        description="The app's folder (a pnpm workspace package), relative to the repo root."
    )
    build: ShellCommand = Field(default="pnpm run build", description="Run in the app's folder.")
    output: RelPath = Field(default="dist", description="Build output, relative to the app.")
    patches: InsideFolder | None = Field(
        default=None,
        description=(
            "pnpm's patches folder (patchedDependencies), relative to the repo root:"
            " `pnpm fetch` needs it."
        ),
    )

    @property
    def app_dir(self) -> str:
        """The app's folder as generated paths use it (`./apps/backend/` -> `apps/backend`)."""
        return posixpath.normpath(self.app)

    @property
    def dockerfile(self) -> str:
        return posixpath.join(self.app_dir, "Dockerfile")

    @property
    def base_images(self) -> dict[str, str]:
        """The images the Dockerfile pulls, by the key that names them."""
        return {"node_image": self.node_image}


class NodeServerImage(_NodeBuild):
    """A Node.js server: dependencies -> builder -> runner, optionally a migration stage."""

    kind: Literal["node-server"]
    start: list[str] = Field(
        min_length=1, description="The runner's CMD, e.g. [node, dist/main.js]."
    )
    user: UserName = Field(default="nodeuser", description="Non-root user created in the runner.")
    prisma: Prisma | None = Field(
        default=None, description="Generate the Prisma client in the builder; ship it."
    )
    migrations: Migrations | None = None

    @field_validator("node_image")
    @classmethod
    def _runs_on_alpine(cls, image: str) -> str:
        # The recipe installs tini and OpenSSL with apk and adds its user with busybox.
        if "alpine" not in image.rpartition(":")[2]:
            raise ValueError(
                f"{image!r} is not an Alpine tag, which the recipe needs (node:22-alpine)"
            )
        return image

    @model_validator(mode="after")
    def _migrations_need_prisma(self) -> NodeServerImage:
        if self.migrations is not None and self.prisma is None:
            raise ValueError("migrations run the Prisma CLI: give prisma: {major: 6 or 7, ...}")
        return self

    @property
    def stages(self) -> list[str]:
        middle = [self.migrations.target] if self.migrations else []
        return ["base", "dependencies", "builder", *middle, "runner"]

    def stage_user(self, stage: str) -> str | None:
        """Who a container of `stage` runs as; the build stages run as root."""
        if stage == "runner":
            return self.user
        if self.migrations is not None and stage == self.migrations.target:
            return MIGRATE_USER
        return None


class StaticSiteImage(_NodeBuild):
    """A single-page app built with Node and served by nginx as a non-root user."""

    kind: Literal["static-site"]
    nginx_image: ImageRef = Field(description="e.g. nginx:1.30-alpine (an even, stable series).")
    user: UserName = Field(default="nginx", description="A user that exists in the nginx image.")
    analyze: ShellCommand | None = Field(
        default=None, description="Build with bundle analysis (ANALYZE_BUNDLE=true)."
    )
    analyze_report: RelPath | None = Field(
        default=None, description="The analysis report, relative to the app (e.g. stats.html)."
    )
    assets: UrlPath = Field(
        default="/assets/",
        description="URL prefix of content-hashed files, cached for a year when found.",
    )
    api: ApiProxy | None = Field(
        default=None, description="The API nginx forwards to a service: {prefix, service, port}."
    )
    security_headers: SecurityHeaders = Field(
        default_factory=SecurityHeaders,
        description="Headers sent on every response; each has a safe default.",
    )

    @model_validator(mode="after")
    def _report_needs_analyze(self) -> StaticSiteImage:
        if self.analyze_report is not None and self.analyze is None:
            raise ValueError("analyze_report needs an analyze command that writes it")
        return self

    @property
    def stages(self) -> list[str]:
        report = ["bundle-report"] if self.analyze_report is not None else []
        return ["base", "dependencies", "builder", *report, "runner"]

    def stage_user(self, stage: str) -> str | None:
        """Who a container of `stage` runs as; the build stages run as root."""
        return self.user if stage == "runner" else None

    @property
    def base_images(self) -> dict[str, str]:
        return {**super().base_images, "nginx_image": self.nginx_image}


ImageRecipe = Annotated[NodeServerImage | StaticSiteImage, Field(discriminator="kind")]
