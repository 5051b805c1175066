from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from pivotal_gen.model import promql
from tests.tools import promtool

SERIES_VALUES = [
    "1",
    "_",
    "stale",
    "_x3",
    "1x3",
    "1+2x3",
    "1-2x3",
    "-1-2x3",
    "+1",
    ".5",
    "1.x2",
    "1E-3",
    "1e3+2x2",
    "-Inf",
    "NaN",
    "-NaN",
    "inf",
    "1 _ stale 2x2",
    " 1  2 ",
    "_x0",
]
NOT_SERIES_VALUES = [
    "1+2",
    "Infx2",
    "NaNx2",
    "1+Infx2",
    "stalex2",
    "-_",
    "0x1f",
    "1_000",
    "5m",
    "1 x2",
    "1+ 2x2",
    "\u0661",
    "1\t2",
    "$(touch pwned)",
    "1 2 }",
]


def test_parameters_are_replaced_outside_string_literals_only() -> None:
    expr = 'x{a=~"b$threshold", c=`$threshold`} > $threshold and y > $ratio'
    assert promql.substitute(expr, {"threshold": 5, "ratio": 0.25}) == (
        'x{a=~"b$threshold", c=`$threshold`} > 5 and y > 0.25'
    )


def test_whole_floats_are_written_as_integers() -> None:
    assert promql.substitute("x > $n", {"n": 1073741824.0}) == "x > 1073741824"


def test_an_unknown_parameter_is_named() -> None:
    with pytest.raises(promql.PromQLError, match=r"\$limit is not a parameter .*params: bytes"):
        promql.substitute("x > $limit", {"bytes": 1})


def test_a_parse_error_is_a_promql_error() -> None:
    with pytest.raises(promql.PromQLError, match="does not parse"):
        promql.selectors("sum(rate(x[5m])")


def test_selectors_are_found_everywhere_in_an_expression() -> None:
    expr = (
        'histogram_quantile(0.9, sum by (le) (rate(a_bucket{job="j"}[5m]))) '
        '/ on (job) max_over_time(b[5m:1m]) or -(c offset 1m) + absent(d{job=~"x|y"})'
    )
    found = promql.selectors(expr)
    assert [s.metric for s in found] == ["a_bucket", "b", "c", "d"]
    assert found[0].values("job") == ["j"]
    assert found[3].values("job") == ["x", "y"]
    assert found[1].values("job") is None


def test_a_regex_that_is_not_a_plain_alternation_pins_nothing() -> None:
    (selector,) = promql.selectors('up{job=~"pivotal-.*"}')
    assert selector.values("job") is None


@pytest.mark.parametrize(
    ("text", "series"),
    [('up{job="a"}', True), ("up", True), ('{job="a"}', False), ("rate(up[5m])", False),
     ("up[5m]", False), ("up + 1", False)],
)  # fmt: skip
def test_is_series(text: str, series: bool) -> None:
    assert promql.is_series(text) is series


@pytest.mark.parametrize("text", SERIES_VALUES)
def test_series_values_in_promtool_notation_are_taken(text: str) -> None:
    assert promql.series_values_error(text) is None


@pytest.mark.parametrize("text", NOT_SERIES_VALUES)
def test_other_series_values_are_refused_naming_the_sample(text: str) -> None:
    error = promql.series_values_error(text)
    assert error is not None and "is not a sample in promtool's notation" in error


def _promtool_reads(values: str, folder: Path) -> bool:
    (folder / "rules.yml").write_text("groups: [{name: g, rules: [{alert: A, expr: up == 0}]}]\n")
    case = {"interval": "1m", "input_series": [{"series": "up", "values": values}]}
    tests = folder / "tests.yml"
    tests.write_text(json.dumps({"rule_files": ["rules.yml"], "tests": [case]}))
    run = subprocess.run([promtool(), "test", "rules", str(tests)], capture_output=True)
    return run.returncode == 0


def test_promtool_agrees_with_what_is_taken_and_refused(tmp_path: Path) -> None:
    """The notation is ours to check at validation, so it is held to the real promtool."""
    assert _promtool_reads(" ".join(SERIES_VALUES), tmp_path)
    # A tab separates samples for promtool; the spec takes spaces only, a stricter subset.
    read = [
        text for text in NOT_SERIES_VALUES if "\t" not in text if _promtool_reads(text, tmp_path)
    ]
    assert read == []
