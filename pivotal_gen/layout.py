"""Where a project's files are, where generated files go, and where containers read them.

The output tree is laid out like the platform repo root. Paths that two
targets must agree on (a file and the mount that serves it) are named here once.
Only the standard library is imported: the check fast path (sync/memo.py) reads it.
"""

from __future__ import annotations

import os
import posixpath

# Not pathlib: importing it would cost the check fast path a fifth of its time.
PACKAGE_DIR = os.path.dirname(os.path.realpath(__file__))


def templates_dir() -> str:
    """templates/ ships inside the wheel; in a source checkout it is the repo's."""
    packaged = os.path.join(PACKAGE_DIR, "templates")
    checkout = os.path.join(os.path.dirname(PACKAGE_DIR), "templates")
    return packaged if os.path.isdir(packaged) else checkout


def relative(path: str, start: str) -> str:
    """posixpath.relpath without the working directory: relpath makes both paths
    absolute against it first, so `../../..` above a shallow cwd collapsed to `/` and
    the output depended on where pivotal-gen ran. Both are relative to the same root;
    `start` is a folder below it."""
    parts = [p for p in posixpath.normpath(path).split("/") if p != "."]
    base = [p for p in posixpath.normpath(start).split("/") if p != "."]
    if ".." in base:
        raise ValueError(f"{start}: a folder below the root is needed")
    common = 0
    while common < min(len(parts), len(base)) and parts[common] == base[common]:
        common += 1
    return "/".join([".."] * (len(base) - common) + parts[common:]) or "."


# The project: the spec, its profiles, and the folders render writes (relative to the spec's).
SPEC_FILE = "pivotal.yaml"
PROFILES_DIR = "profiles"
OUT_DIR = "out"
SPEC_SCHEMA = "schema/pivotal.schema.json"
PROFILE_SCHEMA = "schema/pivotal-profile.schema.json"

# The spec and each profile: larger files are refused unread (a link to /dev/zero, say).
MAX_INPUT_BYTES = 16 * 1024 * 1024
# A profile's name, from its file name: it names a folder and appears in generated
# comments, so it is a name, by the rule for service names.
PROFILE_NAME = "[a-z0-9][a-z0-9_.-]{0,62}"

# In each out/<profile>/: what the last render wrote, so the next removes what it no longer does.
MANIFEST = ".pivotal-gen-manifest.json"
# Temporary files of a write in progress; one left by a killed render is removed by the next.
TEMP_PREFIX = ".pivotal-gen-tmp."

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

# Alertmanager reads its config where its image looks by default; silences and the
# notification log live in its image's data folder (a named volume keeps them).
ALERTMANAGER_CONFIG = f"{COMPOSE_DIR}/alertmanager.yml"
ALERTMANAGER_CONFIG_IN_CONTAINER = "/etc/alertmanager/alertmanager.yml"
ALERTMANAGER_DATA_IN_CONTAINER = "/alertmanager"
