"""Where generated files go in the output tree, and where containers read them.

The output tree is laid out like the platform repo root. Paths that two
targets must agree on (a file and the mount that serves it) are named here once.
"""

from __future__ import annotations

import posixpath

COMPOSE_DIR = "infra/docker"
INFRA_FILE = f"{COMPOSE_DIR}/docker-compose.yml"
APP_FILE = f"{COMPOSE_DIR}/docker-compose.app.yml"

# The rules live in a folder beside prometheus.yml and rule_files name them
# relative to it, so the same paths hold in the container and for
# `promtool check config` on the rendered tree.
PROMETHEUS_CONFIG = f"{COMPOSE_DIR}/prometheus.yml"
PROMETHEUS_CONFIG_IN_CONTAINER = "/etc/prometheus/prometheus.yml"
_RULES_FOLDER = "prometheus"
RULES_FILE = f"{_RULES_FOLDER}/alerts.yml"  # relative to prometheus.yml
RULE_TESTS_FILE = f"{_RULES_FOLDER}/tests/alerts.test.yml"  # relative to prometheus.yml
PROMETHEUS_RULES_DIR = f"{COMPOSE_DIR}/{_RULES_FOLDER}"
PROMETHEUS_RULES_IN_CONTAINER = posixpath.join(
    posixpath.dirname(PROMETHEUS_CONFIG_IN_CONTAINER), _RULES_FOLDER
)

GRAFANA_PROVISIONING = f"{COMPOSE_DIR}/grafana/provisioning"
GRAFANA_DASHBOARDS = f"{COMPOSE_DIR}/grafana/dashboards"
GRAFANA_PROVISIONING_IN_CONTAINER = "/etc/grafana/provisioning"
GRAFANA_DASHBOARDS_IN_CONTAINER = "/etc/grafana/dashboards"
