"""A spec file as plain data, with the source position of every key and value.

reader.py builds the data from libyaml's events. Positions are only needed for
messages (errors, explain) and cost more than the data, so a document is built
without them, and the same text is read again, recording them, when first asked.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pivotal_gen.errors import Location, PivotalError
from pivotal_gen.layout import MAX_INPUT_BYTES
from pivotal_gen.source.paths import DataPath
from pivotal_gen.source.reader import NODE_BUDGET, NeedsPositions, Positions, read
from pivotal_gen.source.yaml_errors import position

__all__ = ["NODE_BUDGET", "Document", "Positions", "load_document", "parse_document"]

# Line breaks in YAML 1.1, ordinary characters in YAML 1.2 and JSON. libyaml still
# breaks lines at them (it would end a comment at LS), and readers disagree on
# them, so the spec refuses them raw.
_LEGACY_BREAK = re.compile("[\x85\u2028\u2029]")


class Document:
    """Plain data with the positions of its values and mapping keys.

    Positions are worked out when first asked for (`positions` says how): only
    errors and explain need them, and for a large spec they cost more time and
    memory than the data itself.
    """

    def __init__(
        self,
        data: Any,
        values: dict[DataPath, Location] | None = None,
        keys: dict[DataPath, Location] | None = None,
        *,
        positions: Callable[[], Positions] | None = None,
    ) -> None:
        self.data = data
        self._positions = positions
        if positions is None:
            self._values, self._keys = values or {}, keys or {}

    @property
    def values(self) -> dict[DataPath, Location]:
        return self._located()[0]

    @property
    def keys(self) -> dict[DataPath, Location]:
        return self._located()[1]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Document):
            return NotImplemented
        return (self.data, self.values, self.keys) == (other.data, other.values, other.keys)

    __hash__ = None  # type: ignore[assignment]  # mutable, like the dataclass it was

    def _located(self) -> Positions:
        if self._positions is not None:
            self._values, self._keys = self._positions()
            self._positions = None
        return self._values, self._keys

    def locate(self, path: DataPath, *, key: bool = False) -> Location | None:
        """The position of `path`, or of its nearest ancestor that has one."""
        if key and path in self.keys:
            return self.keys[path]
        for end in range(len(path), -1, -1):
            found = self.values.get(path[:end])
            if found is not None:
                return found
        return None


def load_document(path: Path) -> Document:
    """Load one YAML file; an empty file is an empty document (data None)."""
    name = str(path)
    try:
        # Non-blocking, so that opening a FIFO returns at once; fstat then refuses it.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        raise PivotalError(f"{name}: cannot read: {exc.strerror}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise PivotalError(f"{name}: {_kind(info.st_mode)}, not a regular file")
        if info.st_size > MAX_INPUT_BYTES:
            raise PivotalError(f"{name}: larger than {MAX_INPUT_BYTES >> 20} MiB")
        with os.fdopen(os.dup(fd), "rb") as handle:
            raw = handle.read(MAX_INPUT_BYTES + 1)  # it may have grown since fstat
    except OSError as exc:
        raise PivotalError(f"{name}: cannot read: {exc.strerror}") from None
    finally:
        os.close(fd)
    if len(raw) > MAX_INPUT_BYTES:
        raise PivotalError(f"{name}: larger than {MAX_INPUT_BYTES >> 20} MiB")
    return parse_document(raw, name)


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a device"


def parse_document(raw: bytes, name: str) -> Document:
    text = _decode(raw, name)
    legacy = _LEGACY_BREAK.search(text)
    if legacy:
        point = f"{ord(legacy.group()):04X}"
        raise PivotalError(
            f"U+{point} is a line break to some YAML readers and text to others; "
            f"write it as \\u{point} in a double-quoted string",
            position(name, text, legacy.start()),
        )
    try:
        data, _ = read(text, name, record=False)
    except NeedsPositions:  # only a reading with positions can say what is wrong
        data, positions = read(text, name, record=True)
        return Document(data, *(positions or ({}, {})))
    return Document(data, positions=lambda: _positions(text, name))


def _positions(text: str, name: str) -> Positions:
    positions = read(text, name, record=True)[1]
    return positions or ({}, {})


def _decode(raw: bytes, name: str) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        # Columns count characters, as everywhere else; the file is valid up to here.
        before = raw[: exc.start].decode("utf-8").removeprefix("\ufeff")
        raise PivotalError("file is not valid UTF-8", position(name, before, len(before))) from None
    return text.removeprefix("\ufeff")
