"""A node-server's Prisma: how its image generates the client and ships it.

Kept apart from images.py, which holds the recipes themselves. What the values
do to the Dockerfile is in templates/Dockerfile.node-server.j2 and docs/spec.md.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, ValidationInfo, field_validator

from pivotal_gen.model.fields import EnvName, RelPath, StrictModel

# Prisma's packages with install scripts: the engines' download, and (Prisma 6) the
# client's. pnpm 10 runs no dependency's scripts unless the package is allowed.
PRISMA_BUILT_DEPENDENCIES = ("prisma", "@prisma/client", "@prisma/engines")


class Prisma(StrictModel):
    """Prisma in the app: generated in the builder, shipped with the runner."""

    config: RelPath | None = Field(
        default=None,
        description="prisma.config.ts, relative to the app; Prisma 7 requires it.",
    )
    client: RelPath | None = Field(
        default=None,
        description=(
            "The generator's output, relative to the app, when the build does not compile"
            " it into the build output: the runner copies it. Prisma 6's prisma-client-js"
            " needs one inside the app (its default in node_modules/.prisma is lost by"
            " `pnpm deploy`); Prisma 7's prisma-client writes TypeScript the build compiles."
        ),
    )
    datasource_env: EnvName = Field(
        default="DATABASE_URL",
        description=(
            "The variable the datasource URL comes from; `prisma generate` gets a"
            " placeholder, as Prisma 7's env() in prisma.config.ts fails on an unset one."
        ),
    )

    # Last, so that its check sees the others and an error points at the major.
    major: Literal[6, 7] = Field(description="The Prisma major version the app uses.")

    @field_validator("major")
    @classmethod
    def _major_needs(cls, major: int, info: ValidationInfo) -> int:
        if major == 7 and info.data.get("config", "") is None:
            raise ValueError(
                "Prisma 7 reads its datasource from prisma.config.ts: set config"
                " (e.g. prisma.config.ts)"
            )
        if major == 6 and info.data.get("client", "") is None:
            raise ValueError(
                "Prisma 6's default client in node_modules/.prisma does not travel with"
                " `pnpm deploy`: set the generator's output inside the app and name it"
                " in client (e.g. generated/prisma)"
            )
        return major
