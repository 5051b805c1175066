"""The spec's `monitoring:` section: who runs Prometheus and Grafana, the alerts and their tests.

Alerts are keyed by group and name (mappings, not lists) so that a profile
can change one threshold or `for:` without restating the rest. Checks that
need the whole spec (PromQL, jobs, tests) are in checks/monitoring.py.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, field_validator
from pydantic_core import PydanticCustomError

from pivotal_gen.model.alerting import Alertmanager
from pivotal_gen.model.alerting_fields import LabelName
from pivotal_gen.model.fields import PromDuration, ServiceName, StrictModel, text_pattern

Severity = Literal["critical", "warning", "info"]
# Names as Prometheus rules and Grafana take them.
AlertName = Annotated[str, text_pattern(r"[A-Z][A-Za-z0-9]*", "alert name", "BackendDown")]
GroupName = Annotated[str, text_pattern(r"[a-z0-9][a-z0-9_-]*", "rule group name", "backend")]
ParamName = Annotated[str, text_pattern(r"[a-z][a-z0-9_]*", "parameter name", "threshold")]
Uid = Annotated[str, text_pattern(r"[a-zA-Z0-9_-]{1,40}", "Grafana uid", "prometheus")]

# The one template form annotations may use: alert tests compare annotations
# exactly, and only label values can be worked out before the alert fires.
LABEL_TEMPLATE = re.compile(r"\{\{\s*\$labels\.([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}")


def _no_template(value: str) -> str:
    """Prometheus expands templates in labels and in every annotation (the runbook URL
    too): only summary and description may hold them, where the checks know their form."""
    if "{{" in value:
        raise PydanticCustomError(
            "template", "{value} cannot hold a template ('{{')", {"value": repr(value)}
        )
    return value


Untemplated = Annotated[str, AfterValidator(_no_template)]


class AlertCase(StrictModel):
    """One promtool test case: input series, a moment, and the alerts expected then."""

    name: str = Field(min_length=1, description="What the case shows, e.g. 'fires when down'.")
    interval: PromDuration = Field(default="1m", description="Step between the series' values.")
    series: dict[str, str] = Field(
        min_length=1,
        description="Series selector -> values in promtool notation ('0+10x20', '1 1 0').",
    )
    at: PromDuration = Field(description="The evaluation time (eval_time) of the check.")
    fires: list[dict[LabelName, str]] = Field(
        description="The labels of each alert expected at `at` (the rule's own labels and "
        "alertname are added); [] expects no alert.",
    )


class Alert(StrictModel):
    expr: str = Field(min_length=1, description="PromQL; $param is replaced by params.param.")
    params: dict[ParamName, float | int] = Field(
        default_factory=dict, description="Thresholds the expression names as $name."
    )
    for_: PromDuration = Field(default="0m", alias="for")
    severity: Severity
    labels: dict[LabelName, Untemplated] = Field(default_factory=dict)
    summary: str = Field(min_length=1)
    description: str = Field(min_length=1)
    runbook_url: Untemplated | None = Field(
        default=None, description="Defaults to monitoring.runbook_url for this alert."
    )
    tests: list[AlertCase] = Field(
        default_factory=list,
        description="At least one case that fires and one that does not.",
    )

    @field_validator("labels")
    @classmethod
    def _severity_is_its_own_key(cls, labels: dict[str, str]) -> dict[str, str]:
        if "severity" in labels or "alertname" in labels:
            raise ValueError("severity and alertname are set by the rule, not in labels")
        return labels


class TargetDown(StrictModel):
    """The alert generated for every scrape job: `up == 0`."""

    for_: PromDuration = Field(default="1m", alias="for")
    severity: Severity = "critical"


class Datasource(StrictModel):
    name: str = Field(default="Prometheus", min_length=1)
    uid: Uid = "prometheus"


class Monitoring(StrictModel):
    prometheus: ServiceName = Field(
        description="The service running Prometheus: its config and rules are mounted into it."
    )
    grafana: ServiceName | None = Field(
        default=None,
        description="The service running Grafana: datasource and dashboards are mounted into it.",
    )
    scrape_interval: PromDuration = "30s"
    evaluation_interval: PromDuration = "30s"
    datasource: Datasource = Field(default_factory=Datasource)
    runbook_url: Untemplated = Field(
        description="Where runbooks live; {alert} is replaced by the alert's name.",
        pattern=r"^https?://",
    )
    rules_notice: str | None = Field(
        default=None, description="Comment lines on top of the rule file (attribution, say)."
    )
    target_down: TargetDown = Field(default_factory=TargetDown)
    alertmanager: Alertmanager | None = Field(
        default=None,
        description="Alertmanager: where Prometheus sends firing alerts, and who gets them.",
    )
    alerts: dict[GroupName, dict[AlertName, Alert]] = Field(default_factory=dict)
