"""What a profile removes (`key: null`), and where: an error a removal causes shows up at
the spec's line that now lacks it, so the message points back at the removal too."""

from __future__ import annotations

from typing import Any

from pivotal_gen.errors import Location
from pivotal_gen.source.document import Document
from pivotal_gen.source.paths import DataPath


def removals(profile: Document) -> list[tuple[DataPath, Location]]:
    """Each path the profile sets to null, with the position of its key."""
    found: list[tuple[DataPath, Location]] = []

    def walk(data: Any, path: DataPath) -> None:
        if not isinstance(data, dict):
            return
        for key, value in data.items():
            child = (*path, key)
            if value is None:
                where = profile.locate(child, key=True)
                if where is not None:
                    found.append((child, where))
            else:
                walk(value, child)

    walk(profile.data, ())
    return found


def concerns(removed: DataPath, message: str) -> bool:
    """Whether a message names what a removal took from: the entry it belongs to
    (`services.postgres` for `services.postgres.healthcheck`) or the removed key."""
    subject = "." + message.split(": ", 1)[0] + "."  # the path the message starts with
    names = [part for part in removed[1:] if isinstance(part, str)]
    return any(f"'{name}'" in message or f".{name}." in subject for name in names)
