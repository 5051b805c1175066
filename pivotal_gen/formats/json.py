"""JSON as generated files hold it: indented, UTF-8 as it is, one final newline."""

from __future__ import annotations

import json
from typing import Any


def to_json(data: Any, *, sort_keys: bool = False) -> bytes:
    text = json.dumps(data, indent=2, ensure_ascii=False, sort_keys=sort_keys)
    return (text + "\n").encode("utf-8")
