"""Tests for pivotal_gen.source.document: YAML to plain data, with every key and value located."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pivotal_gen.errors import Location, PivotalError
from pivotal_gen.source.document import NODE_BUDGET, Document, load_document, parse_document
from pivotal_gen.source.paths import DataPath, present_prefix

NAME = "spec.yaml"


def parse(text: str | bytes) -> Document:
    raw = text.encode("utf-8") if isinstance(text, str) else text
    return parse_document(raw, NAME)


def refused(text: str | bytes) -> tuple[str, Location]:
    """The single diagnostic `text` is refused with: its message and location."""
    with pytest.raises(PivotalError) as info:
        parse(text)
    diagnostics = info.value.diagnostics
    assert len(diagnostics) == 1
    location = diagnostics[0].location
    assert location is not None
    assert location.file == NAME
    return diagnostics[0].message, location


def at(line: int, col: int) -> Location:
    return Location(NAME, line, col)


# --- positions --------------------------------------------------------------------------------

NESTED = """\
top:
  key: value
  list:
    - 1
    - two
"""


def test_value_positions_are_one_based_line_and_column() -> None:
    document = parse(NESTED)

    assert document.data == {"top": {"key": "value", "list": [1, "two"]}}
    assert document.values == {
        (): at(1, 1),
        ("top",): at(2, 3),
        ("top", "key"): at(2, 8),
        ("top", "list"): at(4, 5),
        ("top", "list", 0): at(4, 7),
        ("top", "list", 1): at(5, 7),
    }


def test_key_positions_are_recorded_for_mapping_keys_only() -> None:
    document = parse(NESTED)

    assert document.keys == {
        ("top",): at(1, 1),
        ("top", "key"): at(2, 3),
        ("top", "list"): at(3, 3),
    }


def test_positions_inside_a_sequence_of_mappings() -> None:
    document = parse("- a\n- b: c\n")

    assert document.data == ["a", {"b": "c"}]
    assert document.values[(1, "b")] == at(2, 6)
    assert document.keys == {(1, "b"): at(2, 3)}


def test_location_formats_as_file_line_col(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "pivotal.yaml").write_text("project: demo\nservices:\n  web: {}\n")
    monkeypatch.chdir(tmp_path)

    document = load_document(Path("pivotal.yaml"))

    assert str(document.values[("services", "web")]) == "pivotal.yaml:3:8"
    assert str(document.keys[("services", "web")]) == "pivotal.yaml:3:3"


def test_byte_order_mark_is_skipped_and_does_not_shift_columns() -> None:
    document = parse(b"\xef\xbb\xbfa: 1\n")

    assert document.data == {"a": 1}
    assert document.keys[("a",)] == at(1, 1)
    assert document.values[("a",)] == at(1, 4)


# --- Document.locate --------------------------------------------------------------------------


def test_locate_returns_the_value_position() -> None:
    document = parse(NESTED)

    assert document.locate(("top", "list", 1)) == at(5, 7)


def test_locate_with_key_prefers_the_key_position() -> None:
    document = parse(NESTED)

    assert document.locate(("top", "key"), key=True) == at(2, 3)
    assert document.locate(("top", "key")) == at(2, 8)


def test_locate_with_key_falls_back_to_the_value_when_there_is_no_key() -> None:
    document = parse(NESTED)

    # A sequence item has no key: its value position is the answer.
    assert document.locate(("top", "list", 0), key=True) == at(4, 7)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (("top", "missing"), at(2, 3)),
        (("top", "list", 7), at(4, 5)),
        (("top", "key", "deeper", 0), at(2, 8)),
        (("nowhere",), at(1, 1)),
    ],
)
def test_locate_missing_path_gives_the_nearest_ancestor(path: DataPath, expected: Location) -> None:
    assert parse(NESTED).locate(path) == expected


def test_locate_in_an_empty_document_is_none() -> None:
    assert parse("").locate(("anything",)) is None
    assert parse("").locate((), key=True) is None


# --- present_prefix ---------------------------------------------------------------------------

PREFIX_DATA: dict[str, Any] = {"a": {"b": [10, {"c": None}]}, "n": 0}


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ((), ()),
        (("a", "b", 1, "c"), ("a", "b", 1, "c")),
        (("a", "b", 1, "c", "d"), ("a", "b", 1, "c")),
        (("a", "x", "y"), ("a",)),
        (("a", "b", 2), ("a", "b")),
        (("a", "b", -1), ("a", "b")),
        (("a", "b", "0"), ("a", "b")),  # a string is not a list index
        (("a", 0), ("a",)),  # an int is not a mapping key
        (("n", "x"), ("n",)),
        (("zzz",), ()),
    ],
)
def test_present_prefix(path: DataPath, expected: DataPath) -> None:
    assert present_prefix(PREFIX_DATA, path) == expected


# --- scalars ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Canonical numbers become Python numbers.
        ("42", 42),
        ("-7", -7),
        ("+7", 7),
        ("0", 0),
        ("1.5", 1.5),
        ("-0.25", -0.25),
        # YAML 1.2 booleans and nulls.
        ("true", True),
        ("True", True),
        ("false", False),
        ("FALSE", False),
        ("null", None),
        ("~", None),
        ("", None),
        # What other readers read as other than text, quoted, is the text.
        ("'0755'", "0755"),
        ('"0x10"', "0x10"),
        ("'1e3'", "1e3"),
        ("'yes'", "yes"),
        ('"2024-01-01"', "2024-01-01"),
        ('"12:30"', "12:30"),
        # Quoted scalars are always strings.
        ('"42"', "42"),
        ('"true"', "true"),
        ("'null'", "null"),
        ('"~"', "~"),
        ("''", ""),
        # An explicit standard tag is honoured.
        ("!!str 42", "42"),
    ],
)
def test_scalar_values(text: str, expected: Any) -> None:
    value = parse(f"a: {text}\n").data["a"]

    assert value == expected
    assert type(value) is type(expected)


def test_block_scalar_keeps_its_text() -> None:
    assert parse("a: |\n  line one\n  line two\n").data == {"a": "line one\nline two\n"}


def test_folded_block_scalar_is_the_folded_text() -> None:
    assert parse("a: >-\n  one\n  two\n\n  three\n").data == {"a": "one two\nthree"}


def test_an_empty_value_is_located_after_its_key() -> None:
    document = parse("a:\nb: 1\n")
    assert document.data == {"a": None, "b": 1}
    assert document.values[("a",)] == Location(NAME, 1, 3)  # not at b's line


def test_keys_are_strings_even_when_they_look_like_numbers() -> None:
    assert parse("'1': a\n\"true\": b\n").data == {"1": "a", "true": "b"}


@pytest.mark.parametrize(
    ("text", "message", "line", "col"),
    [
        ("1: a\n", 'key 1 is read as the number 1 by other YAML readers; write "1"', 1, 1),
        ("a:\n  on: b\n", "key on is read as the boolean true by YAML 1.1 readers", 2, 3),
        ("{x: 1, y: 2}\n", "key y is read as the boolean true by YAML 1.1 readers", 1, 8),
        ("? ~\n: a\n", "key ~ is read as null by other YAML readers", 1, 3),
        ("&k 0x10: a\n", "key 0x10 is read as the number 16 by other YAML readers", 1, 1),
    ],
)
def test_a_key_other_readers_read_as_other_than_text_is_refused(
    text: str, message: str, line: int, col: int
) -> None:
    found, where = refused(text)
    assert found.startswith(message)
    assert found.endswith("(quoted) if you mean the text")
    assert where == at(line, col)


# --- documents --------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n"])
def test_empty_file_gives_data_none(text: str) -> None:
    document = parse(text)

    assert document.data is None
    assert document.values == {}
    assert document.keys == {}


def test_document_with_no_content_gives_data_none() -> None:
    assert parse("---\n").data is None


def test_several_documents_are_refused_at_the_second() -> None:
    message, location = refused("a: 1\n---\nb: 2\n")

    assert message == "expected one YAML document, found several"
    assert location == at(3, 1)


def test_load_document_reads_the_file(tmp_path: Path) -> None:
    path = tmp_path / "pivotal.yaml"
    path.write_bytes(b"project: demo\n")

    document = load_document(path)

    assert document.data == {"project": "demo"}
    assert document.values[("project",)] == Location(str(path), 1, 10)


def test_load_document_of_a_missing_file_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "absent.yaml"

    with pytest.raises(PivotalError) as info:
        load_document(path)

    [diagnostic] = info.value.diagnostics
    assert diagnostic.message.startswith(f"{path}: cannot read: ")
    assert diagnostic.location is None


def test_small_aliases_are_expanded_into_independent_values() -> None:
    document = parse("x: &a {p: 1}\nz: *a\n")

    assert document.data == {"x": {"p": 1}, "z": {"p": 1}}
    assert document.data["x"] is not document.data["z"]
    assert document.keys[("z",)] == at(2, 1)


# --- refusals ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "col", "problem"),
    [
        ("a: b: c\n", 1, 5, "mapping values are not allowed in this context"),
        ("a:\n\tb: 1\n", 2, 1, "found character '\\t' that cannot start any token"),
        ("a: 1\nb: [1,\n", 3, 1, "did not find expected node content"),
        ("ok: 1\na: 'x\n", 3, 1, "found unexpected end of stream"),
    ],
)
def test_syntax_error_is_located(text: str, line: int, col: int, problem: str) -> None:
    message, location = refused(text)

    assert message.startswith(f"YAML syntax error: {problem}")
    assert (location.line, location.col) == (line, col)


@pytest.mark.parametrize(
    ("raw", "line", "col"),
    [(b"a: \x07\n", 1, 4), (b"a: 1\nb: x\x00\n", 2, 5), (b"a: \xc3\xa9\n\nb: \x1b\n", 3, 4)],
)
def test_forbidden_control_character_is_located(raw: bytes, line: int, col: int) -> None:
    message, location = refused(raw)

    assert message.startswith("YAML error: ")
    assert (location.line, location.col) == (line, col)


@pytest.mark.parametrize(
    ("text", "message", "line", "col"),
    [
        ("a: 1\nb: 2\na: 3\n", "duplicate key 'a' (first defined at line 1)", 3, 1),
        ("a:\n  b: 1\n  c: 2\n  b: 3\n", "duplicate key 'b' (first defined at line 2)", 4, 3),
        ("'1': a\n\"1\": b\n", "duplicate key '1' (first defined at line 1)", 2, 1),
    ],
    ids=["top-level", "nested", "same-text"],
)
def test_duplicate_key_is_refused_at_the_second_key(
    text: str, message: str, line: int, col: int
) -> None:
    assert refused(text) == (message, at(line, col))


def test_merge_key_is_refused() -> None:
    message, location = refused("base: &b {x: 1}\nweb:\n  <<: *b\n")

    assert message == "YAML merge keys (<<) are not supported; use a profile overlay instead"
    assert location == at(3, 3)


def test_complex_key_is_refused() -> None:
    message, location = refused("? [1, 2]\n: value\n")

    assert message == "mapping keys must be plain strings"
    assert location == at(1, 3)


@pytest.mark.parametrize(
    ("raw", "line", "col"),
    [
        (b"\xff: 1\n", 1, 1),
        (b"a: ok\nb: \xff\n", 2, 4),
        (b"a: ok\r\nbb: x\xfe\r\n", 2, 6),
        (b"a: 1\nb: 2\nc: \xc3(\n", 3, 4),  # a truncated two-byte sequence
    ],
)
def test_non_utf8_bytes_are_refused_at_the_bad_byte(raw: bytes, line: int, col: int) -> None:
    message, location = refused(raw)

    assert message == "file is not valid UTF-8"
    assert (location.line, location.col) == (line, col)


# Found by the edit properties: after a lone CR (a line break to YAML), ruamel's
# marks started a new line while the checks before it counted LF only.
@pytest.mark.parametrize(
    ("raw", "col"),
    [
        (b"a: 1\rb: c: d\n", 5),
        (b"a: 1\rb: \xff\n", 4),
        (b"a: 1\rb: \x00\n", 4),
        ("a: 1\rb: \u2028\n".encode(), 4),
    ],
    ids=["syntax", "utf-8", "control", "legacy-break"],
)
def test_every_position_counts_a_lone_cr_as_a_line_break(raw: bytes, col: int) -> None:
    _, location = refused(raw)

    assert (location.line, location.col) == (2, col)


def test_non_utf8_column_after_a_byte_order_mark_counts_from_the_content() -> None:
    _, location = refused(b"\xef\xbb\xbfa: \xff\n")

    assert (location.line, location.col) == (1, 4)


# Found by the render properties: NEL raw in a JSON (so YAML 1.2) string came
# back as a space; LS in a comment broke the parse. Both are refused, located.
@pytest.mark.parametrize(
    ("raw", "line", "col", "code"),
    [
        ('{"A": "x\u0085y"}'.encode(), 1, 9, "0085"),
        ("a: 1\n# c\u2028d\n".encode(), 2, 4, "2028"),
        ("a: |\n  x\u2029y\n".encode(), 2, 4, "2029"),
        ("a: x\u2028y\n".encode(), 1, 5, "2028"),
    ],
)
def test_yaml_1_1_line_breaks_are_refused_raw(raw: bytes, line: int, col: int, code: str) -> None:
    message, location = refused(raw)

    assert message == (
        f"U+{code} is a line break to some YAML readers and text to others; "
        f"write it as \\u{code} in a double-quoted string"
    )
    assert (location.line, location.col) == (line, col)


def test_yaml_1_1_line_breaks_escaped_are_kept() -> None:
    text = '{"a": "x\\u0085y\\u2028z\\u2029"}'
    assert parse(text).data == {"a": "x\x85y\u2028z\u2029"}


def test_non_utf8_column_counts_characters_like_other_columns() -> None:
    # "a: é" is four characters but five bytes; the bad byte is the fifth character.
    _, location = refused(b"a: \xc3\xa9\xff\n")

    assert (location.line, location.col) == (1, 5)


def billion_laughs(levels: int = 9, width: int = 9) -> tuple[str, int]:
    """The classic alias bomb, and how many values it expands to."""
    lines = ["l0: &l0 [" + ", ".join(['"lol"'] * width) + "]"]
    for level in range(1, levels):
        lines.append(f"l{level}: &l{level} [" + ", ".join([f"*l{level - 1}"] * width) + "]")
    # Each level holds `width` copies of the one below: width + width**2 + ... values in all.
    expanded = sum(width**level for level in range(1, levels + 1))
    return "\n".join(lines) + "\n", expanded


def test_alias_bomb_is_refused() -> None:
    text, expanded = billion_laughs()
    assert expanded > 1000 * NODE_BUDGET  # the bomb is real: far beyond the budget

    message, _ = refused(text)

    assert message == f"document expands to more than {NODE_BUDGET} values (YAML aliases?)"
    assert "aliases" in message


@pytest.mark.parametrize(
    ("text", "tag", "col"),
    [
        ("a: !foo bar\n", "!foo", 4),
        ("a: !!binary aGVsbG8=\n", "tag:yaml.org,2002:binary", 4),
        ("a: !!python/object:os.system x\n", "tag:yaml.org,2002:python/object:os.system", 4),
        ("a: !foo {x: 1}\n", "!foo", 4),
        ("a: !foo [1]\n", "!foo", 4),
        ("a: !!set {x, y}\n", "tag:yaml.org,2002:set", 4),
        ("a: !!omap [x: 1]\n", "tag:yaml.org,2002:omap", 4),
        ("!foo\nx: 1\n", "!foo", 1),
    ],
)
def test_custom_tag_is_refused(text: str, tag: str, col: int) -> None:
    message, location = refused(text)

    assert message == f"unsupported YAML tag {tag}"
    assert location == at(1, col)


def test_standard_collection_tags_are_accepted() -> None:
    assert parse("a: !!map {x: 1}\nb: !!seq [1]\n").data == {"a": {"x": 1}, "b": [1]}
