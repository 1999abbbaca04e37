"""Differential proof: the durable-rules backend decides exactly what the reference backend does.

Facts are generated directly from the fact registry (each fact present or absent; integers
around every threshold the compiled rules use, ±1, plus arbitrary ones; enum codes; booleans)
and evaluated against the rules in force on dates that cover every regime:

* 01/06/2024: QĐ 65, 50, 80 and the Chi Lăng 2024 plan;
* 15/04/2025: the Kết luận 128 moratorium and Chỉ thị 45;
* 01/08/2025: two-tier local government, still QĐ 80;
* 01/03/2026: QĐ 377 and QĐ 296.

For every rule the three states ``(applies, test, exception)`` must be identical. Hypothesis
runs derandomised and without an example database, so CI is reproducible. A second part
compiles a fixed set of generated conditions (every operator, ``is known``, nested
``all``/``any``/``not``) into one synthetic rule set, and a third compares whole decisions
for requests drawn from :func:`luanchuyen.testing.strategies.cases`.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import date
from functools import cache
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from luanchuyen.decision import RuleStates
from luanchuyen.engine.durable import DurableBackend
from luanchuyen.engine.reference import ReferenceBackend
from luanchuyen.facts.registry import FACTS, FactSpec, FactValue
from luanchuyen.ruleset.compile import CompiledRule, CompiledRules, RuleSet
from luanchuyen.ruleset.conditions import (
    All,
    AnyOf,
    Compare,
    Condition,
    Known,
    Not,
    Op,
    walk,
)

DATES = (date(2024, 6, 1), date(2025, 4, 15), date(2025, 8, 1), date(2026, 3, 1))
PACKS: tuple[str | None, ...] = (None, "chi-lang-2024", "ha-noi-188")
#: Generated fact dicts per (pack, date): 3 × 4 × 900 = 10,800 in a normal run.
EXAMPLES_PER_COMBO = 900
SYNTHETIC_RULES = 120
SYNTHETIC_EXAMPLES = 1_500
#: Examples drawn fact by fact (shrinkable), per (pack, date), on top of the seeded ones.
SHRINKABLE_EXAMPLES = 60
DECISION_EXAMPLES = 250

#: Reproducible in CI: derandomised, no example database, no deadline (durable is slow-ish).
BASE_SETTINGS = settings(
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@cache
def _ruleset(pack: str | None) -> RuleSet:
    return RuleSet.load(pack) if pack else RuleSet.load()


@cache
def _compiled(pack: str | None, day: date) -> CompiledRules:
    return _ruleset(pack).compiled(day)


@cache
def _durable() -> DurableBackend:
    return DurableBackend()


REFERENCE = ReferenceBackend()


def _thresholds() -> dict[str, list[int]]:
    """Every integer a compiled rule compares a fact with, widened by ±1 (and 0)."""
    found: dict[str, set[int]] = {n: {0} for n, s in FACTS.items() if s.type == "int"}
    for pack in PACKS:
        for day in DATES:
            for rule in _compiled(pack, day).rules:
                for part in (rule.applies, rule.test, rule.exception):
                    if part is None:
                        continue
                    for node in walk(part):
                        if not isinstance(node, Compare) or FACTS[node.fact].type != "int":
                            continue
                        values = node.value if isinstance(node.value, tuple) else (node.value,)
                        for v in values:
                            assert isinstance(v, int)
                            found[node.fact] |= {v - 1, v, v + 1}
    return {name: sorted(values) for name, values in found.items()}


THRESHOLDS = _thresholds()


def _value_strategy(spec: FactSpec) -> st.SearchStrategy[FactValue]:
    if spec.type == "bool":
        return st.booleans()
    if spec.type == "enum":
        return st.sampled_from(spec.values)
    near = st.sampled_from(THRESHOLDS[spec.name])
    return st.one_of(near, near, st.integers(-60, 1_200))


VALUES = {name: _value_strategy(spec) for name, spec in FACTS.items()}
MISSING_PCT = (0, 0, 5, 20, 50, 90)


@st.composite
def flat_facts(draw: st.DrawFn) -> dict[str, FactValue]:
    """A flat fact dict drawn fact by fact (shrinks well, but costs ~5 ms an example)."""
    missing_pct = draw(st.sampled_from(MISSING_PCT))
    out: dict[str, FactValue] = {}
    for name in FACTS:
        if draw(st.integers(0, 99)) >= missing_pct:
            out[name] = draw(VALUES[name])
    return out


def facts_from_seed(seed: int, missing_pct: int) -> dict[str, FactValue]:
    """The same distribution as :func:`flat_facts`, generated from one seed (~0.1 ms).

    A failing example is reported by Hypothesis as ``(seed, missing_pct)``: calling this
    function with them rebuilds the exact fact dict.
    """
    rng = random.Random(seed)
    out: dict[str, FactValue] = {}
    for name, spec in FACTS.items():
        if rng.randrange(100) < missing_pct:
            continue
        if spec.type == "bool":
            out[name] = rng.random() < 0.5
        elif spec.type == "enum":
            out[name] = rng.choice(spec.values)
        elif rng.random() < 2 / 3:
            out[name] = rng.choice(THRESHOLDS[name])
        else:
            out[name] = rng.randint(-60, 1_200)
    return out


def seeded_facts() -> st.SearchStrategy[dict[str, FactValue]]:
    """Fast flat facts: Hypothesis draws the seed and the rate of absent facts."""
    return st.builds(facts_from_seed, st.integers(0, 2**32 - 1), st.sampled_from(MISSING_PCT))


def _differences(
    compiled: CompiledRules,
    reference: Mapping[str, RuleStates],
    other: Mapping[str, RuleStates],
) -> list[str]:
    return [
        f"{r.id}: reference {reference.get(r.id)} ≠ durable {other.get(r.id)}"
        for r in compiled.rules
        if reference.get(r.id) != other.get(r.id)
    ]


def _check(compiled: CompiledRules, facts: Mapping[str, FactValue]) -> None:
    durable = _durable()
    expected = REFERENCE.states(compiled, facts)
    got = durable.states(compiled, facts)
    assert set(got) == {r.id for r in compiled.rules}
    if got != expected:
        wrong = [r for r in compiled.rules if got.get(r.id) != expected.get(r.id)]
        read = sorted(set().union(*(r.facts for r in wrong)))
        used = {n: facts[n] for n in read if n in facts}
        pytest.fail(f"{_differences(compiled, expected, got)}; facts read: {used}")
    assert durable.live_sessions == 0


COMBOS = [
    pytest.param(pack, day, id=f"{pack or 'national'}@{day.isoformat()}")
    for pack in PACKS
    for day in DATES
]


def test_every_regime_is_covered() -> None:
    signatures = {_compiled(pack, day).signature for pack in PACKS for day in DATES}
    # national × 4 dates, Chi Lăng in force on 2 of them, Hà Nội on 3 of them
    assert len(signatures) == 9
    ids = {r.id for pack in PACKS for day in DATES for r in _compiled(pack, day).rules}
    for rid in (
        "moratorium_kl128",
        "district_level_abolished",
        "party_discipline_in_effect",
        "party_discipline_in_effect_377",
        "discipline_removes_planning_pre377",
        "chilang_c3_deputy_three_terms",
        "hanoi_cross_unit_intake",
    ):
        assert rid in ids
    assert all(THRESHOLDS[name] for name in THRESHOLDS)
    assert {119, 120, 121, 179, 180, 181} <= set(THRESHOLDS["remaining_service_months"])


@pytest.mark.parametrize(("pack", "day"), COMBOS)
def test_durable_states_equal_reference_states(pack: str | None, day: date) -> None:
    compiled = _compiled(pack, day)

    @settings(BASE_SETTINGS, max_examples=EXAMPLES_PER_COMBO)
    @given(facts=seeded_facts())
    def run(facts: dict[str, FactValue]) -> None:
        _check(compiled, facts)

    run()
    assert _durable().max_live_seen <= 1


@pytest.mark.parametrize(("pack", "day"), COMBOS)
def test_durable_states_equal_reference_states_shrinkable(pack: str | None, day: date) -> None:
    """Fewer examples, drawn fact by fact, so that a counterexample shrinks to a few facts."""
    compiled = _compiled(pack, day)

    @settings(BASE_SETTINGS, max_examples=SHRINKABLE_EXAMPLES)
    @given(facts=flat_facts())
    def run(facts: dict[str, FactValue]) -> None:
        _check(compiled, facts)

    run()


def test_no_fact_and_every_fact() -> None:
    """The two extremes: nothing known, and every fact known (lowest thresholds, codes)."""
    full: dict[str, FactValue] = {}
    for n, s in FACTS.items():
        full[n] = THRESHOLDS[n][0] if s.type == "int" else s.values[0] if s.values else False
    for pack in PACKS:
        for day in DATES:
            compiled = _compiled(pack, day)
            _check(compiled, {})
            _check(compiled, full)


# --------------------------------------------------------------------------- synthetic rules

_INT_OPS: tuple[Op, ...] = ("==", "!=", "<", "<=", ">", ">=", "in", "not in")
_ENUM_OPS: tuple[Op, ...] = ("==", "!=", "in", "not in")
_BOOL_OPS: tuple[Op, ...] = ("==", "!=")


def _random_leaf(rng: random.Random) -> Condition:
    name = rng.choice(sorted(FACTS))
    spec = FACTS[name]
    if rng.random() < 0.12:
        return Known(name, negated=rng.random() < 0.5)
    if spec.type == "bool":
        return Compare(name, rng.choice(_BOOL_OPS), rng.random() < 0.5)
    if spec.type == "enum":
        op = rng.choice(_ENUM_OPS)
        if op in ("in", "not in"):
            k = rng.randint(1, min(3, len(spec.values)))
            return Compare(name, op, tuple(rng.sample(list(spec.values), k)))
        return Compare(name, op, rng.choice(spec.values))
    op = rng.choice(_INT_OPS)
    pool = THRESHOLDS[name]
    if op in ("in", "not in"):
        return Compare(name, op, tuple(rng.sample(pool, min(len(pool), rng.randint(1, 3)))))
    return Compare(name, op, rng.choice(pool))


def _random_condition(rng: random.Random, depth: int = 0) -> Condition:
    roll = rng.random()
    if depth >= 3 or roll < 0.35:
        return _random_leaf(rng)
    if roll < 0.45:
        return Not(_random_condition(rng, depth + 1))
    items = tuple(_random_condition(rng, depth + 1) for _ in range(rng.randint(1, 3)))
    return All(items) if roll < 0.75 else AnyOf(items)


def _synthetic_rules() -> CompiledRules:
    """A fixed rule set of generated conditions (seeded, so every run compiles the same)."""
    rng = random.Random(20261123)
    source = _compiled(None, DATES[-1]).rules[0].source
    rules = []
    for i in range(SYNTHETIC_RULES):
        exception = _random_condition(rng) if rng.random() < 0.4 else None
        rules.append(
            CompiledRule(
                id=f"synthetic_{i}",
                effect="block",
                applies=_random_condition(rng),
                test=_random_condition(rng),
                exception=exception,
                source=source,
            )
        )
    return CompiledRules(
        rules=tuple(rules),
        params={},
        param_sources={},
        signature=f"synthetic-{SYNTHETIC_RULES}-20261123",
        pack_ids=(),
        content_hash="synthetic",
    )


SYNTHETIC = _synthetic_rules()


def test_synthetic_rules_cover_every_operator() -> None:
    nodes = [
        node
        for rule in SYNTHETIC.rules
        for part in (rule.applies, rule.test, rule.exception)
        if part is not None
        for node in walk(part)
    ]
    ops = {n.op for n in nodes if isinstance(n, Compare)}
    assert ops == set(_INT_OPS)
    assert {n.negated for n in nodes if isinstance(n, Known)} == {True, False}
    assert {type(n) for n in nodes} == {Compare, Known, All, AnyOf, Not}


@settings(BASE_SETTINGS, max_examples=SYNTHETIC_EXAMPLES)
@given(facts=seeded_facts())
def test_durable_states_equal_reference_states_on_generated_conditions(
    facts: dict[str, FactValue],
) -> None:
    _check(SYNTHETIC, facts)


# --------------------------------------------------------------------------- whole decisions


def _dump(decision: Any) -> dict[str, Any]:
    data: dict[str, Any] = decision.model_dump(mode="json")
    data["provenance"].pop("backend")
    return data


def test_whole_decisions_agree_on_generated_requests() -> None:
    strategies = pytest.importorskip(
        "luanchuyen.testing.strategies",
        reason="luanchuyen.testing.strategies (Hypothesis input strategies) is not available",
    )
    from luanchuyen.evaluation import evaluate

    @settings(BASE_SETTINGS, max_examples=DECISION_EXAMPLES)
    @given(request=strategies.cases(), pack=st.sampled_from(PACKS))
    def run(request: Any, pack: str | None) -> None:
        cadre, move, as_of = request
        rules = _ruleset(pack)
        reference = evaluate(cadre, move, as_of=as_of, rules=rules, backend="reference")
        durable = evaluate(cadre, move, as_of=as_of, rules=rules, backend=_durable())
        assert durable.verdict == reference.verdict
        assert durable.outcomes() == reference.outcomes()
        assert _dump(durable) == _dump(reference)

    run()
    assert _durable().live_sessions == 0
