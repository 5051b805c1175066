"""ruamel.yaml's scalar writers, ported, for the rare line that reaches the width.

ruamel folds a plain, single- or double-quoted scalar, and breaks a flow list,
once the column passes the width (1 << 16 for to_yaml). yaml_emitter.py writes every
line that stays under the width itself; a line that would not is written here
by a port of Emitter.write_plain, write_single_quoted, write_double_quoted and
the flow sequence states, with the emitter state they read (column, indent,
whether the last character was whitespace or indentation). Kept close to the
original, line for line, so that the two can be compared.

Left out because they cannot happen here: the root context (to_yaml writes a
mapping or a sequence), `no_newline` (only set for comments, tags and dash
offsets we do not use), and line breaks inside plain or single-quoted scalars
(strings with breaks are always double-quoted).
"""

from __future__ import annotations

import contextlib

from pivotal_gen.formats.yaml_scalars import escaped


class LineWriter:
    """What the emitter writes on from a position, with the state ruamel's writers keep."""

    def __init__(
        self, width: int, column: int, indent: int | None, whitespace: bool = False
    ) -> None:
        self.width = width
        self.parts: list[str] = []
        self.column = column
        self.indent = indent
        self.whitespace = whitespace
        self.indention = False

    def text(self) -> str:
        return "".join(self.parts)

    def write(self, data: str) -> None:
        self.column += len(data)
        self.parts.append(data)

    def write_indicator(
        self, indicator: str, need_whitespace: bool, whitespace: bool = False
    ) -> None:
        data = indicator if self.whitespace or not need_whitespace else " " + indicator
        self.whitespace = whitespace
        self.indention = False  # no indicator written here asks for indention
        self.write(data)

    def write_indent(self) -> None:
        indent = self.indent or 0
        if (
            not self.indention
            or self.column > indent
            or (self.column == indent and not self.whitespace)
        ):
            self.whitespace = self.indention = True
            self.column = 0
            self.parts.append("\n")
        if self.column < indent:
            self.whitespace = True
            self.write(" " * (indent - self.column))

    def flow_list(self, items: list[tuple[str, str]]) -> None:
        """expect_flow_sequence and its item states, for (style, value) items."""
        list_indent = self.indent
        self.write_indicator("[", True, whitespace=True)
        for index, (style, value) in enumerate(items):
            if index:
                self.write_indicator(",", False)
            if self.column > self.width:
                self.write_indent()
            # increase_indent for a scalar in a sequence: 4 deeper, none at the top level.
            self.indent = None if list_indent is None else list_indent + 4
            self.scalar(style, value)
            self.indent = list_indent
        self.write_indicator("]", False)

    def scalar(self, style: str, value: str, split: bool = True) -> None:
        if style == '"':
            self.write_double_quoted(value, split)
        elif style == "'":
            self.write_single_quoted(value, split)
        else:
            self.write_plain(value, split)

    def write_plain(self, text: str, split: bool) -> None:
        if not text:
            return
        if not self.whitespace:
            self.write(" ")
        self.whitespace = self.indention = False
        spaces = False
        start = end = 0
        while end <= len(text):
            ch = text[end] if end < len(text) else None
            if spaces:
                if ch != " ":
                    if start + 1 == end and self.column >= self.width and split:
                        self.write_indent()
                        self.whitespace = self.indention = False
                    else:
                        self.write(text[start:end])
                    start = end
            elif ch is None or ch == " ":
                data = text[start:end]
                if (
                    len(data) + self.column > self.width
                    and self.indent is not None
                    and self.column > self.indent
                ):
                    self.write_indent()  # words longer than the width get a line of their own
                self.write(data)
                start = end
            if ch is not None:
                spaces = ch == " "
            end += 1

    def write_single_quoted(self, text: str, split: bool) -> None:
        self.write_indicator("'", True)
        spaces = False
        start = end = 0
        while end <= len(text):
            ch = text[end] if end < len(text) else None
            if spaces:
                if ch is None or ch != " ":
                    if (
                        start + 1 == end
                        and self.column > self.width
                        and split
                        and start != 0
                        and end != len(text)
                    ):
                        self.write_indent()
                    else:
                        self.write(text[start:end])
                    start = end
            elif (ch is None or ch in " '") and start < end:
                self.write(text[start:end])
                start = end
            if ch == "'":
                self.write("''")
                start = end + 1
            if ch is not None:
                spaces = ch == " "
            end += 1
        self.write_indicator("'", False)

    def write_double_quoted(self, text: str, split: bool) -> None:
        self.write_indicator('"', True)
        start = end = 0
        while end <= len(text):
            ch = text[end] if end < len(text) else None
            escape = None if ch is None else escaped(ch)
            if ch is None or escape is not None:
                if start < end:
                    self.write(text[start:end])
                    start = end
                if escape is not None:
                    self.write(escape)
                    start = end + 1
            if (
                0 < end < len(text) - 1
                and (ch == " " or start >= end)
                and self.column + (end - start) > self.width
                and split
            ):
                need_backslash = True
                try:
                    space_pos = text.index(" ", end)
                    with contextlib.suppress(ValueError, IndexError):
                        space_pos = text.index("\n", end, space_pos)
                    if text[space_pos] == "\n" and text[space_pos + 1] != " ":
                        pass
                    elif (
                        '"' not in text[end:space_pos]
                        and "'" not in text[end:space_pos]
                        and text[space_pos + 1] not in " \n"
                        and text[end - 1 : end + 1] != "  "
                        and start != end
                    ):
                        need_backslash = False
                except (ValueError, IndexError):
                    pass
                data = text[start:end] + ("\\" if need_backslash else "")
                if start < end:
                    start = end
                self.write(data)
                self.write_indent()
                self.whitespace = self.indention = False
                if text[start] == " ":
                    if not need_backslash:
                        start += 1  # the line break reads back as this space
                    self.write("\\" if need_backslash else "")
            end += 1
        self.write_indicator('"', False)
