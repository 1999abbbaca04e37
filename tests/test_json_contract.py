"""The JSON contract: published schemas with ``$id`` and version, every decision valid."""

from __future__ import annotations

import json
import re
from datetime import date

import jsonschema
from typer.testing import CliRunner

import luanchuyen as lc
from factories import base_cadre, base_move
from luanchuyen.cli import _register, app
from luanchuyen.decision import machine_context
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


# --------------------------------------------------------------------------- schema version 2


def _review_and_warning() -> lc.Decision:
    """A rotation cut short (a review) with a health certificate too old (a warning)."""
    cadre = base_cadre(
        rotation_history=[{"from_post": "a", "to_post": "b", "start": "01/10/2022"}],
        health={"issued_on": "01/01/2023", "fit": True},
    )
    return lc.evaluate(cadre, base_move(), as_of="2024-06-01", backend="reference")


def test_every_entry_names_its_rule() -> None:
    d = _review_and_warning()
    young = lc.evaluate(
        base_cadre(date_of_birth="01/01/1990"), base_move(), as_of="2024-06-01", backend="reference"
    )
    kinds = {"reviews": "review", "warnings": "warn", "priority_reasons": "priority"}
    seen = set()
    for decision in (d, young):
        data = json.loads(decision.to_json())
        for key, effect in kinds.items():
            for entry in data[key]:
                seen.add(key)
                c = decision.criterion(entry["rule_id"])  # KeyError if it names no criterion
                assert (c.applied_effect or c.effect) == effect
                assert entry["vi"] == c.message.vi and entry["en"] == c.message.en
                assert entry["code"] is None
        assert all(decision.criterion(r).applied_effect == "block" for r in data["blocking"])
    assert seen == set(kinds)  # each kind of entry was exercised


def test_the_library_notice_has_a_code_and_no_rule() -> None:
    cadre = base_cadre(disciplines=[{"form": "khien_trach", "decision_date": "01/01/2099"}])
    d = lc.evaluate(cadre, base_move(), as_of="2024-06-01", backend="reference")
    notices = [w for w in d.warnings if w.rule_id is None]
    assert [w.code for w in notices] == ["records_after_as_of"]
    assert "01/01/2099" in notices[0].vi  # the message reads dd/mm/yyyy
    assert d.context["records_after_as_of"] == "disciplines[0] 2099-01-01"
    assert d.context_display["records_after_as_of"] == "disciplines[0] 01/01/2099"


def test_context_dates_are_iso_and_display_apart() -> None:
    d = _review_and_warning()
    data = json.loads(d.to_json())
    ctx, shown = data["context"], data["context_display"]
    assert ctx["as_of"] == "2024-06-01" and shown["as_of"] == "01/06/2024"
    assert ctx["rotation_start"] == "2022-10-01" and shown["rotation_start"] == "01/10/2022"
    assert d.context["retirement_date"] == date.fromisoformat(ctx["retirement_date"])
    assert set(shown) <= set(ctx)
    dmy = re.compile(r"\b\d{2}/\d{2}/\d{4}\b")
    for key, value in ctx.items():  # no machine field of the context reads dd/mm/yyyy
        if isinstance(value, str) and not key.endswith(("_vi", "_en")):
            assert not dmy.search(value), (key, value)
    # people still read dd/mm/yyyy
    early = d.criterion("rotation_early_end")
    assert "01/10/2022" in early.message.vi
    assert any("01/10/2022" in r.vi for r in d.reviews)


def test_machine_context_keeps_texts_and_bad_days() -> None:
    machine, shown = machine_context(
        {"a": "31/02/2024", "b_vi": "từ 01/06/2024", "c": 5, "d": "x 01/06/2024"}
    )
    assert machine == {"a": "31/02/2024", "b_vi": "từ 01/06/2024", "c": 5, "d": "x 2024-06-01"}
    assert shown == {"d": "x 01/06/2024"}


def test_the_schema_describes_version_2() -> None:
    schema = json_schema("decision")
    assert SCHEMA_VERSION == "2"
    note = schema["$defs"]["Note"]
    assert {"vi", "en", "rule_id", "code"} <= set(note["properties"])
    assert "rule_id" in note["required"]
    props = schema["properties"]
    assert props["reviews"]["items"] == {"$ref": "#/$defs/Note"}
    assert props["context_display"]["additionalProperties"] == {"type": "string"}
    validator = jsonschema.Draft202012Validator(schema)
    data = json.loads(_review_and_warning().to_json())
    assert validator.is_valid(data)
    del data["reviews"][0]["rule_id"]
    assert not validator.is_valid(data)


def test_built_models_equal_model_construct() -> None:
    """decision.built skips model_construct's work; the models and their JSON are the same."""
    from luanchuyen.decision import CriterionResult, Note, built
    from luanchuyen.ruleset.schema import Text2

    d = _review_and_warning()
    for c in d.criteria:
        assert set(c.__dict__) == set(CriterionResult.model_fields)  # every field given
        again = CriterionResult.model_construct(**c.__dict__)
        assert again == c and again.model_dump_json() == c.model_dump_json()
        assert c.model_fields_set == set(CriterionResult.model_fields)
    for n in [*d.reviews, *d.warnings]:
        assert set(n.__dict__) == set(Note.model_fields)
        assert Note.model_validate(n.model_dump()) == n
    t = built(Text2, {"vi": "a", "en": "b"})
    assert t == Text2(vi="a", en="b") and hash(t) == hash(Text2(vi="a", en="b"))
    assert lc.Decision.model_validate_json(d.to_json()).to_json() == d.to_json()
