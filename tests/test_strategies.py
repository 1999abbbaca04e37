"""Property tests of the Hypothesis strategies in ``luanchuyen.testing`` (and of what they feed)."""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from luanchuyen.authoring.coverage import ALWAYS_KNOWN_FACTS, reachable_outcomes
from luanchuyen.decision import Outcome
from luanchuyen.evaluation import evaluate, load_rules
from luanchuyen.facts import derive_facts
from luanchuyen.models import Cadre, Level, Move, Position
from luanchuyen.ruleset.compile import RuleSet
from luanchuyen.testing import (
    AS_OF_MAX,
    AS_OF_MIN,
    DATE_MAX,
    DATE_MIN,
    GeneratedCase,
    cadres,
    cases,
    moves,
    positions,
)

SETTINGS = settings(
    max_examples=120,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TWO_TIER = date(2025, 7, 1)
RULESETS: dict[str, RuleSet] = {}
REACH: dict[tuple[str, str], frozenset[str] | None] = {}
#: Rules whose "unknown" message is their own (they still list the missing facts).
_CUSTOM_UNKNOWN: frozenset[str] = frozenset()


def ruleset(name: str) -> RuleSet:
    if name not in RULESETS:
        RULESETS[name] = load_rules(*([name] if name else []))
    return RULESETS[name]


def dates_in(value: Any) -> list[date]:
    """Every date inside a model dump."""
    if isinstance(value, date):
        return [value]
    if isinstance(value, dict):
        return [d for v in value.values() for d in dates_in(v)]
    if isinstance(value, list):
        return [d for v in value for d in dates_in(v)]
    return []


@SETTINGS
@given(cases())
def test_generated_cases_are_coherent(case: GeneratedCase) -> None:
    cadre, move, as_of = case
    assert AS_OF_MIN <= as_of <= AS_OF_MAX
    assert cadre.date_of_birth < as_of
    assert 22 <= as_of.year - cadre.date_of_birth.year <= 65
    for day in dates_in(cadre.model_dump()) + dates_in(move.model_dump()):
        assert DATE_MIN <= day <= DATE_MAX
    adult = date(cadre.date_of_birth.year + 18, 1, 1)
    for d in cadre.disciplines or ():
        assert adult <= d.decision_date <= as_of <= date(2030, 12, 31)
        assert d.effective >= d.decision_date
    for p in cadre.planning or ():
        assert p.approved_on is None or adult <= p.approved_on <= as_of
    for r in cadre.rotation_history or ():
        assert adult <= r.start <= as_of
        assert r.end is None or r.end >= r.start
        assert all(r.start.year <= y <= as_of.year for y in r.ratings)
    for y in cadre.ratings or {}:
        assert cadre.date_of_birth.year < y <= as_of.year
    if cadre.family and cadre.family.youngest_child_date_of_birth:
        child = cadre.family.youngest_child_date_of_birth
        assert cadre.date_of_birth < child <= as_of
        assert cadre.family.has_children is True
    if cadre.health:
        assert cadre.health.issued_on <= as_of
    if as_of >= TWO_TIER:
        assert move.target.level is not Level.HUYEN
        assert cadre.current_post is None or cadre.current_post.level is not Level.HUYEN
    if move.planned_start and move.planned_end:
        assert move.planned_end >= move.planned_start
    words = cadre.name.split()
    assert len(words) >= 3 and all(w[0].isupper() for w in words)


@SETTINGS
@given(cases(), st.sampled_from(["", "chi-lang-2024", "ha-noi-188"]))
def test_every_generated_case_evaluates_on_the_reference_backend(
    case: GeneratedCase, overlay: str
) -> None:
    cadre, move, as_of = case
    rules = ruleset(overlay)
    decision = evaluate(cadre, move, as_of=as_of, rules=rules, backend="reference")
    assert decision.criteria
    assert decision.provenance.as_of == as_of
    compiled = rules.compiled(as_of)
    by_id = compiled.by_id()
    for crit in decision.criteria:
        # the reachability analysis the lint relies on never misses an outcome that happens
        key = (compiled.signature, crit.rule_id)
        if key not in REACH:
            REACH[key] = reachable_outcomes(by_id[crit.rule_id])
        reach = REACH[key]
        assert reach is None or crit.outcome.value in reach, (crit.rule_id, crit.outcome)
        if crit.outcome is Outcome.UNKNOWN and crit.rule_id not in _CUSTOM_UNKNOWN:
            assert crit.missing_facts, crit.rule_id


@SETTINGS
@given(cases())
def test_always_known_facts_are_always_derived(case: GeneratedCase) -> None:
    cadre, move, as_of = case
    derived = derive_facts(cadre, move, as_of, ruleset("").compiled(date(2026, 1, 1)).params)
    assert set(derived.facts) >= ALWAYS_KNOWN_FACTS


def _round_trip(model: BaseModel) -> None:
    again = type(model).model_validate_json(model.model_dump_json())
    assert again == model
    assert again.model_dump_json() == model.model_dump_json()


@SETTINGS
@given(cadres())
def test_cadre_json_round_trip(cadre: Cadre) -> None:
    _round_trip(cadre)


@SETTINGS
@given(moves())
def test_move_json_round_trip(move: Move) -> None:
    _round_trip(move)


@SETTINGS
@given(positions(as_of=date(2026, 3, 1)))
def test_positions_after_the_reform_have_no_district(position: Position) -> None:
    _round_trip(position)
    assert position.level is not Level.HUYEN
    assert position.title.strip() and position.title[0].isupper()


def test_strategies_leave_optional_fields_unknown_sometimes() -> None:
    seen_none: set[str] = set()
    seen_value: set[str] = set()

    @settings(max_examples=150, deadline=None, database=None)
    @given(cadres())
    def collect(cadre: Cadre) -> None:
        for name in ("planning", "disciplines", "family", "health", "current_post", "ratings"):
            (seen_none if getattr(cadre, name) is None else seen_value).add(name)

    collect()
    assert (
        seen_none
        == seen_value
        == {
            "planning",
            "disciplines",
            "family",
            "health",
            "current_post",
            "ratings",
        }
    )


@settings(max_examples=30, deadline=None, database=None)
@given(cases())
def test_durable_backend_agrees_on_generated_cases(case: GeneratedCase) -> None:
    cadre, move, as_of = case
    ref = evaluate(cadre, move, as_of=as_of, rules=ruleset(""), backend="reference")
    dur = evaluate(cadre, move, as_of=as_of, rules=ruleset(""), backend="durable")
    assert dur.outcomes() == ref.outcomes()
    assert dur.verdict == ref.verdict
