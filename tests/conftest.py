"""Shared fixtures: a complete, known-everything cadre and move (law brief §7 assumptions)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from factories import base_cadre, base_move


@pytest.fixture
def cadre() -> dict[str, Any]:
    return base_cadre()


@pytest.fixture
def move() -> dict[str, Any]:
    return base_move()


# --------------------------------------------------------------------------- the JSON contract
# Every Decision built in this test process is checked against `luanchuyen schema decision`
# (the published JSON Schema). Identical decisions are validated once.

_CHECKED: set[bytes] = set()
_FAILURES: list[str] = []


@pytest.fixture(scope="session", autouse=True)
def _every_decision_matches_its_schema() -> Iterator[None]:
    # jsonschema-rs: 0.9 ms a decision where the pure-Python validator took 27 ms (measured),
    # which made this check the largest single cost of the suite.
    import hashlib

    import jsonschema_rs

    from luanchuyen.decision import Decision
    from luanchuyen.io.schema import json_schema

    validator = jsonschema_rs.validator_for(json_schema("decision"))
    original = Decision.__init__

    def checked_init(self: Decision, /, **data: Any) -> None:
        original(self, **data)
        text = self.model_dump_json()
        digest = hashlib.blake2b(text.encode(), digest_size=16).digest()
        if digest in _CHECKED:
            return
        _CHECKED.add(digest)
        if len(_FAILURES) < 20 and not validator.is_valid(json.loads(text)):
            error = next(iter(validator.iter_errors(json.loads(text))))
            path = "/".join(str(p) for p in error.instance_path)
            _FAILURES.append(f"{self.cadre_id}: /{path}: {error.message}")

    Decision.__init__ = checked_init  # type: ignore[method-assign]
    try:
        yield
    finally:
        Decision.__init__ = original  # type: ignore[method-assign]
    assert not _FAILURES, "decisions that break the published schema:\n" + "\n".join(_FAILURES)


@pytest.fixture
def checked_decisions() -> set[bytes]:
    """Digests of the decisions checked against the schema so far (for the guard test)."""
    return _CHECKED
