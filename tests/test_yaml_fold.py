"""pivotal_gen.formats.yaml_fold folds lines that reach the width as ruamel.yaml folds them.

to_yaml's width is 1 << 16, so few real lines reach it; the emitter takes a
width, and at narrow widths every fold rule (plain, single- and double-quoted
scalars, flow lists, simple keys) comes up in small random trees.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from pivotal_gen.formats.serialize import to_yaml
from pivotal_gen.formats.yaml_emitter import dump
from tests.ruamel_oracle import dump_converted, oracle_yaml, to_ruamel
from tests.yaml_strategies import HOSTILE, SCALARS, STRINGS, Marked, real, trees

WIDTH = 1 << 16  # to_yaml's


@settings(max_examples=settings().max_examples * 20)
@given(trees(), st.integers(5, 40))
def test_narrow_widths_fold_as_ruamel_folds(drawn: Any, width: int) -> None:
    data = real(drawn)

    assert dump(data, width) == dump_converted(to_ruamel(data), width)


@st.composite
def long_lines(draw: st.DrawFn) -> Any:
    """A scalar or a flow list whose line ends near to_yaml's width, in some position."""
    unit = draw(st.sampled_from(["x", "ab ", " ", "a\n", "\x00", "\u00e9 ", "'", 'a"b ', "\\"]))
    units = draw(st.integers(-40, 10)) + WIDTH // len(unit)
    text = draw(HOSTILE) + unit * units + draw(HOSTILE)
    key = draw(st.sampled_from(["k", "key" * 30, "a\nb", None]))
    position = draw(st.sampled_from(["value", "item", "key", "flow", "nested", "top-flow"]))
    if position == "value":
        return {key: text}
    if position == "item":
        return [draw(STRINGS), text]
    if position == "key":
        return {text: draw(SCALARS)}
    if position == "flow":
        return {key: Marked("inline", [draw(SCALARS), text, draw(SCALARS)])}
    if position == "nested":
        return {key: [[{key: text}]]}
    return Marked("inline", [text, draw(SCALARS)])


@given(long_lines())
def test_lines_that_reach_the_width_are_folded_as_ruamel_folds_them(drawn: Any) -> None:
    data = real(drawn)

    assert to_yaml(data) == oracle_yaml(data)


def test_a_long_double_quoted_value_is_folded_like_ruamel() -> None:
    data = {"content": "line\n" * 20_000}  # 120,000 columns: one fold

    assert b"\\n\\\n  line" in to_yaml(data)  # an escaped break, a backslash, the fold
    assert to_yaml(data) == oracle_yaml(data)
