"""The address a published port binds to on the host (`ports[].host_ip`), and that
address as Docker reads it, for the rules and the scripts to look at."""

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

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def bound_address(host_ip: str | None) -> Address | None:
    """The address Docker binds (a HostIp: the model has checked it is one), an
    IPv4-mapped IPv6 address as its IPv4 one; None for every interface, however written
    (unset, "", `0.0.0.0`, `::`, `::0`, `::ffff:0.0.0.0`)."""
    if not host_ip:
        return None
    address = ipaddress.ip_address(host_ip)
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return None if address.is_unspecified else address
