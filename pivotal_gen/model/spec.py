"""The spec: a pydantic model of `pivotal.yaml` (after profiles are merged).

Field names follow Compose wherever Compose has a word for the thing, so that
a reader who knows Compose can read the spec: a service is in service.py, the
`.env` variables in variables.py. Checks that need the whole spec (references
between services, ports across services) are in the checks package.
"""

from __future__ import annotations

from pydantic import Field

from pivotal_gen.model.fields import EnvName, NetworkName, ProjectName, ServiceName, StrictModel
from pivotal_gen.model.images import ImageRecipe
from pivotal_gen.model.logs import ROTATING, Logging
from pivotal_gen.model.monitoring import Monitoring
from pivotal_gen.model.policy import Policy
from pivotal_gen.model.secrets import SecretName, SecretSource
from pivotal_gen.model.service import Service
from pivotal_gen.model.variables import Variable


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
    secrets: dict[SecretName, SecretSource] = Field(
        default_factory=dict,
        description="Compose secrets the services mount as files under /run/secrets.",
    )
    logging: Logging = Field(
        default=ROTATING,
        description="Every service's logging driver unless it sets its own; rotates by default.",
    )
    policy: Policy = Field(
        default_factory=Policy,
        description="The policy rules' production profiles, and rules off or excepted.",
    )
