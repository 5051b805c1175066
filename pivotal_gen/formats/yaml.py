"""Block YAML that YAML 1.1 readers (PyYAML, docker-compose v1) and 1.2 readers read alike.

Layout: block mappings and sequences indented by 2; a sequence under a key is
indented under it; a mapping or a sequence as a sequence item starts on the dash
line (`- a: 1`, `- - x`); empty containers are `{}` and `[]`; an `Inline` list is
one flow sequence of scalars (`[a, 'b c', 3]`); None is `key:` as a mapping value
and `null` elsewhere. No anchors: shared data is written again, data that
contains itself is refused (ValueError), and so are types JSON has no word for
(TypeError).

Scalars (YAML 1.2.2 sections 7.3 and 7.4 for quoting and flow, 8.1 for blocks):
- A string is plain only when made of safe characters for its context (7.3.3:
  no leading indicator or space, no `: ` or ` #` and no trailing space or `:` in
  block context, none of `,[]{}?:#` in flow) and when it reads as no other type
  to either reader: the YAML 1.1 types bool, null, int, float, timestamp, merge
  and value (yaml.org/type/) and the YAML 1.2 core schema (10.3.2). The patterns
  below are broader than those definitions on purpose: quoting too much is harmless.
- Otherwise single-quoted when every character is printable (5.1: C0 and C1
  controls, DEL, NEL, LS, PS, BOM, surrogates and U+FFFE/FFFF are not) and there
  is no tab or line break; else double-quoted, escaping `\\`, `"` and all the
  rest by code point (5.7). A lone surrogate is no character: refused.
- A string with a line break is a literal block (8.1.1.2 chomping: `|-` without
  a final newline, `|` with one, `|+` with more) when it reads back unchanged and
  passes yamllint: printable, no tab, no trailing space on a line, a first
  non-empty line that does not start with a space (8.1.1.1 would need an
  indentation indicator); else double-quoted.
- Floats carry a dot, which YAML 1.1 requires (`1.0e-05`); `.inf`, `-.inf`, `.nan`.
- Keys are written as block strings, never as blocks; one longer than the 1024
  characters a reader keeps for a simple key (7.4.2) takes the explicit form
  `? key` / `: value` (8.2.2).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any


class Inline(list[Any]):
    """A list of scalars written on one line as a flow sequence, as people write commands."""


# Printable characters (5.1) from the space on: the ones a quoted string holds as they are.
_PRINTABLE = "\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff"
# Unicode spaces besides U+0020: kept out of plain scalars and line ends, where a reader may trim.
_SPACES = "\xa0\u1680\u2000-\u200a\u202f\u205f\u3000"
_INDICATORS = "-?:,\\[\\]{}#&*!|>'\"%@`"
_NEVER_PLAIN = rf"\x00-\x20\x7f-\x9f{_SPACES}\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff"
# Block context: `:` only before a non-space, `#` only after a non-space; no space at either end.
_BLOCK_PLAIN = re.compile(
    rf"(?![{_INDICATORS} ]|---|\.\.\.)(?:[^{_NEVER_PLAIN}#:]|:(?=[^ ])|(?<! )#| )+(?<! )"
)
# Flow context (an Inline item): no `:`, `#`, `?` nor anything that ends or opens a collection.
_FLOW_PLAIN = re.compile(rf"(?![{_INDICATORS} ])(?:[^{_NEVER_PLAIN}#:,?\[\]{{}}]| )+(?<! )")

# Everything either reader may resolve to a type other than str, in any letter case.
_IMPLICIT = re.compile(
    r"""
      y|yes|n|no|true|false|on|off                      # bool: 1.1 type/bool, 1.2 core
    | ~|null|                                           # null: 1.1 type/null, 1.2 core
    | <<|=                                              # 1.1 type/merge, type/value
    | [-+]?\.(?:inf|nan)                                # 1.1 type/float, 1.2 core
    | [-+]?0[box][0-9a-f_]*                             # 1.1 base 2 and 16, 1.2 base 8 and 16
    | [-+]?[0-9_.]+(?:e[-+]?[0-9_]*)?                   # decimal (1.1: octal) ints, floats
    | [-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?  # 1.1 base 60: `22:22`, `1:30.5`
    | [0-9]{4}-[0-9]{1,2}-[0-9]{1,2}.*                  # 1.1 type/timestamp
    """,
    re.VERBOSE | re.IGNORECASE,
)
_ONE_LINE_PRINTABLE = re.compile(f"[{_PRINTABLE}]*")
_ESCAPE = re.compile(f'[^{_PRINTABLE}]|[\\\\"]')
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t"}
# Lines of printable characters, none ending in a space; the first non-empty one starts
# with no space, as the block's indentation is detected from it.
_LINE = f"[{_PRINTABLE}]*(?<![ {_SPACES}])"
_LITERAL = re.compile(f"\n*+(?![ {_SPACES}]){_LINE}(?:\n{_LINE})*")
_SIMPLE_KEY_MAX = 1024
_CACHE_MAX = 1 << 16  # renderings kept per cache; a huge render repeats the same strings
_block_cache: dict[str, str] = {}
_flow_cache: dict[str, str] = {}
_key_cache: dict[str, str] = {}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _ESCAPES:
        return _ESCAPES[char]
    code = ord(char)
    if 0xD800 <= code < 0xE000:  # no escape holds half a UTF-16 pair: libyaml refuses it
        raise ValueError(f"cannot write a lone surrogate (U+{code:04X}) as YAML")
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def _quoted(text: str) -> str:
    if _ONE_LINE_PRINTABLE.fullmatch(text):
        return "'" + text.replace("'", "''") + "'"
    return '"' + _ESCAPE.sub(_escape, text) + '"'


def _block_string(text: str) -> str:
    """`text` on one line, or the `|`, `|-` or `|+` of the literal block it is to be."""
    if _BLOCK_PLAIN.fullmatch(text) and not _IMPLICIT.fullmatch(text):
        return text
    if "\n" in text and text.strip("\n") and _LITERAL.fullmatch(text):
        return "|-" if text[-1] != "\n" else "|+" if text.endswith("\n\n") else "|"
    return _quoted(text)


def _key_string(text: str) -> str:
    rendered = _block_string(text)
    return _quoted(text) if rendered[0] == "|" else rendered


def _flow_string(text: str) -> str:
    if _FLOW_PLAIN.fullmatch(text) and not _IMPLICIT.fullmatch(text):
        return text
    return _quoted(text)


def _remember(cache: dict[str, str], text: str, render: Callable[[str], str]) -> str:
    if len(cache) >= _CACHE_MAX:  # bounds the memory; the next strings fill it again
        cache.clear()
    rendered = cache[text] = render(text)
    return rendered


def _float(value: float) -> str:
    if math.isnan(value):
        return ".nan"
    if math.isinf(value):
        return ".inf" if value > 0 else "-.inf"
    text = repr(value)
    if "." not in text:  # YAML 1.1 reads `1e-05` as a string
        mantissa, _, exponent = text.partition("e")
        text = f"{mantissa}.0e{exponent}" if exponent else f"{mantissa}.0"
    return text


def _scalar(value: Any, flow: bool) -> str:
    """A scalar other than a block string: a key, an Inline item, a number."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, float):
        return _float(float(value))
    if isinstance(value, str):
        text = str.__str__(value)  # an exact str: a subclass may render itself otherwise
        cache, render = (_flow_cache, _flow_string) if flow else (_key_cache, _key_string)
        return cache.get(text) or _remember(cache, text, render)
    raise TypeError(f"cannot write {type(value).__name__} as a YAML scalar: {value!r}")


def to_yaml(data: Any, header: str = "") -> bytes:
    """`data` (a mapping or a list) as block YAML after `header` (comment lines)."""
    out = [header]
    if isinstance(data, Inline) or (not data and isinstance(data, dict | list | tuple)):
        _value(data, 0, out, set(), False)
        out[1] = out[1][1:]  # no space before a flow collection at the top
    elif isinstance(data, dict):
        _mapping(data, 0, out, "", set())
    elif isinstance(data, list | tuple):
        _sequence(data, 0, out, "", set())
    else:
        raise TypeError(f"the top of a YAML document must be a mapping or a list: {data!r}")
    return "".join(out).encode("utf-8")


def _enter(container: Any, active: set[int]) -> int:
    ident = id(container)
    if ident in active:
        raise ValueError("cannot write data that contains itself as YAML")
    active.add(ident)
    return ident


def _mapping(data: Any, indent: int, out: list[str], lead: str, active: set[int]) -> None:
    """The entries of `data` at `indent`, the first one after `lead` (the margin, or `- `)."""
    ident = _enter(data, active)
    pad = " " * indent
    for key, value in data.items():
        text = (type(key) is str and _key_cache.get(key)) or _scalar(key, False)
        if len(text) > _SIMPLE_KEY_MAX:  # a reader forgets a simple key this far from its `:`
            out.append(f"{lead}? {text}\n{pad}:")
        else:
            out.append(f"{lead}{text}:")
        _value(value, indent + 2, out, active, True)
        lead = pad
    active.discard(ident)


def _sequence(data: Any, indent: int, out: list[str], lead: str, active: set[int]) -> None:
    ident = _enter(data, active)
    pad = " " * indent
    for item in data:
        out.append(f"{lead}-")
        _value(item, indent + 2, out, active, False)
        lead = pad
    active.discard(ident)


def _value(value: Any, indent: int, out: list[str], active: set[int], in_map: bool) -> None:
    """`value` after the `key:` or `-` written last; its block content goes at `indent`."""
    if type(value) is str:
        text = _block_cache.get(value) or _remember(_block_cache, value, _block_string)
        if text[0] != "|":
            out.append(f" {text}\n")
            return
        lines = value if text == "|-" else value[:-1]  # the last break is the chomping's
        pad = " " * indent
        body = "\n".join(pad + line if line else "" for line in lines.split("\n"))
        out.append(f" {text}\n{body}\n")
    elif isinstance(value, dict | list | tuple):
        if isinstance(value, Inline):
            out.append(" [" + ", ".join(_scalar(item, True) for item in value) + "]\n")
        elif not value:
            out.append(" {}\n" if isinstance(value, dict) else " []\n")
        elif in_map:  # under its key, from the next line
            out.append("\n")
            writer = _mapping if isinstance(value, dict) else _sequence
            writer(value, indent, out, " " * indent, active)
        else:  # on the dash line
            writer = _mapping if isinstance(value, dict) else _sequence
            writer(value, indent, out, " ", active)
    elif value is None and in_map:
        out.append("\n")
    elif isinstance(value, str):
        _value(str.__str__(value), indent, out, active, in_map)
    else:
        out.append(f" {_scalar(value, False)}\n")
