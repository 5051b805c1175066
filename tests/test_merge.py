"""Tests for pivotal_gen.source.merge.overlay: profile onto spec, keeping where values came from."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from pivotal_gen.errors import Location, PivotalError
from pivotal_gen.source.document import Document, parse_document
from pivotal_gen.source.merge import overlay

BASE_FILE = "pivotal.yaml"
PROFILE_FILE = "profiles/dev.yaml"

BASE = """\
name: app
services:
  web:
    image: nginx
    ports:
      - "80:80"
      - "443:443"
    env:
      A: 1
      B: 2
  db:
    image: postgres
"""

PROFILE = """\
services:
  web:
    ports:
      - "8080:80"
    env:
      B: 3
      C: null
  db: null
  cache:
    image: redis
"""


def base_doc(text: str = BASE) -> Document:
    return parse_document(text.encode(), BASE_FILE)


def profile_doc(text: str = PROFILE) -> Document:
    return parse_document(text.encode(), PROFILE_FILE)


def in_base(line: int, col: int) -> Location:
    return Location(BASE_FILE, line, col)


def in_profile(line: int, col: int) -> Location:
    return Location(PROFILE_FILE, line, col)


def merged(base: str, profile: str) -> Any:
    return overlay(base_doc(base), profile_doc(profile)).data


# --- data -------------------------------------------------------------------------------------


def test_overlay_data() -> None:
    assert overlay(base_doc(), profile_doc()).data == {
        "name": "app",
        "services": {
            "web": {"image": "nginx", "ports": ["8080:80"], "env": {"A": 1, "B": 3}},
            "cache": {"image": "redis"},
        },
    }


@pytest.mark.parametrize(
    ("base", "profile", "expected"),
    [
        # Mappings merge key by key, at any depth.
        ("a: {x: 1, w: 2}", "a: {w: 3, z: 4}", {"a": {"x": 1, "w": 3, "z": 4}}),
        ("a: {b: {c: 1, d: 2}}", "a: {b: {d: 5}}", {"a": {"b": {"c": 1, "d": 5}}}),
        # Lists replace whole, never append or merge item by item.
        ("a: [1, 2, 3]", "a: [9]", {"a": [9]}),
        ("a: [{x: 1}]", "a: [{w: 2}]", {"a": [{"w": 2}]}),
        ("a: [1, 2]", "a: []", {"a": []}),
        # Scalars replace, whatever the types involved.
        ("a: 1", "a: two", {"a": "two"}),
        ("a: {x: 1}", "a: [1]", {"a": [1]}),
        ("a: {x: 1}", "a: flat", {"a": "flat"}),
        ("a: flat", "a: {x: 1}", {"a": {"x": 1}}),
        # null removes the key; a key that was not there stays absent.
        ("a: 1\nb: 2", "a: null", {"b": 2}),
        ("a: {x: 1, w: 2}", "a: {x: ~}", {"a": {"w": 2}}),
        ("a: {x: 1}", "a: null", {}),
        ("a: 1", "b: null", {"a": 1}),
        # New keys are added.
        ("a: 1", "b: {c: 2}", {"a": 1, "b": {"c": 2}}),
        # An empty mapping merges to nothing new.
        ("a: {x: 1}", "a: {}", {"a": {"x": 1}}),
    ],
)
def test_merge_rules(base: str, profile: str, expected: Any) -> None:
    assert merged(base, profile) == expected


def test_key_order_keeps_base_keys_first_then_new_profile_keys() -> None:
    data = merged("a: 1\nb: 2\nc: 3\n", "d: 4\nb: 5\n")

    assert list(data) == ["a", "b", "c", "d"]


@pytest.mark.parametrize("text", ["", "# nothing but a comment\n"])
def test_empty_profile_returns_the_base_unchanged(text: str) -> None:
    base = base_doc()

    result = overlay(base, profile_doc(text))

    assert result is base
    assert result == base_doc()


def test_profile_onto_an_empty_base_is_the_profile() -> None:
    profile = profile_doc("a: {b: 1}\n")

    result = overlay(base_doc(""), profile)

    assert result.data == {"a": {"b": 1}}
    assert result.values[("a", "b")] == in_profile(1, 8)


@pytest.mark.parametrize(
    "text",
    ["- a\n- b\n", "just a string\n", "42\n", "\n\n[1]\n"],
)
def test_a_profile_that_is_not_a_mapping_is_an_error(text: str) -> None:
    with pytest.raises(PivotalError) as info:
        overlay(base_doc(), profile_doc(text))

    [diagnostic] = info.value.diagnostics
    assert diagnostic.message == "a profile must be a mapping of spec keys"
    assert diagnostic.location is not None
    assert diagnostic.location.file == PROFILE_FILE


def test_not_a_mapping_error_points_at_the_profile_content() -> None:
    with pytest.raises(PivotalError) as info:
        overlay(base_doc(), profile_doc("# a comment\n\n- a\n"))

    assert info.value.diagnostics[0].location == in_profile(3, 1)


def test_base_document_is_not_mutated() -> None:
    base = base_doc()
    profile = profile_doc()
    base_before = copy.deepcopy(base)
    profile_before = copy.deepcopy(profile)

    overlay(base, profile)

    assert base == base_before
    assert profile == profile_before


@pytest.mark.parametrize(
    ("base", "profile", "expected"),
    [
        ("x: 1", "a: {c: null, d: 1}", {"x": 1, "a": {"d": 1}}),
        ("a: 1", "a: {c: null, d: 1}", {"a": {"d": 1}}),
        ("", "a: null\nb: 1", {"b": 1}),
    ],
)
def test_null_never_survives_into_the_merged_data(base: str, profile: str, expected: Any) -> None:
    assert merged(base, profile) == expected


# --- positions --------------------------------------------------------------------------------


def test_positions_of_the_overlay() -> None:
    result = overlay(base_doc(), profile_doc())

    assert result.values == {
        (): in_base(1, 1),
        ("name",): in_base(1, 7),
        ("services",): in_base(3, 3),
        ("services", "web"): in_base(4, 5),
        ("services", "web", "image"): in_base(4, 12),
        ("services", "web", "ports"): in_profile(4, 7),
        ("services", "web", "ports", 0): in_profile(4, 9),
        ("services", "web", "env"): in_base(9, 7),
        ("services", "web", "env", "A"): in_base(9, 10),
        ("services", "web", "env", "B"): in_profile(6, 10),
        ("services", "cache"): in_profile(10, 5),
        ("services", "cache", "image"): in_profile(10, 12),
    }
    assert result.keys == {
        ("name",): in_base(1, 1),
        ("services",): in_base(2, 1),
        ("services", "web"): in_base(3, 3),
        ("services", "web", "image"): in_base(4, 5),
        ("services", "web", "ports"): in_profile(3, 5),
        ("services", "web", "env"): in_base(8, 5),
        ("services", "web", "env", "A"): in_base(9, 7),
        ("services", "web", "env", "B"): in_profile(6, 7),
        ("services", "cache"): in_profile(9, 3),
        ("services", "cache", "image"): in_profile(10, 5),
    }


def test_a_replaced_value_points_at_the_profile() -> None:
    result = overlay(base_doc(), profile_doc())
    path = ("services", "web", "env", "B")

    assert result.locate(path) == in_profile(6, 10)
    assert result.locate(path, key=True) == in_profile(6, 7)


def test_a_merged_mapping_keeps_its_base_position() -> None:
    result = overlay(base_doc(), profile_doc())
    path = ("services", "web", "env")

    assert result.locate(path) == in_base(9, 7)
    assert result.locate(path, key=True) == in_base(8, 5)


def test_values_under_a_replaced_list_all_point_into_the_profile() -> None:
    result = overlay(
        base_doc("ports:\n  - 1\n  - 2\n  - 3\n"),
        profile_doc("# longer list\nports: [7, {x: 8}]\n"),
    )

    assert result.data == {"ports": [7, {"x": 8}]}
    under_list = {p: loc for p, loc in result.values.items() if p[:1] == ("ports",)}
    assert under_list == {
        ("ports",): in_profile(2, 8),
        ("ports", 0): in_profile(2, 9),
        ("ports", 1): in_profile(2, 12),
        ("ports", 1, "x"): in_profile(2, 16),
    }
    assert result.keys[("ports", 1, "x")] == in_profile(2, 13)


def test_a_shorter_replacement_list_leaves_no_base_item_positions() -> None:
    result = overlay(base_doc("ports: [1, 2, 3]\n"), profile_doc("ports: [9]\n"))

    assert ("ports", 1) not in result.values
    assert ("ports", 2) not in result.values
    # A stale index falls back to the list, which the profile set.
    assert result.locate(("ports", 2)) == in_profile(1, 8)


def test_a_mapping_replaced_by_a_scalar_drops_the_base_children() -> None:
    result = overlay(base_doc("a:\n  x: 1\n  w: 2\n"), profile_doc("a: flat\n"))

    assert result.values == {(): in_base(1, 1), ("a",): in_profile(1, 4)}
    assert result.keys == {("a",): in_profile(1, 1)}


def test_removed_keys_have_no_position_left() -> None:
    result = overlay(base_doc(), profile_doc())

    for path in (("services", "db"), ("services", "db", "image"), ("services", "web", "env", "C")):
        assert path not in result.values
        assert path not in result.keys


def test_every_position_belongs_to_a_value_that_exists() -> None:
    result = overlay(base_doc(), profile_doc())

    def paths(data: Any, prefix: tuple[str | int, ...] = ()) -> set[tuple[str | int, ...]]:
        found = {prefix}
        if isinstance(data, dict):
            for key, value in data.items():
                found |= paths(value, (*prefix, key))
        elif isinstance(data, list):
            for index, value in enumerate(data):
                found |= paths(value, (*prefix, index))
        return found

    expected = paths(result.data)
    assert set(result.values) == expected
    assert set(result.keys) == {p for p in expected if p and isinstance(p[-1], str)}
