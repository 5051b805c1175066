"""The spec's `monitoring.alertmanager`: who runs Alertmanager, how alerts are grouped and
routed, who receives them, and which alerts hold back others.

Keys follow Alertmanager's own (`group_by`, `webhook_configs`, `source_matchers`, ...), so
that a reader who knows alertmanager.yml reads this. A credential is never a value here:
a receiver names a Compose secret (`url_secret`, `api_url_secret`, `auth_password_secret`)
and Alertmanager reads the file Compose mounts (its `*_file` settings). Receivers are a
mapping, so that a profile can drop or change one alone. Checks that need the whole spec
(receivers routed to, secrets mounted, the service) are in checks/alerting.py.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, Field, model_validator

from pivotal_gen.model.alerting_fields import (
    EmailAddress,
    HttpUrl,
    LabelName,
    Matcher,
    SlackChannel,
    SmtpHost,
)
from pivotal_gen.model.fields import (
    CONTROL,
    PromDuration,
    ServiceName,
    StrictModel,
    prom_milliseconds,
    text_pattern,
)
from pivotal_gen.model.secrets import SecretName
from pivotal_gen.source.paths import DataPath

ReceiverName = Annotated[
    str, text_pattern(r"[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}", "receiver name", "oncall")
]
# `...` groups by every label: each alert is its own group.
GroupLabel = LabelName | Literal["..."]
# One line of ordinary text; Alertmanager would read braces as a template.
PlainText = Annotated[
    str, text_pattern(rf"[^{CONTROL}{{}}]+", "line of text (no braces or controls)", "alertmanager")
]


def _not_zero(value: str) -> str:
    if prom_milliseconds(value) == 0:
        raise ValueError("Alertmanager refuses an interval of zero")
    return value


Interval = Annotated[PromDuration, AfterValidator(_not_zero)]


class WebhookConfig(StrictModel):
    """POSTs each notification as JSON to a URL: exactly one of `url` or `url_secret`."""

    url: HttpUrl | None = Field(default=None, description="http(s) URL, in the file as data.")
    url_secret: SecretName | None = Field(
        default=None,
        description="A secret holding the URL (one with a token in it); Alertmanager 0.26+ "
        "reads it as url_file.",
    )
    send_resolved: bool = True

    @model_validator(mode="after")
    def _one_url(self) -> WebhookConfig:
        if (self.url is None) == (self.url_secret is None):
            raise ValueError("a webhook has exactly one of `url` or `url_secret`")
        return self


class EmailConfig(StrictModel):
    to: list[EmailAddress] = Field(
        min_length=1, description="Bare addresses, e.g. ops@example.com."
    )
    from_: EmailAddress = Field(alias="from")
    smarthost: SmtpHost = Field(description="The SMTP server, host:port.")
    auth_username: PlainText | None = None
    auth_password_secret: SecretName | None = Field(
        default=None, description="A secret holding the SMTP password (auth_password_file)."
    )
    require_tls: bool = True
    send_resolved: bool = True

    @model_validator(mode="after")
    def _login_pair(self) -> EmailConfig:
        if (self.auth_username is None) != (self.auth_password_secret is None):
            raise ValueError("auth_username and auth_password_secret go together")
        return self


class SlackConfig(StrictModel):
    api_url_secret: SecretName = Field(
        description="A secret holding the incoming-webhook URL (a credential: api_url_file)."
    )
    channel: SlackChannel | None = Field(
        default=None, description="The webhook's own channel when omitted."
    )
    send_resolved: bool = True


class Receiver(StrictModel):
    """Where notifications go; with no integration at all, nowhere (a `null` receiver)."""

    webhook_configs: list[WebhookConfig] = Field(default_factory=list)
    email_configs: list[EmailConfig] = Field(default_factory=list)
    slack_configs: list[SlackConfig] = Field(default_factory=list)

    @property
    def notifies(self) -> bool:
        return bool(self.webhook_configs or self.email_configs or self.slack_configs)

    def secrets(self) -> list[tuple[DataPath, str]]:
        """(path below the receiver, secret name) of every secret it reads."""
        found: list[tuple[DataPath, str]] = []
        for i, hook in enumerate(self.webhook_configs):
            if hook.url_secret is not None:
                found.append((("webhook_configs", i, "url_secret"), hook.url_secret))
        for i, mail in enumerate(self.email_configs):
            if mail.auth_password_secret is not None:
                found.append(
                    (("email_configs", i, "auth_password_secret"), mail.auth_password_secret)
                )
        for i, slack in enumerate(self.slack_configs):
            found.append((("slack_configs", i, "api_url_secret"), slack.api_url_secret))
        return found


class Timing(StrictModel):
    group_by: list[GroupLabel] | None = Field(
        default=None, description="Labels that make alerts one notification; ['...']: none."
    )
    group_wait: PromDuration | None = Field(
        default=None, description="How long a new group waits for more alerts."
    )
    group_interval: Interval | None = Field(
        default=None, description="How long before a changed group is notified again."
    )
    repeat_interval: Interval | None = Field(
        default=None, description="How long before an unchanged firing group is re-sent."
    )


class Route(Timing):
    """A branch: alerts its matchers all match go to its receiver (or a deeper branch)."""

    matchers: list[Matcher] = Field(
        min_length=1, description='Alertmanager matchers, e.g. [severity="critical"].'
    )
    receiver: ReceiverName
    continue_: bool = Field(
        default=False, alias="continue", description="Keep matching the next branches too."
    )
    routes: list[Route] = Field(default_factory=list)


class RootRoute(StrictModel):
    """The route every alert enters; its receiver takes what no branch matches. Its
    timing is every branch's unless the branch sets its own."""

    receiver: ReceiverName
    group_by: list[GroupLabel] = Field(default_factory=lambda: ["alertname", "job"])
    group_wait: PromDuration = "30s"
    group_interval: Interval = "5m"
    repeat_interval: Interval = "4h"
    routes: list[Route] = Field(default_factory=list)


class InhibitRule(StrictModel):
    """While an alert matching `source_matchers` fires, alerts matching `target_matchers`
    with the same `equal` labels are not notified."""

    source_matchers: list[Matcher] = Field(min_length=1)
    target_matchers: list[Matcher] = Field(min_length=1)
    equal: list[LabelName] = Field(default_factory=list)


class Alertmanager(StrictModel):
    service: ServiceName = Field(
        description="The service running Alertmanager: its config is mounted into it, its "
        "command generated, and Prometheus sends it alerts."
    )
    external_url: HttpUrl = Field(
        description="Where people reach Alertmanager (--web.external-url): the links in "
        "notifications. Its routes stay at / (a proxy strips a path)."
    )
    route: RootRoute
    receivers: dict[ReceiverName, Receiver] = Field(min_length=1)
    inhibit_rules: list[InhibitRule] = Field(default_factory=list)
