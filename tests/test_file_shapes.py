"""The shapes the hostile-values checks compare (tests/file_shapes.py) see what they claim."""

from __future__ import annotations

from typing import Any

import pytest

from tests.file_shapes import holds, instructions

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


# What a value could make of a Dockerfile, read as BuildKit reads it.
@pytest.mark.parametrize(
    ("benign", "hostile"),
    [
        # A continuation goes on past blank lines: the next stage's FROM joins the RUN.
        ("RUN a\n\nFROM b AS c\n", "RUN a \\\n\nFROM b AS c\n"),
        ("RUN a\nUSER x\n", "RUN a <<EOF\nUSER x\nEOF\n"),  # a heredoc takes the lines
        ("RUN a\n", "RUN a <<EOF\n"),  # one that does not end: BuildKit refuses the file
        ('HEALTHCHECK CMD ["a", "b"]\n', 'HEALTHCHECK CMD ["a", "b", "c"]\n'),
        ('HEALTHCHECK CMD ["a"]\n', "HEALTHCHECK NONE\n"),
        ("# escape=`\nRUN a\nUSER x\n", "# escape=`\nRUN a `\nUSER x\n"),
        ("ONBUILD RUN a\n", "ONBUILD USER a\n"),
        ("COPY a b\n", "COPY --chown=x a b\n"),
        ('COPY ["a", "b"]\n', 'COPY ["a", "b"] c\n'),
        ("WORKDIR /a\n", "WORKDIR /a b\n"),
        ("ENV A=1\n", "ENV A=1 B=2\n"),
    ],
)
def test_instructions_see_a_value_become_syntax(benign: str, hostile: str) -> None:
    assert instructions(hostile) != instructions(benign)


@pytest.mark.parametrize(
    ("benign", "hostile"),
    [
        ("RUN pnpm run build\n", "RUN pnpm run build && echo 'a; b' # c $(d)\n"),
        ("RUN a b\n", "RUN a \\\n  # a comment\n  b\n"),  # comments in a continuation go
        ('COPY ["a", "b"]\n', 'COPY ["a #x <<EOF", "b \\\\ c"]\n'),
        ('HEALTHCHECK CMD ["a"]\n', 'HEALTHCHECK CMD ["a; b \\"\\nUSER x"]\n'),
    ],
)
def test_instructions_keep_data_as_data(benign: str, hostile: str) -> None:
    assert instructions(hostile) == instructions(benign)
