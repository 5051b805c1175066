"""pivotal_gen.formats.json and .comments: JSON files and the header comments of the others."""

from __future__ import annotations

import json

import pytest

from pivotal_gen.formats.comments import comment_header
from pivotal_gen.formats.json import to_json


def test_to_json_is_indented_and_ends_with_a_newline() -> None:
    assert (
        to_json({"a": [1, None], "b": True})
        == b'{\n  "a": [\n    1,\n    null\n  ],\n  "b": true\n}\n'
    )


def test_to_json_keeps_non_ascii_characters() -> None:
    out = to_json({"name": "caf\u00e9 \u2713 \U0001f600"})

    assert out == '{\n  "name": "caf\u00e9 \u2713 \U0001f600"\n}\n'.encode()
    assert b"\\u" not in out


def test_to_json_keeps_key_order_unless_asked_to_sort() -> None:
    assert to_json({"b": 1, "a": 2}) == b'{\n  "b": 1,\n  "a": 2\n}\n'
    assert to_json({"b": 1, "a": 2}, sort_keys=True) == b'{\n  "a": 2,\n  "b": 1\n}\n'


def test_to_json_round_trips() -> None:
    data = {"items": ["on", "0755", "a\nb", "\x00", "\u2028"], "n": 1.5}

    assert json.loads(to_json(data)) == data


@pytest.mark.parametrize(
    ("lines", "marker", "expected"),
    [
        ([], "#", ""),
        (["one"], "#", "# one\n"),
        (["one", "two"], "#", "# one\n# two\n"),
        (["one", "", "two"], "#", "# one\n#\n# two\n"),
        (["x"], "//", "// x\n"),
        ([""], "//", "//\n"),
    ],
)
def test_comment_header(lines: list[str], marker: str, expected: str) -> None:
    assert comment_header(lines, marker) == expected


def test_comment_header_defaults_to_hash() -> None:
    assert comment_header(["a", ""]) == "# a\n#\n"
