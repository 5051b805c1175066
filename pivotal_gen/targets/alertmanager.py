"""alertmanager.yml: the route tree, the receivers and the inhibition rules, built as data.

amtool check-config infra/docker/alertmanager.yml

No credential is in the file: a receiver's secret is the path of the file Compose mounts
(Alertmanager's `*_file` settings: Slack `api_url_file` since 0.22, e-mail
`auth_password_file` since 0.25, webhook `url_file` since 0.26).
"""

from __future__ import annotations

from typing import Any

from pivotal_gen.formats.comments import comment_header
from pivotal_gen.formats.yaml import Inline, to_yaml
from pivotal_gen.layout import ALERTMANAGER_CONFIG
from pivotal_gen.model.alerting import InhibitRule, Receiver, RootRoute, Route, WebhookConfig
from pivotal_gen.model.alerting_plan import alertmanager, secret_files
from pivotal_gen.targets.context import RenderContext

NAME = "alertmanager"

# Slack's default message is the alert's name alone; this one says what is wrong and
# where the runbook is (every rule carries summary, description and runbook_url).
SLACK_TITLE = "[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }} ({{ .Alerts | len }})"
SLACK_TEXT = (
    "{{ range .Alerts }}*{{ .Annotations.summary }}*\n{{ .Annotations.description }}\n"
    "<{{ .Annotations.runbook_url }}|Runbook>\n{{ end }}"
)


def render(ctx: RenderContext) -> dict[str, bytes]:
    settings = alertmanager(ctx.spec)
    if settings is None:
        return {}
    files = secret_files(ctx.spec)
    config: dict[str, Any] = {
        "route": _route(settings.route),
        "receivers": [_receiver(name, r, files) for name, r in settings.receivers.items()],
    }
    if settings.inhibit_rules:
        config["inhibit_rules"] = [_inhibit(rule) for rule in settings.inhibit_rules]
    header = [*ctx.header_lines(), "Check: amtool check-config <this file>"]
    return {ALERTMANAGER_CONFIG: to_yaml(config, comment_header(header))}


def _route(route: RootRoute | Route) -> dict[str, Any]:
    out: dict[str, Any] = {"receiver": route.receiver}
    if isinstance(route, Route):
        out["matchers"] = Inline(route.matchers)
        if route.continue_:
            out["continue"] = True
    if route.group_by is not None:
        out["group_by"] = Inline(route.group_by)
    for key in ("group_wait", "group_interval", "repeat_interval"):
        value = getattr(route, key)
        if value is not None:
            out[key] = value
    if route.routes:
        out["routes"] = [_route(branch) for branch in route.routes]
    return out


def _receiver(name: str, receiver: Receiver, files: dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {"name": name}
    if receiver.webhook_configs:
        out["webhook_configs"] = [
            {**_url(hook, files), "send_resolved": hook.send_resolved}
            for hook in receiver.webhook_configs
        ]
    if receiver.email_configs:
        out["email_configs"] = []
        for mail in receiver.email_configs:
            email: dict[str, Any] = {
                "to": ", ".join(mail.to),
                "from": mail.from_,
                "smarthost": mail.smarthost,
            }
            if mail.auth_password_secret is not None:
                email["auth_username"] = mail.auth_username
                email["auth_password_file"] = files[mail.auth_password_secret]
            email |= {"require_tls": mail.require_tls, "send_resolved": mail.send_resolved}
            out["email_configs"].append(email)
    if receiver.slack_configs:
        out["slack_configs"] = [
            {
                "api_url_file": files[slack.api_url_secret],
                **({"channel": slack.channel} if slack.channel is not None else {}),
                "title": SLACK_TITLE,
                "text": SLACK_TEXT,
                "send_resolved": slack.send_resolved,
            }
            for slack in receiver.slack_configs
        ]
    return out


def _url(hook: WebhookConfig, files: dict[str, str]) -> dict[str, str]:
    if hook.url_secret is not None:
        return {"url_file": files[hook.url_secret]}
    assert hook.url is not None  # the model requires one of the two
    return {"url": hook.url}


def _inhibit(rule: InhibitRule) -> dict[str, Any]:
    out: dict[str, Any] = {
        "source_matchers": Inline(rule.source_matchers),
        "target_matchers": Inline(rule.target_matchers),
    }
    if rule.equal:
        out["equal"] = Inline(rule.equal)
    return out
