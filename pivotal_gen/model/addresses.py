"""The address a published port binds to on the host (`ports[].host_ip`)."""

from __future__ import annotations

import ipaddress
from typing import Annotated

from pydantic import AfterValidator
from pydantic_core import PydanticCustomError


def _address(value: str) -> str:
    """Compose binds to an IP address written plain (no brackets, no `%zone`: it refuses
    the file otherwise); "" binds every interface, as Docker does."""
    if value == "":
        return value
    try:
        if "%" in value:
            raise ValueError(value)
        ipaddress.ip_address(value)
    except ValueError:
        raise PydanticCustomError(
            "host_ip",
            '{value} is not an IP address (e.g. 127.0.0.1, ::1; "" for every interface)',
            {"value": repr(value)},
        ) from None
    return value


HostIp = Annotated[str, AfterValidator(_address)]
