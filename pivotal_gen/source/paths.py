"""Paths into a spec's data, and how they are written in messages and read by explain."""

from __future__ import annotations

import json
import re
from typing import Any

# A path into the data: mapping keys and sequence indices from the root.
DataPath = tuple[str | int, ...]
# What a check says about the data: where (located later, in the merged document) and what.
Finding = tuple[DataPath, str]

_PLAIN_KEY = re.compile(r"[^.\[\]\"'\s]+")


def format_path(path: DataPath) -> str:
    """`services.backend.ports[0]`; a key with dots or spaces as `files["/a/b.sql"]`,
    the form `explain` reads back."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        elif not (_PLAIN_KEY.fullmatch(part) and part.isprintable()):
            # Escaped where not printable: a raw line break would split the message.
            text += f"[{json.dumps(part, ensure_ascii=not part.isprintable())}]"
        else:
            text += f".{part}" if text else part
    return text or "(top level)"


def walk(data: Any, path: DataPath) -> tuple[DataPath, Any]:
    """The longest leading part of `path` that exists in `data`, and the value there."""
    for end, part in enumerate(path):
        if isinstance(data, dict) and isinstance(part, str) and part in data:
            data = data[part]
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
        else:
            return path[:end], data
    return path, data


def present_prefix(data: Any, path: DataPath) -> DataPath:
    """The longest leading part of `path` that exists in `data`."""
    return walk(data, path)[0]
