"""Tests for pivotal_gen.model.interpolation: `${NAME}` references and `$$` escapes."""

from __future__ import annotations

import pytest

from pivotal_gen.model.interpolation import (
    InterpolationError,
    Piece,
    Ref,
    escape,
    has_literal,
    parse,
    references,
    to_compose,
)


def expand(name: str) -> str:
    """A recognisable expansion, so tests see exactly where references went."""
    return f"<{name}>"


# --- parse ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "pieces"),
    [
        ("", []),
        ("plain text", ["plain text"]),
        # `$$` is a literal dollar.
        ("$$", ["$"]),
        ("a$$b", ["a$b"]),
        ("$$$$", ["$$"]),
        ("$${X}", ["${X}"]),
        ("$$X", ["$X"]),
        # `${NAME}` and `$NAME` are references.
        ("${X}", [Ref("X")]),
        ("$X", [Ref("X")]),
        ("${_a1}", [Ref("_a1")]),
        ("$lower_Case9", [Ref("lower_Case9")]),
        ("$$$X", ["$", Ref("X")]),
        ("${A}${B}", [Ref("A"), Ref("B")]),
        ("pre ${A} mid $B_2 post", ["pre ", Ref("A"), " mid ", Ref("B_2"), " post"]),
        ("$X.y", [Ref("X"), ".y"]),
        ("${X}}", [Ref("X"), "}"]),
        ("postgres://$USER:${PASS}@db", ["postgres://", Ref("USER"), ":", Ref("PASS"), "@db"]),
        # Any other `$` is literal.
        ("$", ["$"]),
        ("a$", ["a$"]),
        ("a $ b", ["a $ b"]),
        ("$1", ["$1"]),
        ("$-x", ["$-x"]),
        ("cost: 5$", ["cost: 5$"]),
    ],
)
def test_parse(text: str, pieces: list[Piece]) -> None:
    assert list(parse(text)) == pieces


@pytest.mark.parametrize(
    ("text", "reference"),
    [
        # What follows the name is never repeated: it may be a secret.
        ("${X:-default}", "${X:-...}"),
        ("${X-default}", "${X-...}"),
        ("${X:?required}", "${X:?...}"),
        ("${X?required}", "${X?...}"),
        ("${X:+alt}", "${X:+...}"),
        ("${}", "${}"),
        ("${X", "${X"),
        ("prefix ${X", "${X"),
        ("${X and more", "${X..."),
        ("${ X }", "${...}"),
        ("${1X}", "${...}"),
        ("${X.Y}", "${X...}"),
        ("ok $$ then ${} and ${Y}", "${}"),
        ("url://${USER:hunter2@host", "${USER..."),
    ],
)
def test_unsupported_references_are_errors(text: str, reference: str) -> None:
    with pytest.raises(InterpolationError) as info:
        parse(text)

    assert str(info.value) == (
        f"unsupported reference {reference!r}: write ${{NAME}} for a variable"
        " (defaults belong under variables:) or $$ for a literal $"
    )


def test_interpolation_error_is_a_value_error() -> None:
    # pydantic turns ValueErrors raised in validators into validation messages.
    assert issubclass(InterpolationError, ValueError)


# --- references --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("", []),
        ("no refs, $$ only", []),
        ("${A}", ["A"]),
        ("$A and ${B} and $A", ["A", "B", "A"]),
        ("$${NOT} $REAL", ["REAL"]),
    ],
)
def test_references(text: str, names: list[str]) -> None:
    assert references(text) == names


def test_references_raise_on_unsupported_forms() -> None:
    with pytest.raises(InterpolationError):
        references("${X:-d}")


# --- escape and to_compose --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("literal", "escaped"),
    [("", ""), ("plain", "plain"), ("$", "$$"), ("$$", "$$$$"), ("a${X}b", "a$${X}b")],
)
def test_escape_doubles_every_dollar(literal: str, escaped: str) -> None:
    assert escape(literal) == escaped


@pytest.mark.parametrize(
    ("text", "compose"),
    [
        ("", ""),
        ("plain", "plain"),
        ("${X}", "<X>"),
        ("$X", "<X>"),
        ("pre ${A}-$B post", "pre <A>-<B> post"),
        # Escapes stay escaped for Compose.
        ("$$", "$$"),
        ("$${X}", "$${X}"),
        ("$$$X", "$$<X>"),
        # A lone `$` is literal, so Compose must see it doubled.
        ("$", "$$"),
        ("a$", "a$$"),
        ("a $ b", "a $$ b"),
        ("$1", "$$1"),
        ("$-x", "$$-x"),
    ],
)
def test_to_compose(text: str, compose: str) -> None:
    assert to_compose(text, expand) == compose


def test_to_compose_does_not_escape_what_expand_returns() -> None:
    assert to_compose("x=${X}", lambda name: "${" + name + ":-d}") == "x=${X:-d}"


def test_to_compose_calls_expand_once_per_reference_in_order() -> None:
    seen: list[str] = []

    def record(name: str) -> str:
        seen.append(name)
        return name.lower()

    assert to_compose("$B/${A}/$B", record) == "b/a/b"
    assert seen == ["B", "A", "B"]


def test_to_compose_raises_on_unsupported_forms() -> None:
    with pytest.raises(InterpolationError):
        to_compose("${X:-d}", expand)


@pytest.mark.parametrize(
    ("text", "literal"),
    [("${A}", False), (" ${A} ", False), ("${A}${B}", False), ("x${A}", True), ("$$", True)],
)
def test_has_literal_counts_text_beside_references(text: str, literal: bool) -> None:
    assert has_literal(parse(text)) is literal
