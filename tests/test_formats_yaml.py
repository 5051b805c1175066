"""pivotal_gen.formats.yaml: every reader reads back what was written, and yamllint passes it.

The properties write random trees of hostile data (tests/yaml_strategies.py) and
read them back with a YAML 1.1 reader (PyYAML, as docker-compose v1 and most CI
tools) and a YAML 1.2 reader (ruamel.yaml's core schema): both must give the
data back exactly, types included, and yamllint's relaxed rules must find no
error. The unit tests pin the layout and each way a string is written.
"""

from __future__ import annotations

import math
import re
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from pivotal_gen.formats.comments import comment_header
from pivotal_gen.formats.yaml import Inline, to_yaml
from pivotal_gen.source.other_readers import NOT_TEXT_WORDS, not_text
from tests import yaml_strategies as strategies
from tests.tools import yamllint_errors

YAML_11_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_11(text: str) -> Any:
    return yaml.load(text, Loader=YAML_11_LOADER)


def read_12(text: str) -> Any:
    return YAML(typ="safe", pure=True).load(text)


def same(back: Any, data: Any) -> bool:
    """Equal with the same types all the way down (1, 1.0 and True differ; nan is nan)."""
    if type(back) is not type(data):
        return False
    if isinstance(data, dict):
        pairs = zip(back.items(), data.items(), strict=False)
        return len(back) == len(data) and all(
            same(bk, dk) and same(bv, dv) for (bk, bv), (dk, dv) in pairs
        )
    if isinstance(data, list):
        return len(back) == len(data) and all(map(same, back, data))
    if isinstance(data, float):
        return repr(back) == repr(data)
    return bool(back == data)


def _key_texts(data: Any) -> bool:
    """Whether some mapping has two keys yamllint takes for one: it compares their text."""
    if isinstance(data, dict):
        texts = [k if isinstance(k, str) else to_yaml([k]).decode()[2:-1] for k in data]
        if len(set(texts)) < len(texts):
            return True
        return any(_key_texts(value) for value in data.values())
    if isinstance(data, list | tuple):
        return any(_key_texts(item) for item in data)
    return False


def assert_reads_back(data: Any, header: str = "") -> str:
    text = to_yaml(data, header).decode("utf-8")
    want = strategies.expected(data)
    assert same(read_11(text), want), text
    assert same(read_12(text), want), text
    errors = yamllint_errors()(text)
    if errors and _key_texts(data):  # `1` and `'1'` are two keys, not a duplicate
        errors = [e for e in errors if "duplication of key" not in e]
    assert errors == [], text
    return text


# --- properties -------------------------------------------------------------------------------


@given(strategies.trees())
def test_any_tree_reads_back_exactly(data: Any) -> None:
    assert_reads_back(strategies.real(data))


@given(strategies.shared_trees())
def test_shared_data_is_written_out_each_time(data: Any) -> None:
    events = list(yaml.parse(assert_reads_back(strategies.real(data)), Loader=YAML_11_LOADER))

    assert not any(isinstance(event, yaml.AliasEvent) for event in events)
    assert all(getattr(event, "anchor", None) is None for event in events)


@settings(max_examples=100)
@given(strategies.STRINGS)
def test_any_string_reads_back_as_value_key_and_inline_item(text: str) -> None:
    data = {text: text, "list": [text, [text], {text: [text]}], "inline": Inline([text, text])}
    out = assert_reads_back(data, header="# generated\n")
    assert not any(line.endswith((" ", "\t")) for line in out.split("\n"))


@pytest.mark.parametrize("word", strategies.WORDS, ids=ascii)
def test_every_hostile_word_reads_back_in_every_place(word: str) -> None:
    assert_reads_back({word: word, "list": [word, {word: None}], "inline": Inline([word, 1])})


@given(strategies.MULTILINE, st.integers(0, 3))
def test_multi_line_text_reads_back_at_any_depth(text: str, depth: int) -> None:
    data: Any = text
    for level in range(depth):
        data = [data] if level % 2 else {"k": data}
    assert_reads_back({"top": data, "then": 1})
    assert_reads_back([data, "after"])


# --- layout -----------------------------------------------------------------------------------

SAMPLE: dict[str, Any] = {
    "services": {
        "web": {
            "image": "nginx:1.27-alpine",
            "ports": ["127.0.0.1:8080:80", "22:22"],
            "restart": "no",
            "environment": {"FLAG": "on", "COUNT": 3, "RATIO": 0.5, "DEBUG": False, "EMPTY": None},
            "healthcheck": {"test": Inline(["CMD", "wget", "-q", "a b", 3]), "retries": 3},
            "command": "sh -c 'exec app'",
        },
    },
    "groups": [{"name": "g", "rules": [{"expr": "up == 0\n  and on() vector(1)", "for": "5m"}]}],
    "matrix": [[1, 2], [], {}, None],
    "volumes": {"pgdata": {}},
    "networks": [],
}

SAMPLE_YAML = """\
# generated by pivotal-gen
#
# do not edit
services:
  web:
    image: nginx:1.27-alpine
    ports:
      - 127.0.0.1:8080:80
      - '22:22'
    restart: 'no'
    environment:
      FLAG: 'on'
      COUNT: 3
      RATIO: 0.5
      DEBUG: false
      EMPTY:
    healthcheck:
      test: [CMD, wget, '-q', a b, 3]
      retries: 3
    command: sh -c 'exec app'
groups:
  - name: g
    rules:
      - expr: |-
          up == 0
            and on() vector(1)
        for: 5m
matrix:
  - - 1
    - 2
  - []
  - {}
  - null
volumes:
  pgdata: {}
networks: []
"""


def test_block_layout_with_header() -> None:
    header = comment_header(["generated by pivotal-gen", "", "do not edit"])

    assert to_yaml(SAMPLE, header=header).decode() == SAMPLE_YAML
    assert_reads_back(SAMPLE, header)


@pytest.mark.parametrize(
    ("data", "text"),
    [
        ({}, "{}\n"),
        ([], "[]\n"),
        ((), "[]\n"),
        (Inline(["a", 1]), "[a, 1]\n"),
        ([1, "a"], "- 1\n- a\n"),
        ([{"a": 1, "b": {"c": 2}}], "- a: 1\n  b:\n    c: 2\n"),
        ([[["x"]]], "- - - x\n"),
        ({"a": None, "b": [None]}, "a:\nb:\n  - null\n"),
        ({"a": ("x", "z")}, "a:\n  - x\n  - z\n"),
        ({"a": Inline()}, "a: []\n"),
    ],
)
def test_layout(data: Any, text: str) -> None:
    assert to_yaml(data).decode() == text


def test_key_order_is_kept_and_output_is_deterministic() -> None:
    assert to_yaml({"b": 1, "a": 2}) == b"b: 1\na: 2\n"
    assert to_yaml(SAMPLE) == to_yaml(SAMPLE)


def test_shared_data_is_written_twice_without_anchors() -> None:
    shared = {"x": [1]}

    assert to_yaml({"a": shared, "b": shared}) == b"a:\n  x:\n    - 1\nb:\n  x:\n    - 1\n"


def test_data_is_not_modified() -> None:
    data = {"list": ["on", {"x": "0755"}], "t": ("a",)}

    to_yaml(data)

    assert data == {"list": ["on", {"x": "0755"}], "t": ("a",)}


# --- refusals ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        {"a": {1, 2}},
        {"a": b"bytes"},
        {"a": object()},
        [1j],
        {("a", "b"): 1},
        {frozenset(): 1},
        {"a": Inline([[1]])},
        {"a": Inline([{"b": 1}])},
        "text",
        42,
        None,
    ],
    ids=lambda data: re.sub(r" at 0x[0-9a-f]+", "", repr(data)),  # the same in every process
)
def test_what_has_no_yaml_word_is_refused(data: Any) -> None:
    with pytest.raises(TypeError):
        to_yaml(data)


def _cycles() -> list[Any]:
    mapping: dict[str, Any] = {}
    mapping["self"] = mapping
    listing: list[Any] = []
    listing.append(listing)
    deep: dict[str, Any] = {"a": [{"b": []}]}
    deep["a"][0]["b"].append(deep)
    return [mapping, listing, deep, [listing]]


@pytest.mark.parametrize("data", _cycles())
def test_data_that_contains_itself_is_refused(data: Any) -> None:
    with pytest.raises(ValueError, match="contains itself"):
        to_yaml(data)


def test_a_lone_surrogate_is_refused() -> None:
    # No UTF-8 holds it and libyaml refuses its escape: no reader could have it back.
    with pytest.raises(ValueError, match="surrogate"):
        to_yaml({"k": "a\ud800"})


# --- how each string is written ---------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        *["plain", "80:80", "nginx:1.27-alpine", "a, b", "it's", "a:b", "a#b", "${VAR}", "$$"],
        *["+", "h\u00e9llo \u2713 \u65e5\u672c", "C:\\path", "x-y", "~x", "<<x", "=x", "a  b"],
    ],
)
def test_strings_no_reader_can_misread_stay_plain(text: str) -> None:
    assert to_yaml({"key": text}) == f"key: {text}\n".encode()
    assert to_yaml({text: 1}) == f"{text}: 1\n".encode()


# Each is some other type to a YAML 1.1 or 1.2 reader, or starts with an indicator, or holds
# `: ` or ` #`, or ends in a space or `:`, or is a document marker.
MISREAD = [
    *["on", "off", "yes", "no", "On", "OFF", "oN", "y", "n", "Y", "N", "true", "False"],
    *["~", "null", "Null", "NULL", "", "<<", "="],
    *["0755", "010", "0o7", "0x10", "0b101", "1_000", "1e3", "1.0", ".5", "1.", "+1", "-2"],
    *[".inf", "-.inf", ".nan", ".NaN", "22:22", "1:30.5", "190:20:30", "2024-01-01"],
    *["2024-01-01 12:30:00", "2024-01-01T01:02:03Z"],
    *["-", "- x", "-x", "?", "? x", ":", ": x", "x:", "a: b", "#c", "a #b", ",", "[a]", "]"],
    *["{a}", "}", "*x", "&y", "!tag", "%d", "@at", "`tick", "|", ">", "'q'", '"q"', " a", "a "],
    *["---", "--- x", "...", "... x"],
]


@pytest.mark.parametrize("text", MISREAD)
def test_strings_a_reader_could_misread_are_single_quoted(text: str) -> None:
    quoted = "'" + text.replace("'", "''") + "'"
    assert to_yaml({"key": text}) == f"key: {quoted}\n".encode()
    assert to_yaml({text: 1}) == f"{quoted}: 1\n".encode()


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("plain", "plain"),
        ("a b", "a b"),
        ("a,b", "'a,b'"),
        ("a:b", "'a:b'"),
        ("a#b", "'a#b'"),
        ("a?", "'a?'"),
        ("[x]", "'[x]'"),
        ("x}", "'x}'"),
        ("-q", "'-q'"),
        ("on", "'on'"),
        ("a\tb", '"a\\tb"'),
    ],
)
def test_inline_items_are_quoted_for_flow_context(text: str, written: str) -> None:
    assert to_yaml({"k": Inline([text, 1])}) == f"k: [{written}, 1]\n".encode()


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("a\tb", '"a\\tb"'),
        ("a\rb", '"a\\x0db"'),
        ("a\\b\t", '"a\\\\b\\t"'),
        ('say "hi"\t', '"say \\"hi\\"\\t"'),
        ("\x00\x1b\x7f", '"\\x00\\x1b\\x7f"'),
        ("\x85\x9f", '"\\x85\\x9f"'),
        ("\u2028\u2029", '"\\u2028\\u2029"'),
        ("\ufeffbom", '"\\ufeffbom"'),
        ("\ufffe\uffff", '"\\ufffe\\uffff"'),
        ("\U0001f600\x01", '"\U0001f600\\x01"'),
        ("caf\u00e9\x07", '"caf\u00e9\\x07"'),
        ("trailing\n", '"trailing\\n"'),
    ],
)
def test_what_is_not_printable_is_escaped_in_double_quotes(text: str, written: str) -> None:
    key = written if "\n" not in text else '"k"'
    assert to_yaml({"k": text}) == f"k: {written}\n".encode() or key
    assert to_yaml({text: 1}) == f"{written}: 1\n".encode()


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("one\ntwo", "|-\n  one\n  two\n"),
        ("one\ntwo\n", "|\n  one\n  two\n"),
        ("one\ntwo\n\n", "|+\n  one\n  two\n\n"),
        ("one\n\n  two", "|-\n  one\n\n    two\n"),
        ("\n\none", "|-\n\n\n  one\n"),
        ("# not a comment\n- not an item", "|-\n  # not a comment\n  - not an item\n"),
    ],
)
def test_multi_line_text_is_a_literal_block(text: str, written: str) -> None:
    assert to_yaml({"k": text}) == f"k: {written}".encode()
    assert to_yaml([text]) == f"- {written}".encode()


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("trailing \nspace", '"trailing \\nspace"'),
        (" leading\nspace", '" leading\\nspace"'),
        ("\n leading", '"\\n leading"'),
        ("tab\t\nx", '"tab\\t\\nx"'),
        ("cr\r\nlf", '"cr\\x0d\\nlf"'),
        ("nel\x85\nx", '"nel\\x85\\nx"'),
        ("\n\n", '"\\n\\n"'),
    ],
)
def test_multi_line_text_no_block_can_hold_is_double_quoted(text: str, written: str) -> None:
    assert to_yaml({"k": text}) == f"k: {written}\n".encode()


def test_a_multi_line_key_is_double_quoted_not_a_block() -> None:
    assert to_yaml({"a\nb": 1}) == b'"a\\nb": 1\n'


@pytest.mark.parametrize("length", [1020, 1024, 1025, 1030])
def test_keys_longer_than_a_simple_key_take_the_explicit_form(length: int) -> None:
    for key in ["k" * length, "'" + "k" * (length - 2)]:
        text = to_yaml({key: {"a": 1}, "b": key}).decode()
        explicit = len(key if key[0] == "k" else key.replace("'", "''") + "''") > 1024
        assert text.startswith("? ") is explicit
        assert_reads_back({key: {"a": 1}, "b": key})
        assert_reads_back([{"x": 1, key: [key]}])


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (True, "true"),
        (False, "false"),
        (0, "0"),
        (-7, "-7"),
        (10**40, str(10**40)),
        (0.5, "0.5"),
        (1.0, "1.0"),
        (-0.0, "-0.0"),
        (1e-05, "1.0e-05"),
        (1e16, "1.0e+16"),
        (1.5e300, "1.5e+300"),
        (math.inf, ".inf"),
        (-math.inf, "-.inf"),
        (math.nan, ".nan"),
    ],
)
def test_numbers_and_booleans(value: Any, written: str) -> None:
    assert to_yaml({"k": value, "i": Inline([value])}) == f"k: {written}\ni: [{written}]\n".encode()
    assert same(read_11(f"k: {written}")["k"], value)
    assert same(read_12(f"k: {written}")["k"], value)


def test_non_string_keys_are_plain() -> None:
    data = {2: "a", 1.5: "b", True: "c", None: "d", "2": "e"}

    assert to_yaml(data) == b"2: a\n1.5: b\ntrue: c\nnull: d\n'2': e\n"
    assert same(read_11(to_yaml(data).decode()), data)
    assert same(read_12(to_yaml(data).decode()), data)


@settings(max_examples=400)
@given(
    st.sampled_from(sorted(NOT_TEXT_WORDS))
    | st.text(alphabet="0123456789+-._:eExXoObB-TtZz ", min_size=1, max_size=12)
)
def test_the_writer_quotes_whatever_the_reader_refuses_plain(text: str) -> None:
    """The writer's own list of what is not text to some reader (broad on purpose) and
    the reader's list of what it refuses plain (source/other_readers.py) are kept apart
    by the layers; this holds the writer's to cover the reader's."""
    if not_text(text):
        assert to_yaml({"k": text}) != f"k: {text}\n".encode()
