"""libyaml's composition (yaml_nodes.py) is ruamel's, or it declines and ruamel decides."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.resolver import VersionedResolver

from pivotal_gen.spec import document as source
from pivotal_gen.spec import yaml_events as yaml_nodes
from pivotal_gen.spec.document import _from_ruamel

REPO = Path(__file__).resolve().parent.parent
_RUAMEL_1_2 = VersionedResolver(version=(1, 2))


def ruamel_compose(text: str) -> list[yaml_nodes.Node] | None:
    """Our nodes from ruamel's composition; None where ruamel refuses the text."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a reused anchor: a warning, then the last wins
            return [_from_ruamel(node, {}) for node in YAML(typ="rt").compose_all(text)]
    except YAMLError:
        return None


def comparable(node: Any) -> Any:
    """A node with the position of an empty value blanked: ruamel puts it at the start
    of the next line (another key's), libyaml after the colon, which we keep."""
    kind, tag, value, line, column = node
    if kind == yaml_nodes.SCALAR:
        return (kind, tag, value, None, None) if value == "" else node
    if kind == yaml_nodes.SEQUENCE:
        return (kind, tag, [comparable(n) for n in value], line, column)
    pairs = [(comparable(k), comparable(v)) for k, v in value]
    return (kind, tag, pairs, line, column)


def assert_same_reading(text: str) -> None:
    """Where both read the text, the graphs are equal. libyaml also reads some YAML
    that ruamel refuses (a tab inside a plain scalar, which YAML allows)."""
    fast = yaml_nodes.compose(text)
    slow = ruamel_compose(text)
    if fast is not None and slow is not None:
        assert [comparable(n) for n in fast] == [comparable(n) for n in slow], text


def typed(data: Any) -> Any:
    """data with every value's type beside it: 1, 1.0 and True are not the same reading."""
    if isinstance(data, dict):
        return {key: typed(value) for key, value in data.items()}
    if isinstance(data, list):
        return [typed(item) for item in data]
    return (type(data).__name__, repr(data))


def built(text: str) -> list[Any] | None:
    """The documents as source.py builds them from the node graph; None where it cannot."""
    roots = yaml_nodes.compose(text) or ruamel_compose(text)
    try:
        return [source._Builder("x", None).build(root, ()) for root in roots or []]
    except source._Unlocated:
        return None


def assert_same_data(text: str) -> None:
    """Data streamed from the events is the data built from the node graph, or nothing."""
    try:
        streamed = yaml_nodes.load_data(text, source._value, source.NODE_BUDGET)
    except source._Unlocated:
        streamed = None
    if streamed is not None:
        graph = built(text)
        assert graph is not None, text
        assert typed(streamed) == typed(graph), text


PLAIN_SCALARS = [
    *[
        "0",
        "1",
        "-1",
        "+1",
        "0o17",
        "0x1F",
        "0b101",
        "017",
        "1_000",
        "1.5",
        "-.5",
        "+.5e+3",
        "1e3",
        "1E-3",
        ".inf",
        "-.Inf",
        ".NaN",
        ".",
        ".e3",
    ],
    *[
        "true",
        "True",
        "TRUE",
        "false",
        "FALSE",
        "yes",
        "no",
        "on",
        "off",
        "y",
        "n",
        "~",
        "null",
        "Null",
        "NULL",
        "nul",
        "<<<",
        "<<",
        "=",
        "!",
        "&",
        "*",
    ],
    *[
        "2024-01-01",
        "2024-1-1",
        "12:30",
        "12:30:45",
        "1:2:3",
        "0.0.0",
        "-",
        "--",
        "1-",
        "1_",
        "0b",
        "0x",
        "0o",
        ".1_2",
    ],
    "",
    "2001-12-14t21:59:43.10-05:00",
    "2001-12-14 21:59:43.10 -5",
]


@pytest.mark.parametrize("value", PLAIN_SCALARS)
def test_plain_scalars_resolve_as_ruamel_resolves_them(value: str) -> None:
    assert yaml_nodes.resolve_plain(value) == str(
        _RUAMEL_1_2.resolve(ScalarNode, value, (True, False))
    )


@given(st.text(alphabet="0123456789+-._:eExXoObB aAfFlLnNsStTuUrRyY~<=!&*TZ\t", max_size=12))
def test_any_plain_scalar_resolves_as_ruamel_resolves_it(value: str) -> None:
    test_plain_scalars_resolve_as_ruamel_resolves_them(value)


def _corpus() -> list[Path]:
    files = [REPO / "pivotal.yaml", *sorted((REPO / "profiles").glob("*.yaml"))]
    files += sorted((REPO / "tests/cases").rglob("*.yaml"))
    return files + sorted((REPO / "out/prod").rglob("*.yml"))


@pytest.mark.parametrize("path", _corpus(), ids=lambda p: str(p.relative_to(REPO)))
def test_the_project_s_files_read_alike(path: Path) -> None:
    text = path.read_text(encoding="utf-8", errors="replace").removeprefix("\ufeff")
    assert_same_reading(text)
    assert_same_data(text)


@pytest.mark.parametrize("name", ["pivotal.yaml", "profiles/prod.yaml", "profiles/dev.yaml"])
def test_the_real_spec_and_profiles_take_the_streaming_path(name: str) -> None:
    text = (REPO / name).read_text()
    assert yaml_nodes.load_data(text, source._value, source.NODE_BUDGET) is not None


SNIPPETS = {
    "anchors": "a: &x {b: [1, &y two]}\nc: *x\nd: *y\n",
    "block scalars": "a: |\n  one\n   two\nb: >-\n  folded\n  text\n\nc: |+\n  kept\n\n",
    "folded": 'a: >\n  one\n  two\n\n  three\n   indented\n  four\nb: "\\a"\n',
    "quoted": "'a b': \"c\\td\\u00e9\\x41\"\nb: 'it''s'\nc: \"multi\n  line\"\n",
    "plain multi-line": "a: one\n  two\n\n  three\n",
    "tags": "a: !!str 1\nb: !custom x\nc: ! 12\nd: !!int '7'\ne: !!map {}\nf: ! '1'\ng: !\n",
    "flow": "a: [1, {b: c}, [d, e], 'f']\nb: {x: 1, y}\n",
    "complex key": "? [a]\n: b\n",
    "documents": "---\na: 1\n---\nb: 2\n...\n",
    "empty document": "---\n",
    "comments only": "# nothing\n",
    "nothing": "",
    "crlf": "a: 1\r\nb:\r\n  - x\r\n",
    "tabs in values": 'a: "x\ty"\nb: x\ty\n',
    "unicode": "ключ: значение\n😀: 'ü'\n",
    "directive 1.1": "%YAML 1.1\n---\na: yes\n",
    "undefined alias": "a: *nowhere\n",
    "recursive alias": "a: &x [*x]\n",
    "reused anchor": "a: &x 1\nb: &x 2\nc: *x\n",
    "syntax error": "a: [1\n",
    "duplicate keys": "a: 1\na: 2\n",
    "merge key": "a: &x {b: 1}\nc:\n  <<: *x\n",
    "null forms": "a:\nb: ~\nc: null\nd: ''\n",
    "indentation": "a:\n- 1\n- b:\n    c: d\n",
    "json": '{"a": [1, 2.5, true, null, "x"]}',
}


@pytest.mark.parametrize("text", SNIPPETS.values(), ids=SNIPPETS.keys())
def test_snippets_read_alike(text: str) -> None:
    assert_same_reading(text)
    assert_same_data(text)


@pytest.mark.parametrize(
    "name", ["directive 1.1", "undefined alias", "recursive alias", "syntax error"]
)
def test_libyaml_declines_what_ruamel_must_decide(name: str) -> None:
    assert yaml_nodes.compose(SNIPPETS[name]) is None


_FRAGMENTS = [
    "a", "b", "1", "-1", "0o7", "yes", "~", "''", '""', "'x y'", '"\\t"', "&a ", "*a",
    "!!str ", "! ", "[", "]", "{", "}", ", ", ": ", ":", "- ", "? ", "#c", "|", ">", "|-",
    "\n", "\n  ", "\n    ", "\t", " ", "%", "---", "...", "@", "`", "é", "<<",
]  # fmt: skip


@given(st.lists(st.sampled_from(_FRAGMENTS), max_size=30).map("".join))
def test_any_text_libyaml_reads_ruamel_reads_alike(text: str) -> None:
    assert_same_reading(text)
    assert_same_data(text)


@pytest.mark.parametrize("name", ["anchors", "duplicate keys", "merge key", "complex key"])
def test_streaming_leaves_to_the_node_graph_what_needs_a_closer_look(name: str) -> None:
    assert yaml_nodes.load_data(SNIPPETS[name], lambda tag, text: text, 1000) is None


def test_streaming_stops_at_the_budget() -> None:
    assert yaml_nodes.load_data("[1, 2, 3]", lambda tag, text: text, 4) == [["1", "2", "3"]]
    assert yaml_nodes.load_data("[1, 2, 3]", lambda tag, text: text, 3) is None


def test_nodes_are_plain_tuples_of_their_kind() -> None:
    roots = yaml_nodes.compose("a: [b]\n")
    assert roots is not None
    kind, tag, pairs, line, column = roots[0]
    assert (kind, tag, line, column) == (yaml_nodes.MAPPING, yaml_nodes.MAP, 0, 0)
    key: Any = pairs[0][0]
    assert key == (yaml_nodes.SCALAR, yaml_nodes.STR, "a", 0, 0)
