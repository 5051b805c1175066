"""Where a service's output goes: Compose's `logging`, bounded by default.

Docker's default driver (json-file without options) keeps every line a container
ever printed, until the disk is full. The spec's default rotates instead:
json-file (so `docker logs` and log shippers that tail Docker's JSON files keep
working) with at most `max-file` files of `max-size` each per container.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from pivotal_gen.model.fields import CONTROL, StrictModel, text_pattern

# json-file, local, syslog, journald...; a plugin is `owner/name:tag`.
DriverName = Annotated[
    str, text_pattern(r"[a-z0-9][a-z0-9._/:-]*", "logging driver", "json-file, local")
]
OptionName = Annotated[
    str, text_pattern(r"[a-zA-Z0-9][a-zA-Z0-9_.-]*", "logging option", "max-size")
]
# One line of ordinary text: Docker passes options to the driver as strings.
OptionValue = Annotated[
    str, text_pattern(rf"[^{CONTROL}]*", "logging option value (one line)", "10m")
]


class Logging(StrictModel):
    """A service's logging driver and its options, as Compose writes them."""

    driver: DriverName = Field(description="The Docker logging driver.")
    options: dict[OptionName, OptionValue] = Field(
        default_factory=dict,
        description="The driver's options, as strings (max-size, max-file for json-file "
        "and local).",
    )


ROTATING = Logging(driver="json-file", options={"max-size": "10m", "max-file": "5"})
