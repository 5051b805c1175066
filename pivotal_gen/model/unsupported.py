"""Plainer words for two kinds of validation error.

Compose keys pivotal-gen leaves out on purpose: a "did you mean" for them points at an
unrelated key (`env_file` -> `files`), so each says what to write instead. And a value of
the wrong type shows what it got, shortened, unless it may be a secret.
"""

from __future__ import annotations

import json
import re
from typing import Any

from pivotal_gen.source.paths import DataPath

# (where the key sits: "service" or "deploy", key) -> what to use instead.
_COMPOSE_ONLY = {
    ("service", "env_file"): "declare each value under `variables:` and use it in "
    "`environment:` as ${NAME}; .env.example is generated from them",
    ("service", "profiles"): "pivotal-gen profiles (profiles/<name>.yaml) choose what runs "
    "where: one can remove a service with `services.NAME: null`",
    ("service", "container_name"): "Compose names containers from the project and the "
    "service; `project:` sets the project name",
    ("service", "networks"): "every service joins the one network `network:` names",
    ("service", "network_mode"): "every service joins the one network `network:` names",
    ("service", "links"): "services reach each other by name on the shared network; "
    "`depends_on:` orders their start",
    ("service", "extends"): "a profile adjusts a service per environment",
    ("deploy", "replicas"): "pivotal-gen runs one container per service; `deploy:` takes "
    "`resources:` only",
    ("deploy", "restart_policy"): "use the service's `restart:`",
    ("deploy", "mode"): "pivotal-gen runs one container per service; `deploy:` takes "
    "`resources:` only",
}

# Keys whose values may hold secrets: a type error there does not echo the value. Broader
# than the no-literal-secret rule's names on purpose: that rule must not refuse a setting
# by mistake, while a message may leave out a value that was not secret after all.
_PRIVATE_PARENTS = {"environment", "files", "args", "variables"}
_SECRET_NAME = re.compile(r"secret|passw|token|key|credential|auth", re.IGNORECASE)
_SHOWN = 40  # characters of a value shown in a message


def unsupported(path: DataPath) -> str | None:
    """The message for a Compose key pivotal-gen does not support, or None."""
    if len(path) == 3 and path[0] == "services":
        where = "service"
    elif len(path) == 4 and path[0] == "services" and path[2] == "deploy":
        where = "deploy"
    else:
        return None
    instead = _COMPOSE_ONLY.get((where, str(path[-1])))
    if instead is None:
        return None
    return f"{path[-1]!r} is a Compose key pivotal-gen does not support: {instead}"


_RAW_BREAKS = re.compile("[\x7f-\x9f\u2028\u2029]")


def shown_input(path: DataPath, value: Any, message: str) -> str:
    """`, got "x"` for a message about a value, when it is safe and useful to show."""
    if any(part in _PRIVATE_PARENTS or _SECRET_NAME.search(str(part)) for part in path):
        return ""
    if isinstance(value, dict):
        return ", got a mapping"
    if isinstance(value, list):
        return ", got a list"
    text = json.dumps(value, ensure_ascii=False, default=str)
    # JSON leaves C1 controls and U+2028/2029 raw; escaped, a message stays one line.
    text = _RAW_BREAKS.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    quoted = repr(value) if isinstance(value, str) else text
    if re.search(rf"(?<![\w.]){re.escape(quoted)}(?![\w.])", message) or text in message:
        return ""  # the message already says it
    if len(text) > _SHOWN:
        text = text[: _SHOWN - 4] + '..."' if text.startswith('"') else text[:_SHOWN] + "..."
    return f", got {text}"
