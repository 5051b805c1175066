"""Values as Compose and Docker read them, for rules to look at.

A rule that compares the text as written is bypassed by a spelling Compose treats the
same: `host_ip: ""` or `::0` for all interfaces, `user: "00"` for root, `cpus: "0"` for
no limit, `${TAG}` whose default is `latest`. Rules look through these instead.
"""

from __future__ import annotations

import posixpath
import re

from pivotal_gen.model import interpolation
from pivotal_gen.model.addresses import Address, bound_address
from pivotal_gen.model.spec import Spec
from pivotal_gen.model.variables import env_text

# Docker reads a user or group that parses as an integer (Go's Atoi) as a numeric id.
_NUMERIC_ID = re.compile(r"[+-]?[0-9]+", re.ASCII)
# The Docker daemon's API socket: mounting it hands the container the host.
DOCKER_SOCKETS = ("/var/run/docker.sock", "/run/docker.sock")


def resolved(spec: Spec, text: str, *, unset: str | None = None) -> str | None:
    """`text` as Compose expands it when `.env` leaves every variable at its default;
    None when it depends on a variable the deployer must set (or cannot be parsed).
    With `unset`, such a variable reads as the value .env.example gives it (its default),
    or as `unset` where it has none."""
    try:
        pieces = interpolation.parse(text)
    except interpolation.InterpolationError:
        return None  # reported as an interpolation error
    out: list[str] = []
    for piece in pieces:
        if isinstance(piece, str):
            out.append(piece)
            continue
        variable = spec.variables.get(piece.name)
        if variable is None or variable.default is None:
            if unset is None:
                return None
            out.append(unset)
        elif variable.must_be_set and unset is None:
            return None
        else:
            out.append(env_text(variable.default))
    return "".join(out)


def is_root(user: str) -> bool:
    """Whether `user` (`USER[:GROUP]`) runs as root: the name `root`, or uid 0 however
    written (`0`, `00`, `+0`)."""
    name = user.split(":", 1)[0]
    return name == "root" or (_NUMERIC_ID.fullmatch(name) is not None and int(name) == 0)


def address_problem(host_ip: str | None) -> str | None:
    """Why publishing on `host_ip` exposes a port beyond this host or a private network,
    or None for a loopback address or one specific private interface."""
    return _problem(host_ip, bound_address(host_ip))


def beyond_loopback(host_ip: str | None) -> str | None:
    """Why publishing on `host_ip` reaches beyond this host, or None for a loopback
    address (however written: `127.0.0.2`, `::1`, `::ffff:127.0.0.1`)."""
    address = bound_address(host_ip)
    problem = _problem(host_ip, address)
    if problem is not None or address is None:
        return problem
    return None if address.is_loopback else f"on {host_ip}"


def _problem(host_ip: str | None, address: Address | None) -> str | None:
    if address is None:
        return f"on all interfaces ({host_ip})" if host_ip else "on all interfaces"
    if address.is_loopback or address.is_private:
        return None
    return f"on the public address {host_ip}"


def zero_limit(value: str | None) -> bool:
    """Whether a `cpus` or `memory` limit is absent or zero, which Compose drops."""
    if value is None:
        return True
    number = re.match(r"[0-9]*(?:\.[0-9]*)?", value)
    digits = number.group(0) if number else ""
    return not digits.strip(".") or float(digits) == 0


def outside(source: str) -> bool:
    """Whether a bind mount's source (relative to the spec's folder) leads out of it,
    read lexically, as Compose joins it: never against the working directory."""
    if posixpath.isabs(source):
        return True
    normal = posixpath.normpath(source)
    return normal == ".." or normal.startswith("../")
