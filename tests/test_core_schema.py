"""Scalars by the YAML 1.2.2 core schema, and the reader held to PyYAML's reading.

The table is the core schema's (spec section 10.3.2, example 10.9 and the patterns
of its tag resolution table), with our conventions for numbers. The properties read
random YAML texts and dumped data, and compare the structure and strings we read,
and the positions we report, with what PyYAML's BaseLoader (every scalar a string)
and libyaml's marks give.
"""

from __future__ import annotations

import math
import re
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from pivotal_gen.errors import Location, PivotalError
from pivotal_gen.source import core_schema
from pivotal_gen.source.core_schema import BOOL, FLOAT, INT, NULL, STR
from pivotal_gen.source.document import Document, parse_document
from pivotal_gen.source.paths import DataPath

# Refused: other YAML 1.1 or 1.2 readers read it as other than the text we would keep.
REFUSED = object()
# (plain text, the tag the core schema resolves it to, the value we read or REFUSED)
CORE = [
    # Example 10.9, "Core Tag Resolution"
    ("null", NULL, None),
    ("", NULL, None),
    ("true", BOOL, True),
    ("True", BOOL, True),
    ("false", BOOL, False),
    ("FALSE", BOOL, False),
    ("0", INT, 0),
    ("0o7", INT, REFUSED),  # not decimal: we would keep the text, others read 7
    ("0x3A", INT, REFUSED),
    ("-19", INT, -19),
    ("0.", FLOAT, REFUSED),  # not d.d: we would keep the text, others read 0.0
    ("-0.0", FLOAT, -0.0),
    (".5", FLOAT, REFUSED),
    ("+12e03", FLOAT, REFUSED),
    ("-2E+05", FLOAT, REFUSED),
    (".inf", FLOAT, REFUSED),
    ("-.Inf", FLOAT, REFUSED),
    ("+.INF", FLOAT, REFUSED),
    (".NAN", FLOAT, REFUSED),
    # the rest of the resolution table's patterns
    ("~", NULL, None),
    ("Null", NULL, None),
    ("NULL", NULL, None),
    ("TRUE", BOOL, True),
    ("False", BOOL, False),
    ("42", INT, 42),
    ("+7", INT, 7),  # canonical decimal with a sign, as the reader always read it
    ("-0", INT, 0),
    ("0755", INT, REFUSED),
    ("007", INT, REFUSED),
    ("0o17", INT, REFUSED),
    ("0xff", INT, REFUSED),
    ("1.5", FLOAT, 1.5),
    ("-0.25", FLOAT, -0.25),
    ("+1.0", FLOAT, 1.0),
    ("1e3", FLOAT, REFUSED),
    ("1.5e-3", FLOAT, REFUSED),
    ("1", INT, 1),
    (".nan", FLOAT, REFUSED),
    (".NaN", FLOAT, REFUSED),
    # strings: outside the core schema; refused where YAML 1.1 or ruamel reads them otherwise
    ("NaN", STR, "NaN"),
    ("-.nan", STR, "-.nan"),  # NaN has no sign
    ("inf", STR, "inf"),
    ("nul", STR, "nul"),
    ("tRUE", STR, "tRUE"),
    ("yes", STR, REFUSED),
    ("No", STR, REFUSED),
    ("on", STR, REFUSED),
    ("off", STR, REFUSED),
    ("y", STR, REFUSED),
    ("1_000", STR, REFUSED),
    ("0b101", STR, REFUSED),
    ("-0x1", STR, REFUSED),  # hexadecimal and octal have no sign
    ("+0o7", STR, REFUSED),
    ("0X1F", STR, "0X1F"),
    ("0o8", STR, "0o8"),
    ("0x", STR, "0x"),
    ("1:30", STR, REFUSED),  # sexagesimal in YAML 1.1
    ("2024-01-01", STR, REFUSED),
    ("2001-12-14t21:59:43.10-05:00", STR, REFUSED),
    ("1.2.3", STR, "1.2.3"),
    (".", STR, "."),
    ("-", STR, "-"),
    ("+", STR, "+"),
    ("e3", STR, "e3"),
    (".e3", STR, ".e3"),
    ("1e", STR, "1e"),
    ("1e+", STR, "1e+"),
    ("<<", STR, REFUSED),  # the merge key is YAML 1.1's (and refused as a key: test_reader.py)
    ("=", STR, REFUSED),
    ("~~", STR, "~~"),
    (" 1", STR, " 1"),
]


@pytest.mark.parametrize(("text", "tag", "value"), CORE, ids=[repr(c[0]) for c in CORE])
def test_plain_scalars_resolve_by_the_core_schema(text: str, tag: str, value: Any) -> None:
    assert core_schema.resolve(text) == tag
    if value is REFUSED:
        with pytest.raises(ValueError, match=f'; write "{re.escape(text)}" \\(quoted\\)'):
            core_schema.plain(text)
        return
    read = core_schema.plain(text)
    assert (type(read), read) == (type(value), value)


@pytest.mark.parametrize(("text", "tag", "value"), [c for c in CORE if c[0].strip() == c[0] != "-"])
def test_the_reader_reads_a_plain_scalar_so(text: str, tag: str, value: Any) -> None:
    if value is REFUSED:  # at the scalar, saying how to quote it
        with pytest.raises(PivotalError) as refused:
            parse_document(f"a: {text}\n".encode(), "x")
        assert str(refused.value).startswith(f"x:1:4: {text} is read as ")
        assert str(refused.value).endswith(f'; write "{text}" (quoted) if you mean the text')
    else:
        read = parse_document(f"a: {text}\n".encode(), "x").data["a"]
        assert (type(read), read) == (type(value), value)
    quoted = parse_document(f"a: '{text}'\n".encode(), "x").data["a"]
    assert (type(quoted), quoted) == (str, text)


@given(st.text(alphabet="0123456789+-._:eExXoObB aAfFlLnNsStTuUrRiIyY~<=", max_size=10))
def test_only_the_core_patterns_make_other_than_strings(text: str) -> None:
    try:
        read = core_schema.plain(text) if text else None
    except ValueError:  # read otherwise by other readers: test_other_readers.py
        return
    tag = core_schema.resolve(text)
    if tag == STR:
        assert read == text
    elif isinstance(read, str):  # a number kept as written
        assert tag in (INT, FLOAT)
        assert read == text
    else:
        assert tag == {type(None): NULL, bool: BOOL, int: INT, float: FLOAT}[type(read)]


def test_strings_are_interned_up_to_a_length() -> None:
    short, long = "x" * core_schema.INTERNED_LENGTH, "y" * (core_schema.INTERNED_LENGTH + 1)
    data = parse_document(f"a: {short}\nb: {long}\n".encode(), "x").data
    assert data["a"] is core_schema.plain("x" * core_schema.INTERNED_LENGTH)
    assert data["b"] is not core_schema.plain("y" * (core_schema.INTERNED_LENGTH + 1))


# --- held to PyYAML's reading -----------------------------------------------------------------


def as_read(ours: Any, theirs: Any) -> bool:
    """`ours` (typed) is `theirs` (every scalar a string) as the core schema reads it."""
    if theirs is None:  # an empty stream
        return ours is None
    if isinstance(ours, dict):
        return (
            isinstance(theirs, dict)
            and list(ours) == list(theirs)
            and all(as_read(value, theirs[key]) for key, value in ours.items())
        )
    if isinstance(ours, list):
        return (
            isinstance(theirs, list)
            and len(ours) == len(theirs)
            and all(as_read(a, b) for a, b in zip(ours, theirs, strict=True))
        )
    if not isinstance(theirs, str):
        return False
    if isinstance(ours, str):
        return ours == theirs
    typed = core_schema.plain(theirs)  # plain, or tagged as the text says
    if isinstance(ours, float) and math.isnan(ours):
        return isinstance(typed, float) and math.isnan(typed)
    return (type(typed), typed) == (type(ours), ours)


def marks(node: yaml.Node, path: DataPath, values: dict[Any, Any], keys: dict[Any, Any]) -> None:
    """Positions as libyaml's marks give them, by path, from its composed nodes."""
    mark = node.start_mark
    values[path] = Location("x", mark.line + 1, mark.column + 1)
    if isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            marks(item, (*path, index), values, keys)
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            keys[(*path, key.value)] = Location(
                "x", key.start_mark.line + 1, key.start_mark.column + 1
            )
            marks(value, (*path, key.value), values, keys)


def reference(text: str) -> Any:
    """BaseLoader's reading; libyaml's (CBaseLoader) where the pure-Python reader refuses
    what libyaml reads (some tabs and flow forms)."""
    try:
        return yaml.load(text, Loader=yaml.BaseLoader)
    except yaml.YAMLError:
        return yaml.load(text, Loader=yaml.CBaseLoader)


def assert_read_as_pyyaml_reads(text: str) -> None:
    try:
        document = parse_document(text.encode("utf-8"), "x")
    except PivotalError:
        return  # refused, and located (test_reader.py); nothing to compare
    assert as_read(document.data, reference(text)), text
    node = yaml.compose(text, Loader=yaml.CBaseLoader)
    values: dict[DataPath, Location] = {}
    keys: dict[DataPath, Location] = {}
    if node is not None:
        marks(node, (), values, keys)
    assert (document.values, document.keys) == (values, keys), text
    # The positions come from a second reading: it must give the same data.
    again = Document(document.data, document.values, document.keys)
    assert again.data == document.data


_FRAGMENTS = [
    "a", "b", "1", "-1", "0o7", "1.5", "yes", "~", "null", "true", "''", '""', "'x y'",
    '"\\t"', "&a ", "*a", "&b ", "*b", "!!str ", "!!int ", "! ", "[", "]", "{", "}", ", ",
    ": ", ":", "- ", "? ", "#c", "|", ">", "|-", "\n", "\n  ", "\n    ", "\t", " ", "%",
    "---", "...", "@", "é", "<<",
]  # fmt: skip


@given(st.lists(st.sampled_from(_FRAGMENTS), max_size=30).map("".join))
def test_any_text_is_read_as_pyyaml_reads_it(text: str) -> None:
    assert_read_as_pyyaml_reads(text)


_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=12),
    st.sampled_from([c[0] for c in CORE]),
)
_DATA = st.recursive(
    _SCALARS,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


@given(_DATA, st.booleans(), st.sampled_from([None, '"', "'"]))
def test_dumped_data_is_read_as_pyyaml_reads_it(data: Any, flow: bool, style: str | None) -> None:
    text = yaml.safe_dump(data, default_flow_style=flow, default_style=style, allow_unicode=True)
    assert_read_as_pyyaml_reads(text)
