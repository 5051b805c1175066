"""Properties of validation: a random edit that breaks the real spec or a profile
is reported as `FILE:LINE:COL: message` lines within the edited files, with
exit 2 and nothing on stdout; never a traceback, never an unlocated message.

Edits are drawn on the text of this repo's pivotal.yaml and profiles/prod.yaml:
a scalar (key or value, found through ruamel's node marks) replaced by a
hostile token, an unknown key inserted, a line deleted or duplicated, a key
duplicated, indentation broken, text or bytes (NUL, invalid UTF-8) inserted, the
file cut short. An edit may leave the file valid: then validate exits 0.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import event, given
from hypothesis import strategies as st
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from pivotal_gen.cli.main import main
from tests.conftest import REPO

SPEC = "pivotal.yaml"
PROFILE = "profiles/prod.yaml"
_LOCATED = re.compile(r"(pivotal\.yaml|profiles/\w+\.yaml):(\d+):(\d+): \S")

# What a value or key may become: wrong types, out of range, YAML syntax,
# aliases and anchors, tags, escapes of characters no file may hold raw.
TOKENS = [
    "true", "-1", "99999", "0", "1.5", "1e999", "null", "~", "abc", "2001-12-14",
    "[", "]", "{", "}", "[]", "{}", "{a: 1}", "[1, 2]", "*nope", "&a", "&a x", "!!binary x",
    "!!int x", "!!str 5", "!!python/name:os.system", "!custom x", "", "\t", "'", '"',
    "'unterminated", '"\\q"', '"\\ud800"', '"\\x00"', '"\\u2028"', "<<", "? a", "- a",
    "a: b", ": x", "|", ">", "|\n  x", "%", "@", "`", "#", "...", "---", "é", "\u2028",
]  # fmt: skip
BYTES = [b"\x00", b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xef\xbb\xbf", b"\r", b"\x85", b"\t"]


@dataclass(frozen=True)
class Scalar:
    start: int  # character offsets in the text
    end: int
    is_key: bool
    column: int
    line: int


def scalars(text: str) -> list[Scalar]:
    """Every scalar of the document, keys and values, where ruamel found it."""
    try:
        root = YAML(typ="rt").compose(text)
    except (YAMLError, ValueError):
        return []
    found: list[Scalar] = []

    def visit(node: Node, is_key: bool) -> None:
        if isinstance(node, ScalarNode):
            start, end = node.start_mark, node.end_mark
            found.append(Scalar(start.index, end.index, is_key, start.column, start.line))
        elif isinstance(node, SequenceNode):
            for item in node.value:
                visit(item, False)
        elif isinstance(node, MappingNode):
            for key, value in node.value:
                visit(key, True)
                visit(value, False)

    if root is not None:
        visit(root, False)
    return found


def block_keys(text: str) -> list[Scalar]:
    """Keys that begin their line (after indentation): a line can go before them."""
    lines = text.split("\n")
    return [
        s
        for s in scalars(text)
        if s.is_key and s.line < len(lines) and lines[s.line][: s.column].strip() == ""
    ]


def _line_start(text: str, line: int) -> int:
    return sum(len(part) + 1 for part in text.split("\n")[:line])


@st.composite
def text_edit(draw: st.DrawFn, text: str) -> str:
    """One edit of `text`, of a kind that applies to it."""
    kinds = ["delete line", "duplicate line", "indent", "insert text", "cut"]
    found, keys = scalars(text), block_keys(text)
    if found:
        kinds.append("replace scalar")
    if keys:
        kinds += ["unknown key", "duplicate key"]
    kind = draw(st.sampled_from(kinds))
    lines = text.split("\n")
    if kind == "replace scalar":
        scalar = draw(st.sampled_from(found))
        token = draw(st.sampled_from(TOKENS) | st.text(min_size=1, max_size=4))
        return text[: scalar.start] + token + text[scalar.end :]
    if kind in ("unknown key", "duplicate key"):
        key = draw(st.sampled_from(keys))
        name = "zz_unknown" if kind == "unknown key" else text[key.start : key.end]
        at = _line_start(text, key.line)
        return f"{text[:at]}{' ' * key.column}{name}: 1\n{text[at:]}"
    if kind == "insert text":
        at = draw(st.integers(0, len(text)))
        token = draw(st.sampled_from(TOKENS) | st.text(min_size=1, max_size=4))
        return text[:at] + token + text[at:]
    if kind == "cut":
        return text[: draw(st.integers(0, len(text)))]
    index = draw(st.integers(0, len(lines) - 1))
    if kind == "delete line":
        del lines[index]
    elif kind == "duplicate line":
        lines.insert(index, lines[index])
    else:
        line = lines[index]
        stripped = line.lstrip(" ")
        indent = len(line) - len(stripped) + draw(st.sampled_from([-3, -2, -1, 1, 2, 3]))
        lines[index] = " " * max(indent, 0) + stripped
    return "\n".join(lines)


@st.composite
def edited(draw: st.DrawFn, original: bytes) -> bytes:
    """1-3 text edits, then maybe raw bytes no valid file holds."""
    text = original.decode("utf-8")
    for _ in range(draw(st.integers(1, 3))):
        text = draw(text_edit(text))
    data = text.encode("utf-8")
    if draw(st.integers(0, 4)) == 0:
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.sampled_from(BYTES)) + data[at:]
    return data


def _within(root: Path, file: str, line: int, col: int) -> bool:
    """LINE and COL point into the file (or just past a line's end, or at end of file).
    Lines end as YAML's do, at CR LF, CR or LF: editors and ruamel agree."""
    lines = re.split(rb"\r\n|\r|\n", (root / file).read_bytes())  # and the one after the last
    if not 1 <= line <= len(lines):
        return False
    return 1 <= col <= len(lines[line - 1].decode("utf-8", errors="replace")) + 1


def assert_located_or_valid(root: Path) -> None:
    with contextlib.chdir(root):
        result = CliRunner().invoke(main, ["validate"], catch_exceptions=True)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    assert "Traceback" not in result.output
    event(f"exit {result.exit_code}")
    if result.exit_code == 0:
        return
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines
    for line in lines:
        match = _LOCATED.match(line)
        assert match, line
        file, number, col = match[1], int(match[2]), int(match[3])
        assert _within(root, file, number, col), line
    event(lines[0].split(": ", 2)[-1][:30])  # the kinds of message seen, in the statistics


def _project(folder: str) -> Path:
    root = Path(folder)
    shutil.copy(REPO / SPEC, root / SPEC)
    shutil.copytree(REPO / "profiles", root / "profiles")
    return root


@pytest.mark.slow  # hundreds of edited specs, each validated: about 20 s
@given(edited((REPO / SPEC).read_bytes()))
def test_a_broken_spec_is_reported_at_its_lines(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = _project(folder)
        (root / SPEC).write_bytes(data)
        assert_located_or_valid(root)


@given(edited((REPO / PROFILE).read_bytes()))
def test_a_broken_profile_is_reported_at_its_lines(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = _project(folder)
        (root / PROFILE).write_bytes(data)
        assert_located_or_valid(root)


def _validate(root: Path) -> list[str]:
    with contextlib.chdir(root):
        result = CliRunner().invoke(main, ["validate"], catch_exceptions=True)
    assert result.exit_code in (0, 2), result.output
    return result.stderr.splitlines()


@st.composite
def inserted_key(draw: st.DrawFn, file: str) -> tuple[str, str, Scalar, bool]:
    """(file, its text with a key line inserted before a block key, that key, duplicate?)."""
    text = (REPO / file).read_text()
    key = draw(st.sampled_from(block_keys(text)))
    duplicate = draw(st.booleans())
    name = text[key.start : key.end] if duplicate else "zz_unknown"
    at = _line_start(text, key.line)
    return file, f"{text[:at]}{' ' * key.column}{name}: 1\n{text[at:]}", key, duplicate


@given(st.sampled_from([SPEC, PROFILE]).flatmap(inserted_key))
def test_an_inserted_key_is_reported_at_its_own_line(edit: tuple[str, str, Scalar, bool]) -> None:
    """A sharper location check than the bounds above, where the right place is known."""
    file, text, key, duplicate = edit
    with tempfile.TemporaryDirectory() as folder:
        root = _project(folder)
        (root / file).write_text(text)
        lines = _validate(root)
    line, col = key.line + 1, key.column + 1  # 1-based: the inserted line
    if duplicate:  # the original key, now a line lower, is the second definition
        name = text.split("\n")[line - 1][key.column :].removesuffix(": 1")
        expected = f"{file}:{line + 1}:{col}: duplicate key {name.strip(chr(39))!r}"
        assert lines == [f"{expected} (first defined at line {line})"]
    else:  # unknown, or a new entry of a mapping (a service, a variable...) that fails or fits
        assert not lines or any(entry.startswith(f"{file}:{line}:") for entry in lines), lines
