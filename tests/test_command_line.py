"""String commands as Compose splits them: the model's reading is held to the real
parser's, and what the parser would refuse or cut short is refused by the spec."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from pivotal_gen.model.command_line import Unsplittable, compose_words
from tests.compose import compose_config, unescape

SAMPLES = [
    *("node dist/main.js", "  a   b  ", "a 'b c' \"d e\"", "a\\ b", "a\\;b", "'a;b' \"c|d\""),
    *("a$(b c)", "a$(b;c)", "'x' ''", 'a "" b', "a`b c`", "a#b # c", "{ } ~ ! *", "a\\\\b"),
    *("'it''s'", "a\\'b", "x\\\"y", "a\\", "'a", '"a', "`a", "a$(b", "(a)", "a(b", ")"),
    *("a;b", "a&&b", "a | b", "a>b", "2>x", "a<b", "sh -c 'a'; rm -rf /", "a\tb\nc\rd"),
    *("'$(a' b", '"`" x', "$$(a)", "a'b\"c'd\"e", "\"a\\\"b\"", "'a\\'"),
]  # fmt: skip


def compose_reads(command: str, tmp_path: Path) -> list[str] | None:
    """The words the Compose parser reads from a string command, or None if it refuses."""
    text = command.replace("$", "$$")  # a literal: what pivotal-gen writes for it
    service = {"image": "busybox:1.37", "command": text}
    (tmp_path / "c.yml").write_text(json.dumps({"services": {"s": service}}))
    run = compose_config(tmp_path, ["c.yml"], {}, "--format", "json")
    if run.returncode != 0:
        assert "invalid command line string" in run.stderr, run.stderr
        return None
    words: list[str] = json.loads(run.stdout)["services"]["s"]["command"]
    return [unescape(word) for word in words]


def _kept(text: str) -> str:
    return re.sub(r"[\s'\"\\]", "", text)


@pytest.mark.parametrize("command", SAMPLES)
def test_the_words_are_those_compose_reads(command: str, tmp_path: Path) -> None:
    read = compose_reads(command, tmp_path)
    try:
        words = compose_words(command)
    except Unsplittable:
        # Refused: Compose refuses the file, or reads less than the string holds.
        assert read is None or _kept("".join(read)) != _kept(command), read
    else:
        assert read == words
