"""Hypothesis strategies for the YAML emitter's tests: data trees with hostile scalars.

Strings that mean something else to a YAML reader, indicators where they count,
quotes, escapes, control and non-BMP characters, keys around ruamel's
simple-key limit; numbers of every size; Inline lists and Literal blocks; and
trees that hold the same container more than once.

Inline and Literal values are drawn as `Marked` placeholders and made real by
`real()` inside the test: Hypothesis's shrinker re-encodes a drawn value with
whichever strategy can take it, and a str subclass taken by st.text() crashes it
(FlakyStrategyDefinition instead of the real failure).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from pivotal_gen.formats.serialize import literal
from pivotal_gen.formats.yaml_emitter import Inline

# Words that mean something else to a YAML reader, indicators, quotes, escapes,
# Unicode (non-BMP, BOM, NEL, line and paragraph separators, a lone surrogate).
WORDS = [
    *["", " ", "yes", "No", "on", "OFF", "y", "true", "FALSE", "~", "null", "NULL"],
    *["0755", "0o17", "0x1F", "0b101", "1e3", "1_000", "_1", "-_", "+1", ".5", "1.", "1e"],
    *[".inf", "-.inf", ".NaN", "12:30", "1:5", "-1:2:3", "1:30.5", "2024-01-01"],
    *["2024-1-1 12:30:00", "2024-01-01T01:02:03.5Z", "2024-01-01 1:02:03 +01:00"],
    *["<<", "=", "!", "&", "*", "-", "?", ":", "---", "...", "--- x", "- x", "? x", ": x"],
    *["#", "a #b", "a: b", "x:", "'", '"', "''", "\\", ",", "[", "]", "{", "}", "|", ">"],
    *["%", "@", "`", "a", "b c", "key", "\u00e9", "\U0001f600", "\x00", "\x07", "\x1b"],
    *["\x7f", "\x85", "\xa0", "\u2028", "\u2029", "\ufeff", "\ufffe", "\ud800", "\n", "\r"],
    *["\t", "  ", ": ", "- ", " #", "\\n"],
]
HOSTILE = st.lists(st.sampled_from(WORDS), max_size=6).map("".join)
# Words and single spaces: where ruamel folds plain scalars.
PROSE = st.lists(st.from_regex(r"[a-z]{1,7}", fullmatch=True), min_size=2, max_size=8).map(" ".join)
# Spaces, breaks, quotes and escapes next to each other: where ruamel folds quoted scalars.
QUOTABLE = st.lists(
    st.sampled_from([" ", "  ", "a", "bc", "\n", "\t", '"', "'", "\\", "\x00", "\u00e9"]),
    max_size=16,
).map("".join)
STRINGS = st.one_of(
    st.sampled_from(WORDS),
    HOSTILE,
    PROSE,
    QUOTABLE,
    st.text(st.characters(exclude_categories=()), max_size=10),
    st.from_regex(r"[a-z0-9./:${}_-]{1,20}", fullmatch=True),  # names, ports, paths, images
    st.from_regex(  # numbers, times and dates, and near misses
        r"[-+]?[0-9_.:eExob]{1,8}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}[Tt ]?[0-9:. Z+-]{0,14}",
        fullmatch=True,
    ),
)
# Around ruamel's simple-key limit (128 characters, counting the !!str tag).
LONG_KEYS = st.integers(115, 130).map(lambda n: "k" * n) | st.integers(118, 125).map(
    lambda n: 10**n
)
KEYS = st.one_of(STRINGS, LONG_KEYS, st.integers(), st.floats(), st.booleans(), st.none())
NUMBERS = st.one_of(st.integers(), st.integers(-(10**130), 10**130), st.floats())


@dataclass(frozen=True, eq=False)
class Marked:
    """An Inline (kind "inline", a list of scalars) or a literal() of `value`, to be."""

    kind: str
    value: Any


_LITERAL_LINES = st.text(st.characters(codec="utf-8"), max_size=8) | HOSTILE.filter(
    lambda text: "\ud800" not in text  # a raw surrogate cannot be encoded: both would raise
)
LITERALS = st.lists(_LITERAL_LINES, min_size=2, max_size=4).map(
    lambda lines: Marked("literal", "\n".join(lines))
)
SCALARS = st.one_of(STRINGS, NUMBERS, st.booleans(), st.none(), LITERALS)
INLINES = st.lists(SCALARS, max_size=4).map(lambda items: Marked("inline", items))


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
    """Trees that hold some containers more than once: ruamel anchors them."""
    small = st.one_of(
        st.dictionaries(KEYS, SCALARS, max_size=2),
        st.lists(SCALARS, max_size=2),
        st.lists(SCALARS, min_size=1, max_size=2).map(tuple),
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
        if data.kind == "literal":
            return literal(data.value)
        made = memo[id(data)] = Inline()
        made.extend(real(item, memo) for item in data.value)
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
