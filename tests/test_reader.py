"""What pivotal_gen.source.reader refuses, each as one message at FILE:LINE:COL, and how
it reads aliases, tags and directives. Positions and scalars: test_source.py and
test_core_schema.py."""

from __future__ import annotations

import time
import tracemalloc

import pytest

from pivotal_gen.errors import PivotalError
from pivotal_gen.source.document import NODE_BUDGET, parse_document
from pivotal_gen.source.reader import MAX_DEPTH
from tests.test_source import billion_laughs, parse

NAME = "spec.yaml"
INDENTATION = "check the indentation of this line against the lines above"


def error(text: str | bytes) -> str:
    """`FILE:LINE:COL: message`, the one diagnostic `text` is refused with."""
    raw = text.encode("utf-8") if isinstance(text, str) else text
    with pytest.raises(PivotalError) as info:
        parse_document(raw, NAME)
    [diagnostic] = info.value.diagnostics
    assert diagnostic.location is not None
    return str(diagnostic)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "a:\n  b: 1\n c: 2\n",
            "3:2: YAML syntax error: did not find expected key (while parsing a block "
            f"mapping at line 1): {INDENTATION}",
        ),
        (
            "- a\nb: 1\n",
            "2:1: YAML syntax error: did not find expected '-' indicator (while parsing a "
            f"block collection at line 1): {INDENTATION}",
        ),
        (
            "a: 1\n  b: 2\n",
            "2:4: YAML syntax error: mapping values are not allowed in this context: "
            "quote a value that holds ': ', or check the indentation of this line",
        ),
        (
            "services:\n  web:\n    ports: [3000\n",
            "4:1: YAML syntax error: did not find expected ',' or ']' (while parsing a flow "
            "sequence at line 3): is a ']' or a ',' missing?",
        ),
        (
            "a: {b: 1\n",
            "2:1: YAML syntax error: did not find expected ',' or '}' (while parsing a flow "
            "mapping at line 1): is a '}' or a ',' missing?",
        ),
        (
            "a:\n\tb: 1\n",
            "2:1: YAML syntax error: found character '\\t' that cannot start any token: "
            "YAML indents with spaces, not tabs",
        ),
        (
            "a: @home\n",
            "1:4: YAML syntax error: found character '@' that cannot start any token: "
            "a plain value cannot start with '@'; quote it",
        ),
        (
            "a: 'x\n",
            "2:1: YAML syntax error: found unexpected end of stream (while scanning a quoted "
            "scalar at line 1)",
        ),
        ("%YAML 2.0\n---\na: 1\n", "1:1: YAML syntax error: found incompatible YAML document"),
        (  # libyaml's mark is on the line after a text without a final line break
            "a:\n  b: 1\n  user",
            "3:7: YAML syntax error: could not find expected ':' (while scanning a simple key "
            "at line 3): is a ':' missing after a key?",
        ),
        (
            "a: [1",
            "1:6: YAML syntax error: did not find expected ',' or ']' (while parsing a flow "
            "sequence at line 1): is a ']' or a ',' missing?",
        ),
    ],
    ids=[
        "key",
        "dash",
        "colon",
        "bracket",
        "brace",
        "tab",
        "reserved",
        "quote",
        "version-2",
        "cut-key",
        "cut-flow",
    ],
)
def test_syntax_errors_are_libyaml_s_with_a_hint(text: str, expected: str) -> None:
    assert error(text) == f"{NAME}:{expected}"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"a: \x07\n", "1:4: YAML error: control characters are not allowed (U+0007)"),
        (  # libyaml counts bytes here: the column still counts characters
            "a: 'ü'\nb: é\x1b\n".encode(),
            "2:5: YAML error: control characters are not allowed (U+001B)",
        ),
    ],
)
def test_reader_errors_are_located(raw: bytes, expected: str) -> None:
    assert error(raw) == f"{NAME}:{expected}"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: 1\n---\nb: 2\n", "3:1: expected one YAML document, found several"),
        ("a: 1\n...\n---\n[b]\n", "4:1: expected one YAML document, found several"),
        ("a: 1\nb: 2\na: 3\n", "3:1: duplicate key 'a' (first defined at line 1)"),
        ("a: {b: 1, 'b': 2}\n", "1:11: duplicate key 'b' (first defined at line 1)"),
        (
            "base: &b {x: 1}\nweb:\n  <<: *b\n",
            "3:3: YAML merge keys (<<) are not supported; use a profile overlay instead",
        ),
        (
            "web: {!!merge x: 1}\n",
            "1:7: YAML merge keys (<<) are not supported; use a profile overlay instead",
        ),
        ("? [1, 2]\n: value\n", "1:3: mapping keys must be plain strings"),
        ("{a: 1}: value\n", "1:1: mapping keys must be plain strings"),
        ("a: &m {x: 1}\nb: {*m : 2}\n", "2:5: mapping keys must be plain strings"),
        ("a: !foo bar\n", "1:4: unsupported YAML tag !foo"),
        ("!foo a: 1\n", "1:1: unsupported YAML tag !foo"),
        ("a: !!binary aGk=\n", "1:4: unsupported YAML tag tag:yaml.org,2002:binary"),
        ("a: !!timestamp 2024-01-01\n", "1:4: unsupported YAML tag tag:yaml.org,2002:timestamp"),
        ("a: !!set {x}\n", "1:4: unsupported YAML tag tag:yaml.org,2002:set"),
        ("a: !!str [1]\n", "1:4: YAML tag !!str cannot tag a sequence"),
        ("a: !!seq {x: 1}\n", "1:4: YAML tag !!seq cannot tag a mapping"),
        ("a: !!map x\n", "1:4: YAML tag !!map cannot tag a scalar"),
        ("a: !!int ten\n", "1:4: 'ten' is not a !!int in YAML 1.2's core schema"),
        ("a: !!bool yes\n", "1:4: 'yes' is not a !!bool in YAML 1.2's core schema"),
        ("a: !!null nil\n", "1:4: 'nil' is not a !!null in YAML 1.2's core schema"),
        ("a: !!float 1.2.3\n", "1:4: '1.2.3' is not a !!float in YAML 1.2's core schema"),
        ("a: 1\nb: *nowhere\n", "2:4: alias *nowhere has no anchor &nowhere before it"),
        ("a: *later\nb: &later 1\n", "1:4: alias *later has no anchor &later before it"),
        (
            "a: &x [1, *x]\n",
            "1:11: alias *x is inside the node it refers to (a recursive alias)",
        ),
        (
            "a: &x {b: {c: *x}}\n",
            "1:15: alias *x is inside the node it refers to (a recursive alias)",
        ),
        (
            "# comment\n%YAML 1.1\n---\na: yes\n",
            "2:1: %YAML 1.1: this file is read as YAML 1.2; remove the directive",
        ),
    ],
)
def test_what_the_reader_refuses_is_located(text: str, expected: str) -> None:
    assert error(text) == f"{NAME}:{expected}"


@pytest.mark.parametrize("levels", [MAX_DEPTH + 1, 500])
def test_deep_nesting_is_refused_at_the_level_past_the_limit(levels: int) -> None:
    text = "[" * levels + "]" * levels

    expected = f"{NAME}:1:{MAX_DEPTH + 1}: YAML nested more than {MAX_DEPTH} levels deep"
    assert error(text) == expected


def test_libyaml_refuses_far_deeper_nesting_before_we_see_it() -> None:
    assert error("[" * 100_000) == (
        f"{NAME}:1:1001: YAML syntax error: exceeded maximum nesting depth "
        "(while increasing flow level at line 1)"
    )


def test_nesting_up_to_the_limit_is_read() -> None:
    data = parse("[" * MAX_DEPTH + "]" * MAX_DEPTH).data
    for _ in range(MAX_DEPTH - 1):
        data = data[0]
    assert data == []


def test_deep_nesting_through_an_alias_is_refused_at_the_alias() -> None:
    half = MAX_DEPTH // 2 + 1
    text = f"a: &deep {'[' * half}{']' * half}\nb: {'[' * half}*deep{']' * half}\n"

    assert error(text) == f"{NAME}:2:{half + 4}: YAML nested more than {MAX_DEPTH} levels deep"


def test_an_alias_bomb_is_refused_at_an_alias_in_bounded_time_and_memory() -> None:
    text, expanded = billion_laughs()
    assert expanded > 1000 * NODE_BUDGET

    tracemalloc.start()
    started = time.perf_counter()
    try:
        message = error(text)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert message.startswith(f"{NAME}:")
    assert message.endswith(f": document expands to more than {NODE_BUDGET} values (YAML aliases?)")
    line = int(message.split(":")[1])
    assert 2 <= line <= 9  # at an alias: the first line holds none
    assert time.perf_counter() - started < 10
    assert peak < 100 * 2**20


def test_the_budget_counts_every_value_an_alias_builds_again() -> None:
    # The top mapping is one value; a list of n items n + 1, and each alias of it as many.
    n = (NODE_BUDGET - 1) // 4 - 1
    items = ", ".join(["1"] * n)
    fits = f"a: &x [{items}]\nb: *x\nc: *x\nd: *x\n"
    assert 1 + 4 * (n + 1) <= NODE_BUDGET
    assert len(parse(fits).data["d"]) == n

    assert error(fits + "e: *x\n").endswith(
        f"5:4: document expands to more than {NODE_BUDGET} values (YAML aliases?)"
    )


# --- what it reads ------------------------------------------------------------------------------


def test_an_alias_is_its_anchored_value_built_again_at_the_anchor_s_positions() -> None:
    document = parse("x: &a {p: [1]}\nz: *a\n")

    assert document.data == {"x": {"p": [1]}, "z": {"p": [1]}}
    assert document.data["z"] is not document.data["x"]
    assert document.data["z"]["p"] is not document.data["x"]["p"]
    assert document.values[("z",)] == document.values[("x",)]
    assert document.values[("z", "p", 0)] == document.values[("x", "p", 0)]
    assert document.keys[("z", "p")] == document.keys[("x", "p")]
    assert document.keys[("z",)].line == 2


def test_an_anchor_used_again_refers_to_its_latest_node() -> None:
    assert parse("a: &x 1\nb: &x two\nc: *x\n").data == {"a": 1, "b": "two", "c": "two"}


def test_an_anchored_key_can_be_an_alias_key_or_value() -> None:
    document = parse("&k name: 1\nother: {*k : 2}\nagain: *k\n")

    assert document.data == {"name": 1, "other": {"name": 2}, "again": "name"}
    assert document.keys[("other", "name")] == document.keys[("name",)]


def test_standard_tags_read_as_the_core_schema_says() -> None:
    text = (
        "a: !!str 1\nb: !!int '7'\nc: !!int 31\nd: !!float 1.5\ne: !!bool 'true'\n"
        "f: !!null ''\ng: ! 12\nh: !!map {x: 1}\ni: !!seq [1]\nj: ! [x]\n!!str 1: k\n"
    )
    assert parse(text).data == {
        "a": "1",
        "b": 7,
        "c": 31,
        "d": 1.5,
        "e": True,
        "f": None,
        "g": "12",  # the non-specific tag "!" makes a string
        "h": {"x": 1},
        "i": [1],
        "j": ["x"],
        "1": "k",
    }


def test_a_yaml_1_2_directive_is_accepted() -> None:
    assert parse("%YAML 1.2\n---\na: x\n").data == {"a": "x"}


def test_tag_directives_expand_to_tags_that_must_be_standard() -> None:
    standard = "%TAG !core! tag:yaml.org,2002:\n---\na: !core!int 7\nb: !core!str 8\n"
    assert parse(standard).data == {"a": 7, "b": "8"}

    other = "%TAG !e! tag:example.com,2024:\n---\na: !e!thing 7\n"
    assert error(other) == f"{NAME}:3:4: unsupported YAML tag tag:example.com,2024:thing"


def test_a_quoted_merge_key_is_a_plain_key() -> None:
    assert parse("'<<': 1\n").data == {"<<": 1}


OTHERS = "by other YAML readers"
OLD = "by YAML 1.1 readers"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: 0x10\n", f"1:4: 0x10 is read as the number 16 {OTHERS}"),
        ("a: yes\n", f"1:4: yes is read as the boolean true {OLD}"),
        ("a: No\n", f"1:4: No is read as the boolean false {OLD}"),
        ("a: ON\n", f"1:4: ON is read as the boolean true {OLD}"),
        ("a: off\n", f"1:4: off is read as the boolean false {OLD}"),
        ("a: y\n", f"1:4: y is read as the boolean true {OLD}"),
        ("a: n\n", f"1:4: n is read as the boolean false {OLD}"),
        (
            "a: 0755\n",
            f"1:4: 0755 is read as the number 493 {OLD} and the number 755 by YAML 1.2 readers",
        ),
        (
            "a: 010\n",
            f"1:4: 010 is read as the number 8 {OLD} and the number 10 by YAML 1.2 readers",
        ),
        ("a: 0o17\n", "1:4: 0o17 is read as the number 15 by YAML 1.2 readers"),
        ("a: 0b101\n", f"1:4: 0b101 is read as the number 5 {OTHERS}"),
        ("a: 1_000\n", f"1:4: 1_000 is read as the number 1000 {OTHERS}"),
        ("a: 22:22\n", f"1:4: 22:22 is read as the number 1342 {OLD}"),
        ("a: 1:30.5\n", f"1:4: 1:30.5 is read as the number 90.5 {OLD}"),
        ("a: .5\n", f"1:4: .5 is read as the number 0.5 {OTHERS}"),
        ("a: 1.\n", f"1:4: 1. is read as the number 1.0 {OTHERS}"),
        ("a: 1e3\n", "1:4: 1e3 is read as the number 1000.0 by YAML 1.2 readers"),
        ("a: -.inf\n", f"1:4: -.inf is read as the number -inf {OTHERS}"),
        ("a: 2024-01-01\n", f"1:4: 2024-01-01 is read as a date {OTHERS}"),
        ("a: 2024-01-01 10:00:00\n", f"1:4: 2024-01-01 10:00:00 is read as a timestamp {OTHERS}"),
        ("a: =\n", f"1:4: = is read as a YAML 1.1 !!value (an error to most readers) {OLD}"),
        ("a: <<\n", f"1:4: << is read as a YAML 1.1 merge key (an error to most readers) {OLD}"),
        ("a: [x, on]\n", f"1:8: on is read as the boolean true {OLD}"),
        ("a:\n  - 8080:22\n", f"2:5: 8080:22 is read as the number 484822 {OLD}"),
        ("a: !!int 0x1F\n", f"1:4: !!int 0x1F is read as the number 31 {OTHERS}"),
        ("a: !!float .5\n", f"1:4: !!float .5 is read as the number 0.5 {OTHERS}"),
        ("yes: 1\n", f"1:1: key yes is read as the boolean true {OLD}"),
        ("8080: 1\n", f"1:1: key 8080 is read as the number 8080 {OTHERS}"),
    ],
)
def test_a_plain_scalar_other_readers_read_otherwise_is_refused_at_it(
    text: str, expected: str
) -> None:
    scalar = expected.split(": ", 1)[1].split(" is read as ")[0].removeprefix("key ")
    scalar = scalar.removeprefix("!!int ").removeprefix("!!float ")
    fix = f'; write "{scalar}" (quoted) if you mean the text'
    assert error(text) == f"{NAME}:{expected}{fix}"


@pytest.mark.parametrize(
    "text", ["a: '0x10'\n", 'a: "yes"\n', "a: !!str 0755\n", "a: |\n  on\n", "a: 'n'\n"]
)
def test_the_same_scalars_quoted_or_tagged_as_text_are_read_as_text(text: str) -> None:
    assert isinstance(next(iter(parse(text).data.values())), str)


def test_text_other_readers_read_as_text_too_is_not_refused() -> None:
    text = "a: [1.2.3, 3000:3000, 00:60, x, on-failure, no-cache, 0+10x20, '1', .x, -, +, .]\n"
    assert parse(text).data["a"][0] == "1.2.3"
