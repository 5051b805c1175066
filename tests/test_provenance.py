"""Where a merged value came from, on small documents: the merge rules, layer by layer."""

from __future__ import annotations

from typing import Any

import pytest

from pivotal_gen.errors import PivotalError
from pivotal_gen.source.document import parse_document
from pivotal_gen.source.merge import overlay
from pivotal_gen.source.paths import DataPath, format_path
from pivotal_gen.source.provenance import Explanation, Layer, explain, parse_path, resolve

BASE = """\
services:
  db:
    image: postgres:17
    ports: ["5432:5432"]
    restart: "no"
    healthcheck:
      test: [CMD, pg_isready]
      interval: 5s
"""


def _explain(profile: str, path: DataPath, defaults: Any = None, base: str = BASE) -> Explanation:
    layers = [
        Layer("pivotal.yaml", parse_document(base.encode(), "pivotal.yaml")),
        Layer("prod.yaml", parse_document(profile.encode(), "prod.yaml")),
    ]
    merged = overlay(layers[0].document, layers[1].document)
    return explain(layers, merged.data, defaults, path)


def _story(explanation: Explanation) -> list[tuple[str, int, str, bool]]:
    return [
        (s.layer, s.location.line if s.location else 0, s.action, s.overridden)
        for s in explanation.settings
    ]


@pytest.mark.parametrize(
    ("text", "segments"),
    [
        ("services.backend.environment.X", ("services", "backend", "environment", "X")),
        ("services.db.ports[0].published", ("services", "db", "ports", "0", "published")),
        ("services.db.ports.0", ("services", "db", "ports", "0")),
        ('services.db.files["/init.d/a.sql"]', ("services", "db", "files", "/init.d/a.sql")),
        ("alerts['a b']", ("alerts", "a b")),
    ],
)  # fmt: skip
def test_parse_path(text: str, segments: tuple[str, ...]) -> None:
    assert parse_path(text) == segments


@pytest.mark.parametrize("text", ["", ".services", "services..x", "a[0", 'a["b]', 'a["\\x"]'])
def test_unreadable_paths_are_user_errors(text: str) -> None:
    with pytest.raises(PivotalError):
        parse_path(text)


def test_digits_index_lists_only() -> None:
    data = {"ports": ["a"], "env": {"0": "zero"}}
    assert resolve(("ports", "0"), data) == ("ports", 0)
    assert resolve(("env", "0"), data) == ("env", "0")


def test_a_scalar_set_by_both_layers_is_won_by_the_profile() -> None:
    explanation = _explain("services:\n  db:\n    restart: always\n", ("services", "db", "restart"))

    assert explanation.value == "always"
    assert _story(explanation) == [
        ("pivotal.yaml", 5, "set", True),
        ("prod.yaml", 3, "set", False),
    ]


def test_a_value_only_the_spec_sets_has_one_setter() -> None:
    explanation = _explain("services:\n  db:\n    restart: always\n", ("services", "db", "image"))

    assert _story(explanation) == [("pivotal.yaml", 3, "set", False)]


def test_a_mapping_is_merged_and_each_key_keeps_its_origin() -> None:
    explanation = _explain(
        "services:\n  db:\n    healthcheck:\n      interval: 1s\n",
        ("services", "db", "healthcheck"),
    )

    assert _story(explanation) == [
        ("pivotal.yaml", 6, "set", False),
        ("prod.yaml", 3, "merged", False),
    ]
    origins = {key: _story(child)[-1][:2] for key, child in explanation.children.items()}
    assert origins == {"test": ("pivotal.yaml", 7), "interval": ("prod.yaml", 4)}


def test_null_removes_and_is_the_last_word() -> None:
    explanation = _explain(
        "services:\n  db:\n    healthcheck: null\n", ("services", "db", "healthcheck")
    )

    assert explanation.origin == "absent"
    assert _story(explanation) == [
        ("pivotal.yaml", 6, "set", True),
        ("prod.yaml", 3, "removed", False),
    ]


def test_a_list_replaced_whole_overrides_what_was_under_it() -> None:
    explanation = _explain("services:\n  db:\n    ports: []\n", ("services", "db", "ports", 0))

    assert explanation.origin == "absent"
    assert _story(explanation) == [
        ("pivotal.yaml", 4, "set", True),
        ("prod.yaml", 3, "replaced", False),
    ]


LONG_PORTS = """\
services:
  api:
    ports:
      - {published: 3000, host_ip: 127.0.0.1}
"""


def test_a_mapping_inside_a_replaced_list_is_not_merged_with_the_old_one() -> None:
    profile = "services:\n  api:\n    ports: [{published: 80}]\n"

    item = _explain(profile, ("services", "api", "ports", 0), base=LONG_PORTS)
    assert item.value == {"published": 80}
    assert _story(item) == [("pivotal.yaml", 4, "set", True), ("prod.yaml", 3, "set", False)]


def test_a_key_the_replacing_list_left_out_is_gone_not_won_by_the_spec() -> None:
    profile = "services:\n  api:\n    ports: [{published: 80}]\n"

    gone = _explain(profile, ("services", "api", "ports", 0, "host_ip"), base=LONG_PORTS)
    assert (gone.origin, gone.value) == ("absent", None)
    assert _story(gone) == [("pivotal.yaml", 4, "set", True), ("prod.yaml", 3, "replaced", False)]
    assert gone.winners[-1].value == [{"published": 80}]


def test_a_mapping_replacing_a_scalar_is_set_not_merged() -> None:
    base = "services:\n  api:\n    build: .\n"
    profile = "services:\n  api:\n    build: {context: app}\n"

    build = _explain(profile, ("services", "api", "build"), base=base)
    assert _story(build) == [("pivotal.yaml", 3, "set", True), ("prod.yaml", 3, "set", False)]


def test_a_key_no_file_sets_comes_from_the_model_defaults() -> None:
    defaults = {"services": {"db": {"expose": [], "restart": "no"}}}

    explanation = _explain("", ("services", "db", "expose"), defaults)

    assert (explanation.origin, explanation.value, explanation.settings) == ("default", [], [])


def test_an_unknown_key_is_an_error_with_a_suggestion() -> None:
    with pytest.raises(
        PivotalError, match=r"no key 'imagee' in services\.db \(did you mean 'image'\?\)"
    ):
        _explain("", ("services", "db", "imagee"))


@pytest.mark.parametrize(
    "key", ["/a/b.sql", 'say "hi"', "back\\slash", "a b", "x[0]", "ünï.code", "it's"]
)
def test_a_path_as_errors_print_it_reads_back(key: str) -> None:
    path: DataPath = ("services", "db", "files", key)
    assert parse_path(format_path(path)) == path


@pytest.mark.parametrize("key", ["a\u2028b", "a\nb", "a\x85b", "tab\there", "nul\x00"])
def test_a_path_with_a_line_break_stays_on_one_line(key: str) -> None:
    """A message is one line: a key that holds a line break is printed escaped."""
    path: DataPath = ("services", "db", "files", key)
    text = format_path(path)
    assert text.isprintable() and len(text.splitlines()) == 1
    assert parse_path(text) == path


def test_a_derived_value_is_neither_a_default_nor_unknown() -> None:
    layers = [Layer("pivotal.yaml", parse_document(BASE.encode(), "pivotal.yaml"))]
    source: DataPath = ("services", "db", "http")
    derived: dict[DataPath, tuple[Any, DataPath]] = {
        ("services", "db", "healthcheck", "retries"): (3, source)
    }
    defaults = {"services": {"db": {"healthcheck": {"retries": 1}}}}

    retries = explain(
        layers,
        layers[0].document.data,
        defaults,
        (*source[:2], "healthcheck", "retries"),
        derived=derived,
    )
    checks = explain(
        layers, layers[0].document.data, None, ("services", "db", "healthcheck"), derived=derived
    )

    assert (retries.origin, retries.value, retries.derived_from) == ("derived", 3, source)
    assert checks.children["retries"].origin == "derived"
