"""How one scalar is written, as ruamel.yaml (0.18/0.19, round-trip dumper) writes it.

serialize.to_yaml used ruamel with a str representer that double-quotes any
string a YAML 1.1 or 1.2 reader would not read back as a str, or that holds a
line break or a tab; every other string got ruamel's own style choice. This
module reproduces that choice and ruamel's escaping, byte for byte, for lines
that stay under the width (yaml_fold.py takes over when one would not).
"""

from __future__ import annotations

import re

# ruamel's implicit resolvers for YAML 1.1 and 1.2, merged into one pattern: a
# string matching any of them would be read back as a bool, number, null,
# timestamp, merge key (<<) or value key (=). ruamel only tries the resolvers
# registered for a string's first character: numbers only start with -+0-9 or
# `.` (so `_1` stays a str), and every other pattern starts with a character
# it is registered for.
_NOT_A_STR = re.compile(
    r"""(?x)
    (?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)
    |(?=[-+0-9.])(?:
        [-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?
        |[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)
        |[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?
        |[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*
        |[-+]?\.(?:inf|Inf|INF)
        |\.(?:nan|NaN|NAN)
        |[-+]?0b[0-1_]+|[-+]?0o?[0-7_]+|[-+]?[0-9_]+|[-+]?0x[0-9a-fA-F_]+
        |[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+
    )
    |<<|~|null|Null|NULL|
    |[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]
    |[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?
     (?:[Tt]|[\ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?
     (?:[\ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?
    |=|!|&|\*
    """
)
# Line breaks of any kind, and tabs: the str representer double-quotes them.
_ESCAPED_ALWAYS = re.compile("[\n\r\t\x85\u2028\u2029]")
BREAKS = "\n\x85\u2028\u2029"
_WHITESPACE = "\0 \t\r\n\x85\u2028\u2029"  # what ruamel's analysis counts as whitespace


def _ascii_but(excluded: str) -> str:
    """A character class: printable ASCII but a space and `excluded` (spelled out: a
    negated class over all of Unicode takes milliseconds to compile at import)."""
    return (
        "[" + "".join(re.escape(chr(c)) for c in range(0x21, 0x7F) if chr(c) not in excluded) + "]"
    )


# A subset of the strings ruamel writes plain in block context, checked in one
# regex: printable ASCII, no document marker, no indicator where one counts
# (see analyze_scalar in ruamel's emitter.py), no leading or trailing space.
# Anything else goes through the exact port of the analysis below.
_SAFE_FIRST = _ascii_but("#,[]{}&*!|>'\"%@`?:-") + "|-(?=[!-~])"
_SAFE_REST = _ascii_but(":#") + "|:(?=[!-~])|(?<! )#| (?=[!-~])"
_BLOCK_PLAIN = re.compile(rf"(?!---|\.\.\.)(?:{_SAFE_FIRST})(?:{_SAFE_REST})*")
# In a flow list, `,[]{}` are indicators anywhere.
_FLOW_PLAIN = re.compile(rf"(?!---|\.\.\.)(?:{_SAFE_FIRST})(?:(?![,\[\]{{}}])(?:{_SAFE_REST}))*")

# A subset of the strings ruamel does not write plain in block context:
# printable ASCII that starts with an indicator or a space, holds `: ` or ` #`,
# or ends with `:` or a space. Having no special characters, they are quoted
# as choose_scalar_style quotes them: single quotes unless they hold one.
_BLOCK_QUOTED = re.compile(r"(?=[ -~]+\Z)(?:[ #,\[\]{}&*!|>'\"%@`].*|.*(?:: | \#).*|.*[: ])")

_ESCAPES = {
    "\0": "0", "\x07": "a", "\x08": "b", "\t": "t", "\n": "n", "\x0b": "v", "\x0c": "f",
    "\r": "r", "\x1b": "e", '"': '"', "\\": "\\", "\x85": "N", "\u2028": "L", "\u2029": "P",
}  # fmt: skip
# What write_double_quoted escapes with allow_unicode: quotes, backslashes, the
# Unicode line breaks, the BOM, and everything outside YAML's printable set.
_NEEDS_ESCAPE = re.compile('["\\\\\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]')


def _escape(match: re.Match[str]) -> str:
    return _escape_char(match.group())


def _escape_char(char: str) -> str:
    if char in _ESCAPES:
        return "\\" + _ESCAPES[char]
    return f"\\x{ord(char):02X}" if char <= "\xff" else f"\\u{ord(char):04X}"


def escaped(char: str) -> str | None:
    """How double quotes write `char`, if not as itself."""
    return _escape_char(char) if _NEEDS_ESCAPE.match(char) else None


def double_quoted(text: str) -> str:
    return '"' + _NEEDS_ESCAPE.sub(_escape, text) + '"'


def _special(char: str) -> bool:
    """A character only double quotes can hold (analyze_scalar, allow_unicode on)."""
    if char == "\n" or "\x20" <= char <= "\x7e":
        return False
    printable = (
        char == "\x85"
        or "\xa0" <= char <= "\ud7ff"
        or "\ue000" <= char <= "\ufffd"
        or "\U00010000" <= char <= "\U0010ffff"
    )
    return not printable or char == "\ufeff"


def analyze(text: str) -> tuple[bool, bool, bool]:
    """ruamel's analyze_scalar for a non-empty string: (flow plain, block plain, single quotes).

    Ported as written, minus what the version and allow_unicode settings rule out.
    """
    block = flow = breaks = special = False
    leading = trailing = break_space = space_break = False
    if text.startswith(("---", "...")):
        block = flow = True
    preceded_by_space = True
    followed_by_space = len(text) == 1 or text[1] in _WHITESPACE
    previous_space = previous_break = False
    for index, char in enumerate(text):
        if index == 0:
            if char in "#,[]{}&*!|>'\"%@`":
                flow = block = True
            if char in "?:":
                flow = flow or len(text) == 1
                block = block or followed_by_space
            if char == "-" and followed_by_space:
                flow = block = True
        else:
            if char in ",[]{}":
                flow = True
            if (char == ":" and followed_by_space) or (char == "#" and preceded_by_space):
                flow = block = True
        breaks = breaks or char in BREAKS
        special = special or _special(char)
        if char == " ":
            leading = leading or index == 0
            trailing = trailing or index == len(text) - 1
            break_space = break_space or previous_break
            previous_space, previous_break = True, False
        elif char in BREAKS:
            leading = leading or index == 0
            trailing = trailing or index == len(text) - 1
            space_break = space_break or previous_space
            previous_space, previous_break = False, True
        else:
            previous_space = previous_break = False
        preceded_by_space = char in _WHITESPACE
        followed_by_space = index + 2 >= len(text) or text[index + 2] in _WHITESPACE
    plain = not (leading or trailing or break_space or special or space_break or breaks)
    single = not (break_space or special or space_break)
    return plain and not flow, plain and not block, single


def quoted_always(text: str) -> bool:
    """The str representer's rule: double quotes unless it reads back as this str."""
    return _NOT_A_STR.fullmatch(text) is not None or _ESCAPED_ALWAYS.search(text) is not None


def render_str(text: str, flow: bool) -> str:
    """A str as ruamel writes it, block or flow context, lines short of the width."""
    if (_FLOW_PLAIN if flow else _BLOCK_PLAIN).fullmatch(text) and not _NOT_A_STR.fullmatch(text):
        return text
    if quoted_always(text):
        return double_quoted(text)
    if not flow and _BLOCK_QUOTED.fullmatch(text):
        return double_quoted(text) if "'" in text else "'" + text + "'"
    flow_plain, block_plain, single = analyze(text)
    if flow_plain if flow else block_plain:
        return text
    if "'" in text or not single:  # choose_scalar_style prefers " over doubling '
        return double_quoted(text)
    return "'" + text + "'"


def render_float(value: float) -> str:
    """SafeRepresenter.represent_float (no YAML version set: no 1.1 fix-up)."""
    if value != value:
        return ".nan"
    if value in (float("inf"), float("-inf")):
        return ".inf" if value > 0 else "-.inf"
    return repr(value).lower()


# Rendered strings, by context: names, images and keys repeat a lot. Long ones
# (file contents) rarely do; keeping them out keeps the caches small.
BLOCK_TEXT: dict[str, str] = {}
_FLOW_TEXT: dict[str, str] = {}
_KEY_TEXT: dict[str, tuple[str, bool]] = {}
_CACHE_LIMIT = 100_000
_CACHED_LENGTH = 1024


def trim_caches() -> None:
    if len(BLOCK_TEXT) + len(_FLOW_TEXT) + len(_KEY_TEXT) > _CACHE_LIMIT:
        BLOCK_TEXT.clear()
        _FLOW_TEXT.clear()
        _KEY_TEXT.clear()


def block_str(text: str) -> str:
    return _rendered(BLOCK_TEXT, text, flow=False)


def flow_str(text: str) -> str:
    return _rendered(_FLOW_TEXT, text, flow=True)


def _rendered(cache: dict[str, str], text: str, *, flow: bool) -> str:
    rendered = cache.get(text)
    if rendered is None:
        rendered = render_str(text, flow=flow)
        if len(text) <= _CACHED_LENGTH:
            cache[text] = rendered
    return rendered


def plain(value: object) -> str | None:
    """A bool, int or float as ruamel writes it (plain); None for anything else."""
    if type(value) is bool:
        return "true" if value else "false"
    if type(value) is int:
        return str(value)
    if type(value) is float:
        return render_float(value)
    return None


def key_text(key: object) -> tuple[str, bool]:
    """A key as written, and whether ruamel writes it as a simple key (`key: value`):
    under 128 characters counting its tag (`!!str`), no line break."""
    if type(key) is str:
        known = _KEY_TEXT.get(key)
        if known is None:
            simple = len(key) + len("!!str") < 128 and not any(char in BREAKS for char in key)
            known = _KEY_TEXT[key] = (block_str(key), simple)
        return known
    if key is None:
        return "null", True
    text = plain(key)
    if text is None:
        raise TypeError(f"to_yaml writes keys that are scalars, not {type(key).__name__}")
    tag = {bool: "!!bool", int: "!!int", float: "!!float"}[type(key)]
    return text, len(text) + len(tag) < 128
