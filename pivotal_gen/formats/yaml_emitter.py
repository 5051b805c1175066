"""Block YAML written straight from data, byte for byte as serialize.py's ruamel.yaml did it.

ruamel's round-trip dumper (block style, indent mapping=2 sequence=4 offset=2,
width 1 << 16) goes data -> nodes -> events -> a character-by-character state
machine. For the shapes our targets produce, that state machine always lays
lines out the same way, so this module writes those layouts directly:

    key: value            a mapping at indent I; nested mappings at I+2
    key:                  a sequence under a key is not indented further:
      - item              its dashes sit at I+2 (the offset), items at I+4
      - a: 1              a mapping or sequence as an item starts on the dash line
        b: 2
      -   - nested        (the item of a nested sequence is padded to I+4, then dashed)
    flow: [a, "on", b]    Inline lists, and empty ones: [] {}
    ? "a\\nb"              keys with a line break or of 123+ characters (ruamel's
    : value               128-character limit counts the `!!str` tag)

Data seen twice (the same dict or list object) is written once with an anchor
(&id001) and then as aliases (*id001), as ruamel does. Scalars are written by
yaml_scalars.py, or by yaml_fold.py's port of ruamel's writers when a line would
pass the width (ruamel folds there). What ruamel would write some other way (a
scalar or a Literal at the top, other types, containers inside a flow list,
keys that are not scalars, data that contains itself) is refused with an error.
"""

from __future__ import annotations

from typing import Any

from pivotal_gen.formats.yaml_fold import LineWriter
from pivotal_gen.formats.yaml_scalars import (
    BLOCK_TEXT,
    BREAKS,
    block_str,
    double_quoted,
    flow_str,
    key_text,
    plain,
    trim_caches,
)


class Inline(list[Any]):
    """A list written in flow style, on one line (`[CMD, wget, ...]`)."""


class Literal(str):
    """A string written as a `|` block: no leading blank, one final line break."""


_SEQUENCES = (list, tuple, Inline)


def dump(data: Any, width: int = 1 << 16) -> str:
    """`data` as block YAML; lines that would pass `width` are folded as ruamel folds them."""
    if width <= 4:  # ruamel would silently use 80
        raise ValueError(f"a width of {width} is too narrow")
    if type(data) not in (dict, list, tuple, Inline):
        raise TypeError(f"to_yaml writes a mapping or a list, not {type(data).__name__}")
    trim_caches()
    emitter = _Emitter(_anchors(data), width)
    if data and type(data) is not Inline:
        (emitter.mapping if type(data) is dict else emitter.sequence)(data, 0, "")
    else:
        emitter.out.append(_flow(data, 0, None, width, whitespace=True) + "\n")
    return "".join(emitter.out)


def _anchors(data: Any) -> dict[int, str]:
    """Containers reached twice, named as ruamel's Serializer.anchor_node names them:
    in the order their second occurrence is met, depth first."""
    seen: set[int] = set()
    on_path: set[int] = set()
    names: dict[int, str] = {}

    def visit(node: Any) -> None:
        key = id(node)
        if key in seen:
            if key in on_path:
                raise ValueError("to_yaml cannot write data that contains itself")
            names.setdefault(key, f"id{len(names) + 1:03d}")
            return
        seen.add(key)
        on_path.add(key)
        for child in node.values() if type(node) is dict else node:
            kind = type(child)
            if kind is dict or kind is list or kind is Inline or (kind is tuple and child):
                visit(child)  # an empty tuple is never shared: ruamel ignores its identity
        on_path.discard(key)

    visit(data)
    return names


def _flow_item(item: Any) -> str:
    if type(item) is str:
        return flow_str(item)
    if type(item) is Literal:
        return double_quoted(item)  # no block scalars in flow context
    if item is None:
        return "null"
    text = plain(item)
    if text is None:
        raise TypeError(f"to_yaml writes flow lists of scalars, not of {type(item).__name__}")
    return text


def _flow(value: Any, column: int, indent: int | None, width: int, whitespace: bool = False) -> str:
    """An empty or Inline collection after `column`, with its separating space."""
    space = "" if whitespace else " "
    if not value:
        return space + ("{}" if type(value) is dict else "[]")
    items = [_flow_item(item) for item in value]
    line = space + "[" + ", ".join(items) + "]"
    if column + len(line) <= width:
        return line
    writer = LineWriter(width, column, indent, whitespace)
    writer.flow_list(
        [_style_and_value(text, item) for text, item in zip(items, value, strict=True)]
    )
    return writer.text()


def _style_and_value(rendered: str, value: Any) -> tuple[str, str]:
    """What yaml_fold.py needs to write a scalar again: its style and its value."""
    style = rendered[0] if rendered[0] in "\"'" else ""
    return style, value if isinstance(value, str) else rendered


def _literal(text: Literal, indent: int) -> str:
    """write_literal, for a block without indentation or chomping indicators."""
    if not text.endswith("\n") or len(text) < 2 or text[-2] in BREAKS or text[0] in " " + BREAKS:
        raise ValueError(f"not a literal block as serialize.literal makes them: {text!r}")
    if any(char in text for char in "\x85\u2028\u2029"):
        raise ValueError(f"a literal block with a Unicode line break: {text!r}")
    pad = " " * indent
    return " |\n" + "".join(pad + line + "\n" if line else "\n" for line in text[:-1].split("\n"))


class _Emitter:
    def __init__(self, anchors: dict[int, str], width: int) -> None:
        self.width = width
        self.out: list[str] = []
        self.anchors = anchors
        self.written: set[int] = set()

    def mapping(self, mapping: dict[Any, Any], indent: int, lead: str) -> None:
        """Every key at `indent`; `lead` is what starts the first key's line."""
        pad = " " * indent
        for key, value in mapping.items():
            text, simple = key_text(key)
            if simple and indent + len(text) <= self.width:
                self.node(value, f"{lead}{text}:", indent + len(text) + 1, indent + 2, True, False)
            elif simple:  # only with a narrow width: simple keys are short
                writer = LineWriter(self.width, indent, indent + 2, whitespace=True)
                writer.scalar(*_style_and_value(text, key), split=False)
                self.node(
                    value, lead + writer.text() + ":", writer.column + 1, indent + 2, True, False
                )
            else:  # `? key` on a line, then `: value`
                self.out.append(lead + "?" + self.scalar_line(text, key, indent + 1, indent + 2))
                self.node(value, pad + ":", indent + 1, indent + 2, True, True)
            lead = pad

    def sequence(self, sequence: Any, indent: int, lead: str) -> None:
        """Every item's dash at `indent` plus the offset 2; items at `indent` + 4."""
        pad = " " * indent
        for item in sequence:
            self.node(item, lead + "  -", indent + 3, indent + 4, False, True)
            lead = pad

    def scalar_line(self, text: str, value: Any, column: int, indent: int) -> str:
        """A space and a scalar written after `column`, and the line break."""
        if column + 1 + len(text) <= self.width:
            return f" {text}\n"
        writer = LineWriter(self.width, column, indent)
        writer.scalar(*_style_and_value(text, value))
        return writer.text() + "\n"

    def node(
        self, value: Any, head: str, column: int, indent: int, in_mapping: bool, indention: bool
    ) -> None:
        """`value` after `head` (`key:`, `:` or a dash), which ends at `column`.

        indent: where ruamel indents the value's contents (mapping keys, literal
        lines, folds). in_mapping: a mapping value, not a sequence item.
        indention: ruamel's flag that nothing but indentation precedes `head` on
        its line (false after a simple key); a nested collection then starts on
        the same line.
        """
        out = self.out
        kind = type(value)
        if kind is str:
            text = BLOCK_TEXT.get(value) or block_str(value)
            if column + 1 + len(text) <= self.width:
                out.append(f"{head} {text}\n")
            else:
                out.append(head + self.scalar_line(text, value, column, indent))
            return
        if value is None:  # written as an empty plain scalar, after a pad in a sequence
            out.append(head + ("\n" if in_mapping else " \n"))
            return
        if kind is Literal:
            out.append(head + _literal(value, indent))
            return
        if kind is not dict and kind not in _SEQUENCES:
            written = plain(value)
            if written is None:
                raise TypeError(f"to_yaml cannot write a {kind.__name__}")
            out.append(head + self.scalar_line(written, value, column, indent))
            return
        anchor = ""
        if self.anchors and id(value) in self.anchors:
            name = self.anchors[id(value)]
            if id(value) in self.written:
                out.append(f"{head} *{name}\n")
                return
            self.written.add(id(value))
            anchor = " &" + name
            head += anchor
            indention = False
        if not value or kind is Inline:
            out.append(head + _flow(value, column + len(anchor), indent, self.width) + "\n")
        elif indention:  # the first key or dash goes on this line
            nested = self.mapping if kind is dict else self.sequence
            nested(value, indent, head + " ")
        elif kind is dict:
            out.append(head + "\n")
            self.mapping(value, indent, " " * indent)
        else:  # under a key a sequence is not indented (the dash offset does it)
            out.append(head + "\n")
            inner = indent - 2 if in_mapping else indent
            self.sequence(value, inner, " " * inner)
