"""Read a log as the GitHub Actions runner does: which workflow commands would it act on?

A simplified copy of the runner's rules (actions/runner, ActionCommand.cs and
ActionCommandManager.cs): a line is a command when it starts with `::` after
leading spaces, or (the legacy form) holds `##[` anywhere; `::stop-commands::TOKEN`
ignores every command until the line `::TOKEN::`. Properties and data are unescaped.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Command:
    name: str
    properties: dict[str, str] = field(default_factory=dict)
    data: str = ""


def runner_commands(log: str) -> list[Command]:
    """The commands the runner acts on, in order; stop-commands and its resume are left out."""
    acted: list[Command] = []
    stop_token: str | None = None
    for line in log.splitlines():
        text = line.lstrip()
        if stop_token is not None:
            if text.startswith(f"::{stop_token}::"):
                stop_token = None
            continue
        if text.startswith("::") and "::" in text[2:]:
            info, data = text[2:].split("::", 1)
            name, _, listed = info.partition(" ")
            properties = dict(p.split("=", 1) for p in listed.split(",")) if listed else {}
            if name == "stop-commands":
                stop_token = data
                continue
            unescaped = {key: _unescape_property(value) for key, value in properties.items()}
            acted.append(Command(name, unescaped, _unescape_data(data)))
        elif "##[" in line:
            acted.append(Command("legacy", {}, line))
    return acted


def _unescape_data(text: str) -> str:
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def _unescape_property(text: str) -> str:
    return _unescape_data(text.replace("%3A", ":").replace("%2C", ","))
