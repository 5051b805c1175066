from __future__ import annotations

import pytest

from pivotal_gen.model import promql


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
