"""Prometheus: its config, the alert rules, and the rules' promtool unit tests.

promtool check config infra/docker/prometheus.yml     (loads the rules too)
promtool test rules infra/docker/prometheus/tests/alerts.test.yml
"""

from __future__ import annotations

import posixpath
from typing import Any

from pivotal_gen.formats.comments import comment_header
from pivotal_gen.formats.yaml import Inline, to_yaml
from pivotal_gen.layout import COMPOSE_DIR, PROMETHEUS_CONFIG, RULE_TESTS_FILE, RULES_FILE
from pivotal_gen.model import alerting_plan
from pivotal_gen.model.monitoring_plan import (
    Rule,
    ScrapeJob,
    expected_annotations,
    rule_groups,
    scrape_jobs,
)
from pivotal_gen.targets.context import RenderContext

NAME = "prometheus"


def render(ctx: RenderContext) -> dict[str, bytes]:
    monitoring = ctx.spec.monitoring
    if monitoring is None:
        return {}
    groups = rule_groups(ctx.spec)
    header = ctx.header_lines()
    config: dict[str, Any] = {
        "global": {
            "scrape_interval": monitoring.scrape_interval,
            "evaluation_interval": monitoring.evaluation_interval,
        },
    }
    alertmanager = alerting_plan.target(ctx.spec)
    if alertmanager is not None:  # where firing alerts go, on the Compose network
        config["alerting"] = {
            "alertmanagers": [{"static_configs": [{"targets": Inline([alertmanager])}]}]
        }
    config["rule_files"] = [RULES_FILE]
    config["scrape_configs"] = [_scrape_config(job) for job in scrape_jobs(ctx.spec)]
    rules = {"groups": [_group(name, rules) for name, rules in groups.items()]}
    tests = {
        "rule_files": [posixpath.relpath(RULES_FILE, posixpath.dirname(RULE_TESTS_FILE))],
        "evaluation_interval": monitoring.evaluation_interval,
        "tests": [case for rules in groups.values() for rule in rules for case in _cases(rule)],
    }
    notice = [
        *header,
        *(["", *monitoring.rules_notice.splitlines()] if monitoring.rules_notice else []),
    ]
    return {
        PROMETHEUS_CONFIG: to_yaml(config, comment_header(header)),
        f"{COMPOSE_DIR}/{RULES_FILE}": to_yaml(rules, comment_header(notice)),
        f"{COMPOSE_DIR}/{RULE_TESTS_FILE}": to_yaml(
            tests, comment_header([*header, "Run: promtool test rules <this file>"])
        ),
    }


def _scrape_config(job: ScrapeJob) -> dict[str, Any]:
    config: dict[str, Any] = {"job_name": job.name}
    if job.interval is not None:
        config["scrape_interval"] = job.interval
    config["metrics_path"] = job.path
    config["static_configs"] = [
        {"targets": Inline([job.target]), "labels": {"service": job.service}}
    ]
    return config


def _group(name: str, rules: list[Rule]) -> dict[str, Any]:
    return {
        "name": name,
        "rules": [
            {
                "alert": rule.name,
                "expr": _expr(rule.expr),
                "for": rule.for_,
                "labels": rule.labels,
                "annotations": rule.annotations,
            }
            for rule in rules
        ],
    }


def _expr(text: str) -> str:
    """PromQL trimmed, and no line ending in spaces: then a multi-line one is a `|` block."""
    return "\n".join(line.rstrip() for line in text.strip().split("\n"))


def _cases(rule: Rule) -> list[dict[str, Any]]:
    """One promtool test per case: its series, and the alerts expected at its time."""
    tests = []
    for case in rule.cases:
        expected = []
        for labels in case.fires:
            full = {**labels, **rule.labels}
            expected.append(
                {"exp_labels": full, "exp_annotations": expected_annotations(rule, full)}
            )
        tests.append(
            {
                "name": f"{rule.name}: {case.name}",
                "interval": case.interval,
                "input_series": [
                    {"series": series, "values": values} for series, values in case.series.items()
                ],
                "alert_rule_test": [
                    {"eval_time": case.at, "alertname": rule.name, "exp_alerts": expected}
                ],
            }
        )
    return tests
