"""The condition language: validation at load, Kleene logic, negation, durable translation."""

from __future__ import annotations

import pytest

from luanchuyen.engine.durable import to_durable
from luanchuyen.errors import RuleFileError
from luanchuyen.ruleset.conditions import (
    All,
    AnyOf,
    Compare,
    Known,
    ParamRef,
    evaluate,
    negate,
    parse_condition,
    resolve,
    to_data,
)


@pytest.mark.parametrize(
    ("data", "code", "needle"),
    [
        ({"fact": "shoe_size", "op": "==", "value": 1}, "unknown_fact", "shoe_size"),
        ({"fact": "age_months", "op": "~", "value": 1}, "rule_schema", "~"),
        ({"fact": "age_months", "op": ">=", "value": "x"}, "type_mismatch", "age_months"),
        ({"fact": "in_planning", "op": "<", "value": True}, "type_mismatch", "in_planning"),
        ({"fact": "gender", "op": "==", "value": "other"}, "type_mismatch", "other"),
        ({"fact": "gender", "op": "in", "value": []}, "rule_schema", "rỗng"),
        ({"all": []}, "rule_schema", "all"),
        ({"all": [{"fact": "gender", "op": "is known"}], "any": []}, "rule_schema", "all"),
        ({"fact": "age_months", "op": ">=", "value": 1, "param": "x"}, "rule_schema", "param"),
        ("age >= 3", "rule_schema", "ánh xạ"),
    ],
)
def test_invalid_conditions(data: object, code: str, needle: str) -> None:
    with pytest.raises(RuleFileError) as info:
        parse_condition(data, where="r.require")
    assert info.value.code == code
    assert needle in info.value.message_vi + info.value.message_en
    assert "r.require" in info.value.message_en


def test_kleene_logic() -> None:
    c = parse_condition(
        {
            "any": [
                {"fact": "in_planning", "op": "==", "value": True},
                {"fact": "policy_case", "op": "==", "value": True},
            ]
        }
    )
    assert evaluate(c, {"in_planning": True}) is True
    assert evaluate(c, {"policy_case": False}) is None
    assert evaluate(c, {"in_planning": False, "policy_case": False}) is False
    a = parse_condition(
        {
            "all": [
                {"fact": "age_months", "op": "<", "value": 480},
                {"fact": "gender", "op": "==", "value": "nu"},
            ]
        }
    )
    assert evaluate(a, {"gender": "nam"}) is False
    assert evaluate(a, {"gender": "nu"}) is None
    assert evaluate(Known("age_months"), {}) is False
    assert evaluate(Known("age_months", negated=True), {}) is True


def test_negation_pushes_to_leaves() -> None:
    c = parse_condition(
        {
            "not": {
                "all": [
                    {"fact": "age_months", "op": ">=", "value": 3},
                    {"fact": "gender", "op": "in", "value": ["nam"]},
                ]
            }
        }
    )
    n = negate(c)
    assert n == All((Compare("age_months", ">=", 3), Compare("gender", "in", ("nam",))))
    assert isinstance(negate(n), AnyOf)


def test_params_are_resolved_and_type_checked() -> None:
    c = parse_condition({"fact": "age_months", "op": "<", "param": "youth_age_months"})
    assert isinstance(c, Compare) and c.value == ParamRef("youth_age_months")
    assert resolve(c, {"youth_age_months": 480}) == Compare("age_months", "<", 480)
    with pytest.raises(RuleFileError) as info:
        resolve(c, {"youth_age_months": "forty"})
    assert info.value.code == "type_mismatch"
    with pytest.raises(RuleFileError) as info:
        resolve(c, {})
    assert info.value.code == "unknown_parameter"


def test_round_trip_to_data() -> None:
    data = {
        "any": [
            {"fact": "gender", "op": "in", "value": ["nam", "nu"]},
            {"not": {"fact": "age_months", "op": "is known"}},
        ]
    }
    assert to_data(parse_condition(data)) == data


def test_durable_translation() -> None:
    assert to_durable(Compare("gender", "==", "nu")) == {"gender": "nu"}
    assert to_durable(Compare("age_months", ">=", 3)) == {"$gte": {"age_months": 3}}
    assert to_durable(Compare("gender", "not in", ("nam", "nu"))) == {
        "$and": [{"$neq": {"gender": "nam"}}, {"$neq": {"gender": "nu"}}]
    }
    assert to_durable(Known("age_months", negated=True)) == {"$nex": {"age_months": 1}}
    assert to_durable(AnyOf(())) is None
