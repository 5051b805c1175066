"""What a profile removes, and which messages a removal concerns."""

from __future__ import annotations

from pivotal_gen.source.document import parse_document
from pivotal_gen.source.removals import concerns, removals


def test_each_null_is_a_removal_located_at_its_key() -> None:
    profile = parse_document(
        b"services:\n  pg:\n    healthcheck: null\n  api: {ports: null}\n", "p"
    )
    found = [(path, (at.line, at.col)) for path, at in removals(profile)]
    assert found == [
        (("services", "pg", "healthcheck"), (3, 5)),
        (("services", "api", "ports"), (4, 9)),
    ]


def test_a_removal_concerns_messages_that_name_its_entry() -> None:
    removed = ("services", "postgres", "healthcheck")
    assert concerns(removed, "services.api.depends_on.postgres: waits for 'postgres' ...")
    assert concerns(removed, "services.postgres: runs without a healthcheck")
    assert not concerns(removed, "services.redis: runs without a healthcheck")
    assert not concerns(removed, "services.postgres-exporter.image: not pinned")
