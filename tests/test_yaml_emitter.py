"""pivotal_gen.formats.yaml_emitter writes what ruamel.yaml wrote (tests/ruamel_oracle.py).


Properties on random data trees (tests/yaml_strategies.py), some holding the
same containers more than once; examples for the layouts that are easy to get
wrong; and the data it refuses instead of writing it differently. Quoting and
folding have their own tests (test_yaml_scalars.py, test_yaml_fold.py).
Hypothesis settings (CI's derandomized profile) are in conftest.py; the tree
properties are cheap, so they draw 20 times the profile's example count.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

import pytest
from hypothesis import given, settings

from pivotal_gen.formats.serialize import inline, literal, to_yaml
from pivotal_gen.formats.yaml_emitter import Inline, Literal
from tests.ruamel_oracle import oracle_yaml
from tests.yaml_strategies import real, shared_trees, trees

MANY = settings(max_examples=settings().max_examples * 20)


def assert_same_as_ruamel(data: Any, header: str = "") -> None:
    assert to_yaml(data, header) == oracle_yaml(data, header)


@MANY
@given(trees())
def test_random_trees_are_written_as_ruamel_writes_them(drawn: Any) -> None:
    assert_same_as_ruamel(real(drawn), "# header\n")


@MANY
@given(shared_trees())
def test_shared_containers_get_ruamel_anchors_and_aliases(drawn: Any) -> None:
    assert_same_as_ruamel(real(drawn))


# --- layouts and rules worth seeing spelled out ------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"a": None, "b": [None], "c": Inline([None])}, "a:\nb:\n  - \nc: [null]\n"),
        ({None: 1}, "null: 1\n"),
        ({"k": [["a", "b"], "c"]}, "k:\n  -   - a\n      - b\n  - c\n"),
        ([{"a": 1, "b": [2]}], "  - a: 1\n    b:\n      - 2\n"),
        ({"a": {}, "b": [], "c": ()}, "a: {}\nb: []\nc: []\n"),
        ({"x": inline(["? x", "a,b", "it's", "on", ""])}, "x: [? x, 'a,b', it's, \"on\", \"\"]\n"),
        ({"x": ["x:", "it's", " lead", "\u00e9", "\ufeff"]}, "x:\n  - 'x:'\n  - it's\n"
         "  - ' lead'\n  - \u00e9\n  - \"\\uFEFF\"\n"),
        ([1e17, 1e-7, -0.0, float("inf"), float("nan"), 2**70],
         "  - 1e+17\n  - 1e-07\n  - -0.0\n  - .inf\n  - .nan\n  - 1180591620717411303424\n"),
        ({"e": literal("x\n\n  y")}, "e: |\n  x\n\n    y\n"),
        ([literal("a\nb")], "  - |\n    a\n    b\n"),
        ({"a\nb": [1], "c\nd": {"x": 1, "y": 2}},
         '? "a\\nb"\n:   - 1\n? "c\\nd"\n: x: 1\n  "y": 2\n'),
    ],
)  # fmt: skip
def test_layout(data: Any, expected: str) -> None:
    assert to_yaml(data) == expected.encode()
    assert_same_as_ruamel(data)


def test_a_key_is_simple_up_to_122_characters_counting_the_tag() -> None:
    assert to_yaml({"k" * 122: 1}) == b"k" * 122 + b": 1\n"
    assert to_yaml({"k" * 123: 1}) == b"? " + b"k" * 123 + b"\n: 1\n"
    assert_same_as_ruamel({"k" * 122: 1, "k" * 123: 2, 10**121: 3, 10**122: 4})


def test_shared_objects_are_anchored_in_the_order_ruamel_names_them() -> None:
    first, second = {"x": 1}, [1, 2]
    empty: dict[str, Any] = {}
    data = {"a": first, "b": second, "c": second, "d": first, "e": [empty, empty]}

    assert to_yaml(data) == (
        b"a: &id002\n  x: 1\nb: &id001\n  - 1\n  - 2\nc: *id001\nd: *id002\n"
        b"e:\n  - &id003 {}\n  - *id003\n"
    )
    assert_same_as_ruamel(data)


def test_an_anchor_puts_a_nested_collection_on_the_next_line() -> None:
    shared = [1]
    data = {"a\nb": shared, "list": [shared], "map": [{"x": shared}]}

    assert to_yaml(data) == (
        b'? "a\\nb"\n: &id001\n  - 1\nlist:\n  - *id001\nmap:\n  - x: *id001\n'
    )
    assert to_yaml([[shared, shared]]) == b"  -   - &id001\n          - 1\n      - *id001\n"
    assert_same_as_ruamel(data)
    assert_same_as_ruamel([[shared, shared]])


def test_inline_and_literal_are_the_marker_types() -> None:
    assert type(inline(["a"])) is Inline
    assert type(literal("a\nb")) is Literal
    assert type(literal("one line")) is str


# --- what ruamel writes some other way is refused, not written differently ---------------------


class Name(str):
    pass


@pytest.mark.parametrize(
    "data",
    [
        "top-level scalar",
        None,
        literal("a\nb"),
        {"set": {1, 2}},
        {"bytes": b"x"},
        {"subclass": Name("x")},
        {"ordered": OrderedDict(a=1)},
        {("tuple", "key"): 1},
        {literal("literal\nkey"): 1},
        {"nested flow": Inline([["a"]])},
        {"literal": Literal(" leading space\n")},
        {"literal": Literal("no final break")},
        {"literal": Literal("two final breaks\n\n")},
    ],
)
def test_data_ruamel_writes_differently_is_refused(data: Any) -> None:
    with pytest.raises((TypeError, ValueError)):
        to_yaml(data)


def test_data_that_contains_itself_is_refused() -> None:
    loop: list[Any] = []
    loop.append(loop)

    with pytest.raises(ValueError, match="contains itself"):
        to_yaml({"loop": loop})
