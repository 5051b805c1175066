"""Hypothesis strategies for the YAML writer's tests: data trees with hostile scalars.

Strings that mean something else to a YAML 1.1 or 1.2 reader, indicators where
they count, quotes, escapes, control, non-printable and non-BMP characters,
multi-line text with trailing spaces, blank lines and indented lines, keys
around the 1024-character simple-key limit; numbers of every size; Inline lists;
and trees that hold the same container more than once.

Inline values are drawn as `Marked` placeholders and made real by `real()` inside
the test: Hypothesis's shrinker re-encodes a drawn value with whichever strategy
can take it, and a list subclass taken by st.lists() confuses it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from pivotal_gen.formats.yaml import Inline

# Words that mean something else to a YAML reader, indicators, quotes, escapes,
# Unicode (non-BMP, BOM, NEL, line and paragraph separators, U+FFFE and U+FFFF).
WORDS = [
    *["", " ", "yes", "No", "on", "OFF", "oN", "y", "n", "Y", "true", "FALSE", "~", "null", "NULL"],
    *["0755", "010", "0o17", "0o7", "0x10", "0x1F", "0b101", "1e3", "1E3", "1_000", "_1", "-_"],
    *["+1", ".5", "1.", "1e", "1.0e-05", ".inf", "-.inf", ".NaN", "+.INF", "12:30", "22:22"],
    *["1:5", "-1:2:3", "1:30.5", "190:20:30", "2024-01-01", "2024-1-1 12:30:00", "1.2.3"],
    *["2024-01-01T01:02:03.5Z", "2024-01-01 1:02:03 +01:00", "<<", "=", "!", "&", "*", "-"],
    *["?", ":", "---", "...", "--- x", "- x", "? x", ": x", "#", "a #b", "a: b", "x:", "a:b"],
    *["a,b", "a]", "a}", "a?b", "a[b", "a{b"],
    *["'", '"', "''", "\\", ",", "[", "]", "{", "}", "|", ">", "%", "@", "`", "a", "b c"],
    *["key", "\u00e9", "\u65e5\u672c", "\U0001f600", "\x00", "\x07", "\x1b", "\x7f", "\x85"],
    *["\x9f", "\xa0", "\u2028", "\u2029", "\ufeff", "\ufffe", "\uffff", "\u3000"],
    *["\n", "\r", "\r\n", "\t", "  ", ": ", "- ", " #", "\\n", "!tag", "&a", "*a", "%x"],
]
HOSTILE = st.lists(st.sampled_from(WORDS), max_size=6).map("".join)
# Text over several lines: blank lines, indented lines, trailing spaces, final breaks.
_LINES = st.sampled_from(["", " ", "  x", "a", "b c ", "# c", "- x", "k: v", "\t", "\u00e9", "'\""])
MULTILINE = st.lists(_LINES | HOSTILE, min_size=2, max_size=5).map("\n".join) | st.builds(
    lambda text, breaks: text + "\n" * breaks,
    st.lists(_LINES, min_size=1, max_size=3).map("\n".join),
    st.integers(0, 3),
)
STRINGS = st.one_of(
    st.sampled_from(WORDS),
    HOSTILE,
    MULTILINE,
    st.text(st.characters(codec="utf-8"), max_size=10),  # any character, no lone surrogate
    st.from_regex(r"[a-z0-9./:${}_-]{1,20}", fullmatch=True),  # names, ports, paths, images
    st.from_regex(  # numbers, times and dates, and near misses
        r"[-+]?[0-9_.:eExob]{1,8}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}[Tt ]?[0-9:. Z+-]{0,14}",
        fullmatch=True,
    ),
)
# Around the 1024 characters a reader keeps for a simple key, plain and quoted.
LONG_KEYS = st.builds(
    lambda n, end: "k" * n + end, st.integers(1018, 1030), st.sampled_from(["", " #", "\n"])
)
KEYS = st.one_of(STRINGS, LONG_KEYS, st.integers(), st.floats(allow_nan=False), st.booleans())
NUMBERS = st.one_of(st.integers(), st.integers(-(10**130), 10**130), st.floats())
SCALARS = st.one_of(STRINGS, NUMBERS, st.booleans(), st.none())


@dataclass(frozen=True, eq=False)
class Marked:
    """An Inline of `value` (a list of scalars), to be."""

    value: list[Any]


INLINES = st.lists(SCALARS, max_size=4).map(Marked)


def _nest(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(
        st.dictionaries(KEYS, children, max_size=4),
        st.lists(children, max_size=4),
        st.lists(children, max_size=3).map(tuple),
    )


def trees(leaves: st.SearchStrategy[Any] = SCALARS | INLINES) -> st.SearchStrategy[Any]:
    """What to_yaml takes: a mapping or a list (of anything), or an Inline list."""
    return _nest(st.recursive(leaves, _nest, max_leaves=30)) | INLINES


@st.composite
def shared_trees(draw: st.DrawFn) -> Any:
    """Trees that hold some containers more than once: each is written out each time."""
    small = st.one_of(
        st.dictionaries(KEYS, SCALARS, max_size=2),
        st.lists(SCALARS, max_size=2),
        INLINES,
        st.just({}),
    )
    pool = draw(st.lists(small, min_size=1, max_size=3))
    pool += draw(st.lists(_nest(st.sampled_from(pool)), max_size=2))
    return draw(trees(SCALARS | INLINES | st.sampled_from(pool)))


def real(data: Any, memo: dict[int, Any] | None = None) -> Any:
    """`data` with its Marked placeholders made real; shared objects stay shared."""
    memo = {} if memo is None else memo
    if id(data) in memo:
        return memo[id(data)]
    made: Any
    if type(data) is Marked:
        made = memo[id(data)] = Inline(real(item, memo) for item in data.value)
    elif type(data) is list:
        made = memo[id(data)] = []
        made.extend(real(item, memo) for item in data)
    elif type(data) is dict:
        made = memo[id(data)] = {}
        made.update((key, real(value, memo)) for key, value in data.items())
    elif type(data) is tuple and data:
        made = memo[id(data)] = tuple(real(item, memo) for item in data)
    else:
        return data
    return made


def expected(data: Any) -> Any:
    """What a reader gives back for `data`: tuples and Inline lists are lists."""
    if isinstance(data, dict):
        return {key: expected(value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [expected(item) for item in data]
    return data
