"""PromQL as data: parse with promql-parser, and read what an expression selects.

Used to check the spec's alert expressions (they parse; every job they filter
on is scraped) and, in the tests, every dashboard query.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import promql_parser

from pivotal_gen.model import go_regex

# `$name` outside string literals: a parameter of the expression.
_PARAM = re.compile(r"\$([a-z][a-z0-9_]*)")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|`[^`]*`')
# A regex matcher that is a plain alternation of names: job=~"a|b".
_ALTERNATION = re.compile(r"[a-zA-Z0-9_.:-]+(\|[a-zA-Z0-9_.:-]+)*")
# One sample of promtool's expanding notation, in the forms every promtool since 2.x
# reads: `_` (none), `stale`, a number, `a`/`a+b`/`a-b` then `xN` (the value and N
# more). Hex, `1_000`, `Infx2` and native histograms are refused rather than guessed.
_UNSIGNED = r"(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
_SAMPLE = re.compile(
    rf"_(?:x[0-9]+)?|stale|[+-]?(?i:inf|nan)|[+-]?{_UNSIGNED}(?:(?:[+-]{_UNSIGNED})?x[0-9]+)?"
)


class PromQLError(ValueError):
    pass


@dataclass(frozen=True)
class Selector:
    metric: str | None
    matchers: tuple[tuple[str, str, str], ...]  # (label, op, value), op one of = != =~ !~

    def values(self, label: str) -> list[str] | None:
        """The values `label` is pinned to (= or a plain =~ alternation), or None."""
        for name, op, value in self.matchers:
            if name != label:
                continue
            if op == "=":
                return [value]
            if op == "=~" and _ALTERNATION.fullmatch(value):
                return value.split("|")
        return None


def substitute(expr: str, params: Mapping[str, float | int]) -> str:
    """Replace `$name` by its parameter outside string literals; unknown names are errors."""
    pieces: list[str] = []
    last = 0
    for literal in _STRING.finditer(expr):
        pieces.append(_substitute_code(expr[last : literal.start()], params))
        pieces.append(literal.group())
        last = literal.end()
    pieces.append(_substitute_code(expr[last:], params))
    return "".join(pieces)


def _substitute_code(code: str, params: Mapping[str, float | int]) -> str:
    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in params:
            known = ", ".join(sorted(params)) or "none"
            raise PromQLError(f"${name} is not a parameter of this alert (params: {known})")
        return format_number(params[name])

    return _PARAM.sub(replace, code)


def format_number(value: float | int) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)


def parse(expr: str) -> promql_parser.Expr:
    try:
        return promql_parser.parse(expr)
    except (ValueError, RuntimeError) as exc:  # the parser raises ValueError with its reason
        raise PromQLError(f"PromQL does not parse: {exc}") from None


def quoted(text: str) -> str:
    """`text` as a double-quoted PromQL string: `\\` and `\"` escaped, and a control
    character (which no PromQL string holds as it is) as its `\\n` or `\\u` escape."""
    return json.dumps(text, ensure_ascii=False)


def regex_problem(regex: str) -> str | None:
    """Why `regex` is not one that Prometheus and Alertmanager (Go's RE2 syntax) read, or
    None. promql-parser reads Rust's regex syntax, which refuses what RE2 refuses
    (lookarounds, backreferences); what Rust reads and Go does not, go_regex finds."""
    try:
        parse(f"up{{x=~{quoted(regex)}}}")  # a name: `{x=~".*"}` alone is refused
    except PromQLError:
        return (
            "it does not parse as Go's RE2 syntax, which Prometheus and Alertmanager read: "
            "no lookarounds, backreferences or atomic groups"
        )
    return go_regex.problem(regex)


def is_series(text: str) -> bool:
    """`metric{label="value"}`: one instant selector with a metric name, nothing else."""
    node = parse(text)
    return isinstance(node, promql_parser.VectorSelector) and node.name is not None


def series_values_error(text: str) -> str | None:
    """Why `text` is not a promtool series of values (samples separated by spaces)."""
    samples = text.strip(" ").split(" ")
    wrong = [sample for sample in samples if sample and not _SAMPLE.fullmatch(sample)]
    if not wrong:
        return None
    return (
        f"{wrong[0]!r} is not a sample in promtool's notation: a number, '_', 'stale', "
        "or a start with an optional +step/-step and xN, as in '0+10x20'"
    )


def selectors(expr: str) -> list[Selector]:
    """Every vector selector in `expr`, in order."""
    return list(_walk(parse(expr)))


def _walk(node: object) -> Iterator[Selector]:
    if isinstance(node, promql_parser.VectorSelector):
        matchers = tuple(
            (m.name, _OPS[str(m.op)], m.value)
            for m in node.matchers.matchers
            if m.name != "__name__"
        )
        yield Selector(node.name, matchers)
        return
    if isinstance(node, promql_parser.MatrixSelector):
        yield from _walk(node.vector_selector)
        return
    for child in _children(node):
        yield from _walk(child)


def _children(node: object) -> list[object]:
    if isinstance(node, promql_parser.BinaryExpr):
        return [node.lhs, node.rhs]
    if isinstance(node, promql_parser.AggregateExpr):
        return [node.expr, *([node.param] if node.param is not None else [])]
    if isinstance(node, promql_parser.Call):
        return list(node.args)
    if isinstance(node, promql_parser.ParenExpr | promql_parser.UnaryExpr):
        return [node.expr]
    if isinstance(node, promql_parser.SubqueryExpr):
        return [node.expr]
    return []


# promql-parser's MatchOp is not hashable: match on its name.
_OPS = {"MatchOp.Equal": "=", "MatchOp.NotEqual": "!=", "MatchOp.Re": "=~", "MatchOp.NotRe": "!~"}
