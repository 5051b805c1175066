"""The spec's `policy:` section: which profiles are production, and the rules
a team has switched off or excepted, each with a written reason."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

from pivotal_gen.model.fields import ServiceName, StrictModel

# The registry in rules/__init__.py holds the same names; a test keeps them equal.
RuleName = Literal[
    "image-pinned",
    "healthcheck",
    "pg-isready-tcp",
    "non-root",
    "bind-mounts",
    "bounded-logs",
    "no-literal-secret",
    "grafana-admin-password",
    "prod-private-ports",
    "prod-private-metrics",
    "prod-resource-limits",
    "prod-restart",
    "prod-alerts-delivered",
]


def _reasoned(text: str) -> str:
    # A reason is for the next reader: a word or two ("legacy", "ok") tells them nothing.
    if len(text.split()) < 3:
        raise PydanticCustomError(
            "reason", "give the reason in a few words: why this rule does not apply here"
        )
    return text


Reason = Annotated[str, AfterValidator(_reasoned)]


class RuleSettings(StrictModel):
    """One rule: off for the whole spec, or excepted for some services; always with a reason."""

    disabled: Reason | None = Field(default=None, description="Why the rule is off everywhere.")
    except_: dict[ServiceName, Reason] = Field(
        default_factory=dict,
        alias="except",
        description="Services the rule skips, each with why.",
    )


class Policy(StrictModel):
    production: list[str] | None = Field(
        default=None,
        description="Profiles held to the prod-* rules (exposure, limits, restarts); "
        "by default the profile named prod, if there is one.",
    )
    rules: dict[RuleName, RuleSettings] = Field(
        default_factory=dict, description="Rules switched off or excepted, by name."
    )

    @property
    def production_profiles(self) -> list[str]:
        return ["prod"] if self.production is None else self.production
