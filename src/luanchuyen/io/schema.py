"""JSON Schemas of what goes in (cadre, position, move, case) and what comes out (decision).

Each schema carries an ``$id`` naming the model and :data:`SCHEMA_VERSION`, so that an app can
tell which contract it validated against. The version changes when the shape of a model
changes in a way an app can notice (the history is in ``docs/json-contract.md``):

* ``1`` — the first published contract.
* ``2`` — every review, warning and priority entry carries its ``rule_id`` (the library's own
  notice about records after the as-of date has ``rule_id`` null and a ``code``); the dates
  of ``context`` are ISO ``yyyy-mm-dd``, their ``dd/mm/yyyy`` display forms are in
  ``context_display``.

>>> json_schema("decision")["$id"]
'urn:luanchuyen:schema:decision:2'
"""

from __future__ import annotations

from typing import Any, Final

__all__ = ["SCHEMA_MODELS", "SCHEMA_VERSION", "json_schema"]

#: Version of the JSON contract (inputs and the Decision).
SCHEMA_VERSION: Final = "2"
#: The models with a published schema.
SCHEMA_MODELS: Final[tuple[str, ...]] = ("cadre", "position", "move", "case", "decision")


def _model(name: str) -> Any:
    from luanchuyen.decision import Decision
    from luanchuyen.io.cases import Case
    from luanchuyen.models import Cadre, Move, Position

    return {"cadre": Cadre, "position": Position, "move": Move, "case": Case, "decision": Decision}[
        name
    ]


def json_schema(name: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one model, with ``$id`` and ``version``.

    Raises:
        KeyError: ``name`` is not one of :data:`SCHEMA_MODELS`.
    """
    if name not in SCHEMA_MODELS:
        raise KeyError(name)
    mode = "serialization" if name == "decision" else "validation"
    body = _model(name).model_json_schema(mode=mode)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"urn:luanchuyen:schema:{name}:{SCHEMA_VERSION}",
        "version": SCHEMA_VERSION,
        **body,
    }
