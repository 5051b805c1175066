"""Alertmanager configs for the Alertmanager that Debian ships (0.25), which the tests run.

The rendered alertmanager.yml is for the image the stack runs (0.27 or newer). One field
it may use is newer than 0.25: a webhook's `url_file` (0.26). The tests stand it in with
`url` and say so; every other field is checked as rendered.

The service's entrypoint script checks its secrets and starts the image's program; run
outside the container, both paths are stood in (stand_in_entrypoint).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

URL_FILE_STAND_IN = "http://url-file.stand-in.invalid/"


def stand_in_url_files(config: dict[str, Any], url: str = URL_FILE_STAND_IN) -> list[str]:
    """Replace every webhook's `url_file` by `url` (in place); the files it pointed at."""
    replaced = []
    for receiver in config.get("receivers", []):
        for hook in receiver.get("webhook_configs", []):
            if "url_file" in hook:
                replaced.append(hook.pop("url_file"))
                hook["url"] = url
    return replaced


SECRETS_IN_CONTAINER = "/run/secrets/"
STARTS_PROGRAM = "exec /bin/alertmanager "


def stand_in_entrypoint(script: str, secrets: Path, program: str) -> str:
    """The entrypoint script with the container's secrets folder stood in by `secrets`
    and the image's /bin/alertmanager, which it execs, by `program`; each must be there."""
    for old, new in ((SECRETS_IN_CONTAINER, f"{secrets}/"), (STARTS_PROGRAM, f"exec {program} ")):
        assert old in script, (old, script)
        script = script.replace(old, new)
    return script
