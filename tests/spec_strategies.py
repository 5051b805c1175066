"""Hypothesis strategies: small valid specs, and what each one means.

A drawn `Example` holds the spec as JSON-ready data and, independently of
pivotal-gen's code, what the spec says: each service's environment as the
container must see it, its published ports and its dependencies. The
property tests compare the rendered files against these expectations.

The specs stay within the model's rules (model/spec.py, model/fields.py, checks/cross.py), so
that every example is valid; a rule the strategies break shows up as a
PivotalError, naming the rule, not as a silently skipped example. They also
follow the policy rules that run outside production: every service has a
pinned image and a non-root `user:`, every long-running one a healthcheck, and
a Grafana service takes its admin password from a file.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from hypothesis import strategies as st

from pivotal_gen.model.fields import prom_milliseconds
from tests.test_values_roundtrip import HOSTILE

# The model's patterns (model/fields.py), restated: a drift between the two fails
# the properties with the model's message.
SERVICE_NAMES = st.from_regex(r"[a-z0-9][a-z0-9_.-]{0,62}", fullmatch=True)
PROJECT_NAMES = st.from_regex(r"[a-z0-9][a-z0-9_-]{0,62}", fullmatch=True)
NETWORK_NAMES = st.from_regex(r"[a-zA-Z0-9][a-zA-Z0-9_.-]{0,30}", fullmatch=True)
# Names under which checks/cross.py refuses a literal value (checks/cross.py).
_SECRET_LIKE = re.compile(r"PASSWORD|PASSWD|SECRET|TOKEN|API_KEY|PRIVATE_KEY", re.IGNORECASE)
ENV_NAMES = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,15}", fullmatch=True).filter(
    lambda name: not _SECRET_LIKE.search(name)
)
# Durations as model/fields.py allows them: Prometheus's each unit once, largest first;
# Compose's (Go's) in any order. Both within Go's time.Duration (about 292 years).
PROM_DURATIONS = st.from_regex(
    r"(?=[0-9])([0-9]{1,3}y)?([0-9]+w)?([0-9]+d)?([0-9]+h)?([0-9]+m)?([0-9]+s)?([0-9]+ms)?",
    fullmatch=True,
).filter(lambda duration: prom_milliseconds(duration) <= (2**63 - 1) // 10**6)
COMPOSE_DURATIONS = st.from_regex(r"([0-9]{1,5}(\.[0-9]+)?(us|ms|s|m|h)){1,4}", fullmatch=True)
# evaluation_interval also sets how many steps promtool's rule tests take: keep it sane.
EVALUATION_INTERVALS = st.builds(
    lambda number, unit: f"{number}{unit}", st.integers(1, 120), st.sampled_from(["s", "m"])
)
# Any character a UTF-8 file can hold, control characters included.
TEXT = st.text(st.characters(codec="utf-8"), max_size=12)
LAYERS = ("infrastructure", "application", "job")
LOOPBACK = "127.0.0.1"

# Characters YAML does not allow raw in a file, and YAML 1.1's line breaks that
# the spec refuses raw (source/document.py): the JSON spec writes them as \u escapes,
# which JSON and YAML read alike.
_RAW_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufffe\uffff]")


def spec_text(spec: dict[str, Any]) -> str:
    """The spec as JSON, which is YAML: no YAML quoting decision of ours is in question."""
    text = json.dumps(spec, ensure_ascii=False, indent=1, allow_nan=False)
    return _RAW_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


@dataclass(frozen=True)
class ExpectedPort:
    """A port as Compose's `config --format json` lists it."""

    target: int
    published: str | None
    host_ip: str | None
    protocol: str

    @classmethod
    def from_compose(cls, port: dict[str, Any]) -> ExpectedPort:
        return cls(port["target"], port.get("published"), port.get("host_ip"), port["protocol"])


@dataclass
class Example:
    spec: dict[str, Any]
    layers: dict[str, str] = field(default_factory=dict)  # service -> layer, in spec order
    environment: dict[str, dict[str, str]] = field(default_factory=dict)  # as the container sees
    ports: dict[str, list[ExpectedPort]] = field(default_factory=dict)
    depends_on: dict[str, dict[str, str]] = field(default_factory=dict)  # name -> condition
    jobs: list[str] = field(default_factory=list)  # scrape job names, in spec order

    @property
    def has_prometheus(self) -> bool:
        return "monitoring" in self.spec


@st.composite
def dollar_escaped(draw: st.DrawFn, intended: str) -> str:
    """`intended` as a spec string: `$$` for each literal `$`, or a lone `$` where
    nothing could be read as a reference (docs/spec.md: any other `$` is literal too)."""
    out = []
    for index, char in enumerate(intended):
        after = intended[index + 1 : index + 2]
        lone_is_literal = not re.fullmatch(r"[A-Za-z_{$]", after)
        if char == "$" and not (lone_is_literal and draw(st.booleans())):
            out.append("$$")
        else:
            out.append(char)
    return "".join(out)


# Beyond test_values_roundtrip's list: YAML 1.1's extra line breaks, a lone CR,
# controls, a BOM, an astral character, escapes that are text.
MORE_HOSTILE = [
    "x\x85y", "x\u2028y", "\u2029", "a\rb", "\r\n", "\x00", "\x1b[0m", "\ufeff", "\x7f",
    "\U0001f600", "\\u2028", "\\", "\\n", "\"\\\"", "=", "<<", "?", ",", "!", "-", "--- x", "...",
]  # fmt: skip
HOSTILE_VALUES = st.sampled_from([*HOSTILE, *MORE_HOSTILE])
# Hypothesis favours the first entries of a list; dollars get a kind of their
# own, so that most examples hold a `$` that Compose would otherwise expand.
DOLLARS = st.lists(
    st.sampled_from(["$", "$$", "${A}", "$HOME", "${", "}", "{", "$1", "x", " ", "$-", "$é"]),
    min_size=1,
    max_size=4,
).map("".join)
_HOSTILE_MIX = st.lists(st.one_of(HOSTILE_VALUES, TEXT), min_size=1, max_size=3).map("".join)


@st.composite
def env_values(draw: st.DrawFn) -> tuple[Any, str]:
    """(the value written in the spec, the value the container must get)."""
    kind = draw(st.sampled_from(["dollars", "hostile", "text", "mix", "int", "bool", "float"]))
    if kind in ("int", "bool", "float"):
        number: Any = draw(
            st.integers()
            if kind == "int"
            else st.booleans()
            if kind == "bool"
            # Written d.d: `1e+16` and `1e-05` are refused (YAML 1.2 readers make numbers of
            # them, we would keep the text; test_reader.py), so a user quotes them.
            else st.floats(min_value=-1e15, max_value=1e15).filter(
                lambda f: f == 0 or abs(f) >= 1e-4
            )
        )
        return number, json.dumps(number)  # the value as the user wrote it
    strategy = {"dollars": DOLLARS, "hostile": HOSTILE_VALUES, "text": TEXT, "mix": _HOSTILE_MIX}
    intended = draw(strategy[kind])
    return draw(dollar_escaped(intended)), intended


@dataclass
class _Drawn:
    """A service as drawn, before it becomes spec data."""

    name: str
    layer: str
    has_http: bool
    listens_on: list[int]
    healthcheck: bool


@st.composite
def _ports(
    draw: st.DrawFn, used: set[int], http_port: int | None
) -> tuple[list[Any], list[ExpectedPort]]:
    written: list[Any] = []
    expected: list[ExpectedPort] = []
    for _ in range(draw(st.integers(0, 2))):
        target = draw(st.integers(1, 65535))
        protocol = draw(st.sampled_from(["tcp", "udp"]))
        published: int | None = None
        if draw(st.booleans()):
            published = draw(st.integers(1, 65535).filter(lambda p: p not in used))
            used.add(published)
        host_ip = LOOPBACK if published is not None and draw(st.booleans()) else None
        form = draw(st.sampled_from(["short", "long", "int"]))
        if form == "int" and published is None and protocol == "tcp":
            written.append(target)
        elif form == "short" or (form == "int"):
            text = f"{target}" if published is None else f"{published}:{target}"
            text = f"{host_ip}:{text}" if host_ip else text
            written.append(text if protocol == "tcp" else f"{text}/{protocol}")
        else:
            long: dict[str, Any] = {"target": target}
            if http_port is not None and draw(st.booleans()):
                del long["target"]  # defaults to http.port
                target = http_port
            if published is not None:
                long["published"] = published
            if host_ip is not None:
                long["host_ip"] = host_ip
            if protocol != "tcp" or draw(st.booleans()):
                long["protocol"] = protocol
            written.append(long)
        expected.append(
            ExpectedPort(target, None if published is None else str(published), host_ip, protocol)
        )
    return written, expected


_CONDITIONS = ("service_started", "service_healthy", "service_completed_successfully")


@st.composite
def _depends_on(draw: st.DrawFn, layer: str, earlier: list[_Drawn]) -> tuple[Any, dict[str, str]]:
    """Dependencies on earlier services only (so no cycles), as checks/cross.py allows them."""
    allowed = [d for d in earlier if layer != "infrastructure" or d.layer == "infrastructure"]
    if not allowed:
        return None, {}
    chosen = draw(st.lists(st.sampled_from(allowed), unique_by=lambda d: d.name, max_size=3))
    if not chosen:
        return None, {}
    conditions: dict[str, str] = {}
    for target in chosen:
        possible = ["service_started"]
        if target.healthcheck:
            possible.append("service_healthy")
        if target.layer == "job":
            possible.append("service_completed_successfully")
        conditions[target.name] = draw(st.sampled_from(possible))
    if all(c == "service_started" for c in conditions.values()) and draw(st.booleans()):
        return list(conditions), conditions  # the list form
    written: dict[str, Any] = {}
    for name, condition in conditions.items():
        entry: dict[str, Any] = {"condition": condition}
        if draw(st.booleans()):
            entry["restart"] = draw(st.booleans())
        written[name] = entry
    return written, conditions


_HEALTH_TESTS = st.sampled_from(
    [["CMD", "true"], ["CMD-SHELL", "test -e /tmp || exit 1"], "exit 0", ["CMD", "echo", "a: b"]]
)
_USERS = st.sampled_from(["1000:1000", "65534", "nobody", "app:app"])


@st.composite
def examples(draw: st.DrawFn) -> Example:
    """A valid spec of 1-6 services, and what it says."""
    names = draw(st.lists(SERVICE_NAMES, min_size=1, max_size=6, unique=True))
    example = Example(spec={})
    services: dict[str, Any] = {}
    drawn: list[_Drawn] = []
    used_ports: set[int] = set()
    for name in names:
        layer = draw(st.sampled_from(LAYERS))
        service: dict[str, Any] = {"layer": layer, "image": "busybox:1.37"}
        http_port: int | None = None
        if draw(st.booleans()):
            http_port = draw(st.integers(1, 65535))
            health = draw(st.from_regex(r"/[a-z0-9/_.-]{0,12}", fullmatch=True))
            service["http"] = {"port": http_port, "health": health}
        ports, expected_ports = draw(_ports(used_ports, http_port))
        if ports:
            service["ports"] = ports
        expose = draw(st.lists(st.integers(1, 65535), max_size=2, unique=True))
        if expose:
            service["expose"] = expose
        long_running = layer != "job"
        healthcheck = long_running or draw(st.booleans())
        if healthcheck:
            check: dict[str, Any] = {}
            if http_port is None or draw(st.booleans()):
                check["test"] = draw(_HEALTH_TESTS)
            if draw(st.booleans()):
                check["interval"] = draw(COMPOSE_DURATIONS)
            service["healthcheck"] = check
        service["user"] = draw(_USERS)  # the non-root rule: every container, jobs too
        if layer == "job" and draw(st.booleans()):
            service["restart"] = "no"
        elif long_running and draw(st.booleans()):
            service["restart"] = draw(st.sampled_from(["always", "on-failure", "unless-stopped"]))
        environment = draw(st.dictionaries(ENV_NAMES, env_values(), max_size=5))
        if environment:
            service["environment"] = {key: written for key, (written, _) in environment.items()}
        written_deps, conditions = draw(_depends_on(layer, drawn))
        if written_deps is not None:
            service["depends_on"] = written_deps
        listens_on = list(
            dict.fromkeys(
                [*([http_port] if http_port else []), *(p.target for p in expected_ports), *expose]
            )
        )
        if draw(st.booleans()) and listens_on:
            service["metrics"] = draw(_metrics(listens_on, len(drawn)))
            example.jobs.append(service["metrics"].get("job", name))
        services[name] = service
        drawn.append(_Drawn(name, layer, http_port is not None, listens_on, healthcheck))
        example.layers[name] = layer
        example.environment[name] = {key: intended for key, (_, intended) in environment.items()}
        example.ports[name] = expected_ports
        example.depends_on[name] = conditions

    spec: dict[str, Any] = {"project": draw(PROJECT_NAMES)}
    if draw(st.booleans()):
        spec["network"] = draw(NETWORK_NAMES)
    spec["services"] = services
    servers = [d.name for d in drawn if d.listens_on]
    if draw(st.integers(0, 3)) < 3 and servers:  # mostly with Prometheus
        monitoring: dict[str, Any] = {
            "prometheus": draw(st.sampled_from(servers)),
            "runbook_url": "https://runbooks.example/alerts#{alert}",
        }
        if draw(st.booleans()):
            grafana = monitoring["grafana"] = draw(st.sampled_from(names))
            # The grafana-admin-password rule: the password from a file, never the default.
            secret_file = {"GF_SECURITY_ADMIN_PASSWORD__FILE": "/run/secrets/grafana-admin"}
            services[grafana]["environment"] = {
                **services[grafana].get("environment", {}),
                **secret_file,
            }
            example.environment[grafana] = {**example.environment[grafana], **secret_file}
        if draw(st.booleans()):
            monitoring["scrape_interval"] = draw(PROM_DURATIONS)
        if draw(st.booleans()):
            monitoring["evaluation_interval"] = draw(EVALUATION_INTERVALS)
        spec["monitoring"] = monitoring
    example.spec = spec
    return example


@st.composite
def _metrics(draw: st.DrawFn, listens_on: list[int], index: int) -> dict[str, Any]:
    metrics: dict[str, Any] = {}
    if draw(st.booleans()):
        metrics["job"] = f"Job{index}"  # upper case: never another service's name
    if draw(st.booleans()):
        metrics["kind"] = draw(
            st.sampled_from(["node", "postgres", "redis", "prometheus", "grafana", "generic"])
        )
    if draw(st.booleans()):
        metrics["path"] = draw(st.from_regex(r"/[a-z0-9/_.-]{0,12}", fullmatch=True))
    if draw(st.booleans()):
        metrics["port"] = draw(st.sampled_from(listens_on))
    if draw(st.booleans()):
        metrics["interval"] = draw(PROM_DURATIONS)
    return metrics
