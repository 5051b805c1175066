"""Validation messages that say what is wrong, on small specs: what they leave out too."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from pivotal_gen.model.locate import validation_diagnostics
from pivotal_gen.model.spec import Spec
from pivotal_gen.model.unsupported import shown_input
from pivotal_gen.source.document import parse_document

SPEC = """\
project: p
variables:
  JWT_SECRET: {description: a key, secret: true}
services:
  api:
    layer: application
    image: api:1
"""


def _messages(extra: str) -> list[str]:
    document = parse_document((SPEC + extra).encode(), "pivotal.yaml")
    try:
        Spec.model_validate(document.data)
    except ValidationError as exc:
        return [d.message for d in validation_diagnostics(exc, document)]
    raise AssertionError("the spec is valid")


def test_an_unsupported_compose_key_is_the_only_message_about_its_mapping() -> None:
    messages = _messages("    deploy: {replicas: 2}\n")

    assert len(messages) == 1, messages
    assert messages[0].startswith("services.api.deploy.replicas: 'replicas' is a Compose key")


def test_a_misspelt_key_is_not_also_reported_missing() -> None:
    assert _messages("    deploy: {resorces: {}}\n") == [
        "services.api.deploy.resorces: unknown key 'resorces' (did you mean 'resources'?)"
    ]


def test_a_type_error_shows_what_it_got_shortened() -> None:
    [message] = _messages("    healthcheck: {retries: '" + "9x" * 40 + "'}\n")

    assert message.startswith("services.api.healthcheck.retries: Input should be a valid integer")
    got = message.split(", got ")[1]
    assert got.startswith('"9x9x') and got.endswith('..."') and len(got) == 40


def test_a_type_error_never_echoes_what_may_be_a_secret() -> None:
    [environment] = _messages("    environment: {TOKEN: [hunter2]}\n")
    [user] = _messages("    user: {password: hunter2}\n")

    assert "hunter2" not in environment and "got" not in environment
    assert user.endswith(", got a mapping") and "hunter2" not in user


@pytest.mark.parametrize("brk", ["\x85", "\u2028", "\u2029", "\x9b"])
def test_a_shown_value_with_a_raw_line_break_stays_on_one_line(brk: str) -> None:
    # JSON leaves these raw; a message that showed them would split over two lines.
    shown = shown_input(("images", "backend", "build"), f"pnpm{brk}USER 0", "does not match")

    assert shown == f', got "pnpm\\u{ord(brk):04x}USER 0"'
    assert len(shown.splitlines()) == 1


@pytest.mark.parametrize("brk", ["\n", "\r", "\x1b", "\x85", "\u2028"])
def test_a_message_that_quotes_the_input_stays_on_one_line(brk: str) -> None:
    # pydantic's own message for a bad union tag repeats the tag as written: a raw line
    # break would start a second line that reads as a message of its own.
    recipe = {
        "kind": f"static{brk}pivotal.yaml:1:1: forged",
        "node_image": "node:22-alpine",
        "package_manager": "pnpm@10.0.0",
        "app": "apps/api",
    }
    [message] = _messages(f"images:\n  api: {json.dumps(recipe)}\n")

    assert message.startswith("images.api.kind: Input tag 'static")
    assert len(message.splitlines()) == 1, message
    assert repr(brk)[1:-1] in message
