"""Hypothesis strategies for the YAML emitter's tests: hostile scalars.

Strings that mean something else to a YAML reader, indicators where they count,
quotes, escapes, control and non-BMP characters, keys around ruamel's
simple-key limit.
"""

from __future__ import annotations

from hypothesis import strategies as st

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
