"""The JSON contract: published schemas with ``$id`` and version, every decision valid."""

from __future__ import annotations

import json

import jsonschema
from typer.testing import CliRunner

import luanchuyen as lc
from factories import base_cadre, base_move
from luanchuyen.cli import _register, app
from luanchuyen.io.schema import SCHEMA_MODELS, SCHEMA_VERSION, json_schema

runner = CliRunner()
_register()


def test_schema_decision_command() -> None:
    result = runner.invoke(app, ["schema", "decision"])
    assert result.exit_code == 0, result.output
    schema = json.loads(result.output)
    assert schema["$id"] == f"urn:luanchuyen:schema:decision:{SCHEMA_VERSION}"
    assert schema["version"] == SCHEMA_VERSION
    assert schema["title"] == "Decision"
    jsonschema.Draft202012Validator.check_schema(schema)


def test_every_schema_is_valid_and_named() -> None:
    for name in SCHEMA_MODELS:
        schema = json_schema(name)
        jsonschema.Draft202012Validator.check_schema(schema)
        assert schema["$id"].endswith(f":{name}:{SCHEMA_VERSION}")


def test_a_decision_that_breaks_the_schema_is_caught() -> None:
    d = lc.evaluate(base_cadre(), base_move(), as_of="2024-06-01", backend="reference")
    data = json.loads(d.to_json())
    validator = jsonschema.Draft202012Validator(json_schema("decision"))
    assert validator.is_valid(data)
    data["verdict"] = "maybe"
    assert not validator.is_valid(data)


def test_the_session_hook_checks_decisions(checked_decisions: set[bytes]) -> None:
    before = len(checked_decisions)
    lc.evaluate(base_cadre(id="SCHEMA-1"), base_move(), as_of="2024-06-01", backend="reference")
    assert len(checked_decisions) == before + 1
