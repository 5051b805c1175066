"""pivotal_gen.formats.yaml_scalars chooses quotes as ruamel.yaml did with its representer.

The tree properties (test_yaml_emitter.py) check whole documents; these check
the rules one string at a time, many more strings: the merged resolver pattern
against ruamel's own resolvers, and the regex fast paths against the port of
ruamel's analysis they stand in for.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pivotal_gen.formats.yaml_scalars import (
    _BLOCK_PLAIN,
    _BLOCK_QUOTED,
    _FLOW_PLAIN,
    analyze,
    double_quoted,
    quoted_always,
    render_str,
)
from tests.ruamel_oracle import reads_back_as_str
from tests.yaml_strategies import LONG_KEYS, STRINGS

MANY = settings(max_examples=settings().max_examples * 40)


@MANY
@given(st.one_of(STRINGS, LONG_KEYS.map(str)))
def test_quoted_always_is_the_representer_rule(text: str) -> None:
    breaks_or_tabs = any(char in "\n\r\t\x85\u2028\u2029" for char in text)

    assert quoted_always(text) == (not reads_back_as_str(text) or breaks_or_tabs)


@MANY
@given(STRINGS.filter(bool))
def test_the_fast_paths_agree_with_the_analysis(text: str) -> None:
    flow_plain, block_plain, _ = analyze(text)

    assert not _BLOCK_PLAIN.fullmatch(text) or block_plain
    assert not _FLOW_PLAIN.fullmatch(text) or flow_plain
    assert not _BLOCK_QUOTED.fullmatch(text) or not block_plain


@pytest.mark.parametrize(
    ("text", "block", "flow"),
    [
        ("plain", "plain", "plain"),
        ("a,b", "a,b", "'a,b'"),  # `,` only counts in flow context
        ("?", "'?'", "'?'"),
        ("?x", "?x", "?x"),
        ("? x", "'? x'", "? x"),  # YAML 1.2: `? ` only starts a block key
        ("x:", "'x:'", "'x:'"),
        ("a:b", "a:b", "a:b"),
        ("a #b", "'a #b'", "'a #b'"),
        ("a#b", "a#b", "a#b"),
        ("it's", "it's", "it's"),
        ("'quoted'", "\"'quoted'\"", "\"'quoted'\""),  # double quotes rather than doubled '
        (" lead", "' lead'", "' lead'"),
        ("on", '"on"', '"on"'),
        ("_1", "_1", "_1"),  # ruamel tries number patterns on -+0-9. only
        ("\u00e9\U0001f600", "\u00e9\U0001f600", "\u00e9\U0001f600"),
        ("\x00a\x85\ufeff\ud800", '"\\0a\\N\\uFEFF\\uD800"', '"\\0a\\N\\uFEFF\\uD800"'),
    ],
)
def test_styles(text: str, block: str, flow: str) -> None:
    assert (render_str(text, flow=False), render_str(text, flow=True)) == (block, flow)


def test_double_quotes_escape_as_ruamel_does() -> None:
    text = '"\\\x07\x08\t\n\x0b\x0c\r\x1b\x7f\x9f\xa0\u2028\u2029\ufffe'

    assert double_quoted(text) == '"\\"\\\\\\a\\b\\t\\n\\v\\f\\r\\e\\x7F\\x9F\xa0\\L\\P\\uFFFE"'
