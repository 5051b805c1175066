"""Tests for pivotal_gen.model.fields, through pydantic: ports, volumes, names, durations, CPUs."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from pivotal_gen.model.fields import (
    CpusSpec,
    Duration,
    Port,
    PortSpec,
    PromDuration,
    ServiceName,
    Volume,
    VolumeSpec,
)

PORT: TypeAdapter[Port] = TypeAdapter(PortSpec)
VOLUME: TypeAdapter[Volume] = TypeAdapter(VolumeSpec)
SERVICE_NAME: TypeAdapter[str] = TypeAdapter(ServiceName)
DURATION: TypeAdapter[str] = TypeAdapter(Duration)
PROM_DURATION: TypeAdapter[str] = TypeAdapter(PromDuration)
CPUS: TypeAdapter[str] = TypeAdapter(CpusSpec)


def only_error(adapter: TypeAdapter[Any], value: Any) -> tuple[str, str]:
    """The type and message of the single error `value` fails with."""
    with pytest.raises(ValidationError) as info:
        adapter.validate_python(value)
    errors = info.value.errors()
    assert len(errors) == 1
    return errors[0]["type"], errors[0]["msg"]


# --- ports ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("3000", Port(target=3000)),
        (3000, Port(target=3000)),
        (" 3000 ", Port(target=3000)),
        ("80/tcp", Port(target=80)),
        ("5433:5432", Port(target=5432, published=5433)),
        ("127.0.0.1:5433:5432", Port(target=5432, published=5433, host_ip="127.0.0.1")),
        ("[::1]:80:8080", Port(target=8080, published=80, host_ip="::1")),
        ("53:53/udp", Port(target=53, published=53, protocol="udp")),
        ("0.0.0.0:53:53/udp", Port(target=53, published=53, host_ip="0.0.0.0", protocol="udp")),
        ("1", Port(target=1)),
        ("65535:65535", Port(target=65535, published=65535)),
        # The long form is accepted as is.
        ({"target": 80, "published": 8080}, Port(target=80, published=8080)),
    ],
)
def test_port_parsing(value: Any, expected: Port) -> None:
    port = PORT.validate_python(value)

    assert port == expected
    assert (port.target, port.published, port.host_ip, port.protocol) == (
        expected.target,
        expected.published,
        expected.host_ip,
        expected.protocol,
    )


@pytest.mark.parametrize(
    ("value", "bad"),
    [(70000, 70000), ("70000", 70000), ("0", 0), ("70000:80", 70000), ("1.2.3.4:80:65536", 65536)],
)
def test_port_out_of_range(value: Any, bad: int) -> None:
    assert only_error(PORT, value) == ("port_range", f"port {bad} is out of range (1-65535)")


def test_port_out_of_range_message_is_exact() -> None:
    assert only_error(PORT, 70000)[1] == "port 70000 is out of range (1-65535)"


@pytest.mark.parametrize(
    "value",
    [
        "3000-3005:3000-3005",
        "3000-3005",
        "127.0.0.1:5432",  # an IP needs a published port
        "80:80/sctp",
        "a:b",
        "",
        "::1:80:80",  # IPv6 needs brackets
        "80:80:80",
        "1.2.3:80:80",
    ],
)
def test_port_syntax_errors(value: str) -> None:
    assert only_error(PORT, value) == (
        "port_syntax",
        f"{value!r} is not a port mapping ([HOST_IP:]HOST:CONTAINER[/udp], no ranges)",
    )


@pytest.mark.parametrize("value", [True, 80.0, [80]])
def test_port_rejects_other_types(value: Any) -> None:
    with pytest.raises(ValidationError):
        PORT.validate_python(value)


def test_port_long_form_is_strict() -> None:
    error_type, _ = only_error(PORT, {"target": "80"})
    assert error_type == "int_type"
    error_type, _ = only_error(PORT, {"target": 80, "mode": "host"})
    assert error_type == "extra_forbidden"


# What Compose's parser refuses as a port's host_ip: the model refuses it at its line.
@pytest.mark.parametrize(
    "host_ip",
    ["0", "[::1]", "fe80::1%eth0", "127.000.0.1", "127.0.0.1:9", "localhost", "127.0.0.1\n"],
)
def test_port_host_ip_is_an_address_as_compose_reads_it(host_ip: str) -> None:
    error_type, message = only_error(PORT, {"target": 80, "published": 80, "host_ip": host_ip})
    assert error_type == "host_ip"
    assert message.startswith(f"{host_ip!r} is not an IP address")


@pytest.mark.parametrize("host_ip", ["", "127.0.0.1", "::1", "0:0:0:0:0:0:0:0", "::ffff:0.0.0.0"])
def test_port_host_ip_takes_what_compose_takes(host_ip: str) -> None:
    port = PORT.validate_python({"target": 80, "published": 80, "host_ip": host_ip})
    assert port.host_ip == host_ip


@pytest.mark.parametrize(
    "text",
    [
        "3000",
        "5433:5432",
        "127.0.0.1:5433:5432",
        "[::1]:80:8080",
        "[fe80::1]:80:80/udp",
        "53:53/udp",
        "53/udp",
    ],
)
def test_port_short_syntax_round_trip(text: str) -> None:
    port = PORT.validate_python(text)

    assert port.short_syntax() == text
    assert PORT.validate_python(port.short_syntax()) == port


@pytest.mark.parametrize(
    ("value", "short"),
    [(3000, "3000"), ("80/tcp", "80"), (" 80:80 ", "80:80"), ({"target": 80}, "80")],
)
def test_port_short_syntax_is_canonical(value: Any, short: str) -> None:
    assert PORT.validate_python(value).short_syntax() == short


def test_host_ip_is_never_dropped_from_short_syntax() -> None:
    try:
        port = PORT.validate_python({"target": 80, "host_ip": "127.0.0.1"})
    except ValidationError:
        return  # refusing the combination would be a fix too
    assert "127.0.0.1" in port.short_syntax()


# --- volumes ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected", "is_bind"),
    [
        ("pgdata:/var/lib/data", Volume(source="pgdata", target="/var/lib/data"), False),
        ("./x:/x", Volume(source="./x", target="/x"), True),
        ("../shared:/shared", Volume(source="../shared", target="/shared"), True),
        ("/abs:/data", Volume(source="/abs", target="/data"), True),
        ("./conf:/etc/x:ro", Volume(source="./conf", target="/etc/x", read_only=True), True),
        ("./conf:/etc/x:rw", Volume(source="./conf", target="/etc/x", read_only=False), True),
        ("cache:/c:ro", Volume(source="cache", target="/c", read_only=True), False),
        ({"source": "pgdata", "target": "/d"}, Volume(source="pgdata", target="/d"), False),
    ],
)
def test_volume_parsing(value: Any, expected: Volume, is_bind: bool) -> None:
    volume = VOLUME.validate_python(value)

    assert volume == expected
    assert volume.is_bind is is_bind


@pytest.mark.parametrize("value", ["pgdata", "a:/b:rx", "a:/b:ro:x", "a:/b:c:d", "C:\\x:/x:ro:z"])
def test_volume_syntax_errors(value: str) -> None:
    assert only_error(VOLUME, value) == (
        "volume_syntax",
        f"{value!r} is not a volume (SOURCE:TARGET[:ro], SOURCE a volume name or ./path)",
    )


def test_volume_target_must_be_an_absolute_container_path() -> None:
    assert only_error(VOLUME, "pgdata:data") == (
        "pattern",
        "'data' is not a valid container path (e.g. /var/lib/postgresql)",
    )


def test_volume_with_an_empty_source_is_refused() -> None:
    with pytest.raises(ValidationError):
        VOLUME.validate_python(":/data")


# --- service names ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["backend", "redis-cache", "a.b", "a_b", "9lives", "a", "a" * 63])
def test_service_name_accepted(name: str) -> None:
    assert SERVICE_NAME.validate_python(name) == name


@pytest.mark.parametrize(
    "name",
    ["../x", "a/b", "Backend", ".hidden", "", "-dash", "_under", "a b", "a" * 64, "x\n", "..", "/"],
)
def test_service_name_rejected(name: str) -> None:
    assert only_error(SERVICE_NAME, name) == (
        "pattern",
        f"{name!r} is not a valid service name (e.g. backend, redis-cache)",
    )


# --- durations --------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["10s", "1m30s", "500ms", "1h", "1.5h", "250us", "2h45m10s"])
def test_duration_accepted(value: str) -> None:
    assert DURATION.validate_python(value) == value


@pytest.mark.parametrize("value", ["10", "10x", "s", "", "10 s", "-1s", "1d", "1.s"])
def test_duration_rejected(value: str) -> None:
    assert only_error(DURATION, value) == (
        "pattern",
        f"{value!r} is not a valid duration (e.g. 10s, 1m30s)",
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [(10, "10 needs a unit (e.g. 10s)"), (1.5, "1.5 needs a unit (e.g. 1.5s)")],
)
def test_duration_number_needs_a_unit(value: float, message: str) -> None:
    assert only_error(DURATION, value) == ("duration_unit", message)


def test_duration_is_not_a_boolean() -> None:
    assert only_error(DURATION, True)[0] == "string_type"


# The limits of Go's time.Duration, where Compose (and Prometheus) refuse a value;
# the property tests found the spec accepting 10000000000000000us.
@pytest.mark.parametrize("value", ["2562047h", "9223372036854775us", "1s1s"])
def test_duration_within_go_range_accepted(value: str) -> None:
    assert DURATION.validate_python(value) == value


@pytest.mark.parametrize("value", ["2562048h", "9223372036854776us", "10000000000000000us"])
def test_duration_beyond_go_range_rejected(value: str) -> None:
    assert only_error(DURATION, value) == (
        "duration_range",
        f"{value!r} is out of range (at most 292 years)",
    )


@pytest.mark.parametrize("value", ["30s", "1h30m", "500ms", "0s", "1y2w3d4h5m6s7ms", "292y"])
def test_prom_duration_accepted(value: str) -> None:
    assert PROM_DURATION.validate_python(value) == value


# Prometheus's model.ParseDuration takes each unit once, largest first; the
# property tests found the spec accepting 0ms0ms, which promtool refuses.
@pytest.mark.parametrize("value", ["30s1m", "0ms0ms", "1s1s", "1.5m", "", "1"])
def test_prom_duration_rejected(value: str) -> None:
    assert only_error(PROM_DURATION, value) == (
        "pattern",
        f"{value!r} is not a valid Prometheus duration (e.g. 30s, 1m, 1h30m)",
    )


@pytest.mark.parametrize("value", ["293y", "9223372036855ms"])
def test_prom_duration_beyond_range_rejected(value: str) -> None:
    assert only_error(PROM_DURATION, value)[0] == "duration_range"


# --- CPUs -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0.5, "0.5"), ("2", "2"), (2, "2"), ("0.25", "0.25"), (1.0, "1.0")],
)
def test_cpus_accepted_and_kept_as_text(value: Any, expected: str) -> None:
    assert CPUS.validate_python(value) == expected


@pytest.mark.parametrize("value", ["abc", "-1", "0.5.1", ""])
def test_cpus_rejected(value: str) -> None:
    assert only_error(CPUS, value) == (
        "pattern",
        f"{value!r} is not a valid CPU count (e.g. '0.5')",
    )


def test_cpus_is_not_a_boolean() -> None:
    assert only_error(CPUS, True)[0] == "string_type"


@pytest.mark.parametrize("target", ["/data/", "//data", "/a/./b", "/a/../b"])
def test_a_volume_target_is_written_as_compose_reads_it_back(target: str) -> None:
    """Compose cleans the target (`/data/` is `/data`): the spec says it the same way."""
    assert only_error(VOLUME, f"pgdata:{target}") == (
        "pattern",
        f"{target!r} is not a valid container path (e.g. /var/lib/postgresql)",
    )
