"""The shapes the hostile-values checks compare (tests/file_shapes.py) see what they claim."""

from __future__ import annotations

from typing import Any

import pytest

from tests.file_shapes import holds

PORT = {"host_ip": "127.0.0.1", "published": "8080", "target": 80, "protocol": "tcp"}


@pytest.mark.parametrize(
    ("data", "form", "held"),
    [
        ({"k": "a:b"}, "a:b", True),
        ({"k": "xa:by"}, "a:b", True),
        ({"ports": [PORT]}, "127.0.0.1:8080:80", True),  # a short port, read into its fields
        ({"volumes": [{"type": "bind", "source": "/d", "target": "/t"}]}, "/d:/t", True),
        ({"a": "xa", "b": "b"}, "a:b", True),
        ({"a": "ab", "b": "a"}, "a:b", True),  # (a moves over for b)
        ({"k": "ab"}, "a:b", False),  # the pieces, but not as parts of an entry
        ({"a": "ab", "b": "c"}, "a:b", False),
        ({"a": {"k": "a"}, "b": {"k": "b"}}, "a:b", False),  # in two entries
        ({"a": "a", "b": {"k": "b"}}, "a:b", False),  # in an entry and one under it
        ({"a": "b"}, "a:b", False),  # a key is not a value
        ({"k": "x"}, "::", False),  # no piece to find
        ({"k": "x"}, " ", True),  # blank: trimmed away
    ],
)
def test_holds_finds_a_value_or_its_parts_in_one_entry(data: Any, form: str, held: bool) -> None:
    assert holds(data, {form, form.strip()}) is held
