"""Every plain scalar we accept means the same to YAML 1.1 and 1.2 readers.

For random plain scalars, as values and as keys: either our reader refuses it (saying
how to quote it), or PyYAML (YAML 1.1, `yaml.safe_load`), ruamel.yaml (YAML 1.2, pure
safe loader) and our reader all read the same type and value.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
import yaml
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from pivotal_gen.errors import PivotalError
from pivotal_gen.source.document import parse_document
from pivotal_gen.source.other_readers import not_text, refusal
from tests.yaml_strategies import WORDS

_RUAMEL = YAML(typ="safe", pure=True)
# What numbers, bools, nulls, dates and times are made of, and some letters.
_ALPHABET = "0123456789+-._:eExXoObB yYnNtTfFaAlLsSuUrRiIZ~<=\t"
SCALARS = st.one_of(
    st.text(alphabet=_ALPHABET, min_size=1, max_size=12),
    st.lists(st.sampled_from([w for w in WORDS if w.strip()]), min_size=1, max_size=3).map("".join),
)


def typed(value: Any) -> tuple[str, Any]:
    """The type and value, so that 1, 1.0 and True differ and NaN equals NaN."""
    if value is None or isinstance(value, bool | int | str):
        return type(value).__name__, value
    if isinstance(value, float):
        return "float", repr(value)
    return type(value).__name__, repr(value)  # a date, a timestamp: never ours


def is_plain(text: str, scalar: str) -> bool:
    """Whether `scalar` is in `text` as one plain scalar, every character of it."""
    try:
        node = yaml.compose(text)
    except yaml.YAMLError:
        return False
    if not isinstance(node, yaml.MappingNode) or len(node.value) != 1:
        return False
    key, value = node.value[0]
    found = key if text.startswith(scalar) else value
    return isinstance(found, yaml.ScalarNode) and found.style is None and found.value == scalar


@settings(max_examples=600, deadline=None)
@given(scalar=SCALARS, as_key=st.booleans())
@example(scalar="0x10", as_key=False)
@example(scalar="yes", as_key=True)
@example(scalar="8080:22", as_key=False)
def test_a_plain_scalar_we_accept_reads_the_same_everywhere(scalar: str, as_key: bool) -> None:
    text = f"{scalar}: x\n" if as_key else f"a: {scalar}\n"
    assume(is_plain(text, scalar))
    try:
        ours = parse_document(text.encode(), "x.yaml").data
    except PivotalError as refused:  # at the scalar; a merge key (<<) has its own message
        message = str(refused)
        assert message.startswith("x.yaml:1:1: " if as_key else "x.yaml:1:4: ")
        assert " is read as " in message or "merge keys" in message
        return
    old = yaml.safe_load(text)
    new = _RUAMEL.load(io.StringIO(text))
    if as_key:
        readings = [next(iter(data)) for data in (ours, old, new)]
    else:
        readings = [data["a"] for data in (ours, old, new)]
    assert typed(readings[1]) == typed(readings[0]), "YAML 1.1 (PyYAML) reads it otherwise"
    assert typed(readings[2]) == typed(readings[0]), "YAML 1.2 (ruamel.yaml) reads it otherwise"


@pytest.mark.parametrize("scalar", ["backend", "1.2.3", "3000:3000", "0+10x20", "on-failure"])
def test_text_to_every_reader_is_not_suspect(scalar: str) -> None:
    assert not not_text(scalar)


def test_a_refusal_says_what_each_reader_makes_of_it() -> None:
    assert refusal("0755") == (
        "0755 is read as the number 493 by YAML 1.1 readers and the number 755 by YAML 1.2"
        ' readers; write "0755" (quoted) if you mean the text'
    )
