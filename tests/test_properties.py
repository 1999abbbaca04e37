"""Properties of the three-valued rule logic, the outcomes and the verdict.

* **Less information never flips a decision.** Removing a fact can make a rule's condition
  unknown but never turns true into false or false into true; the same holds for the outcome
  (never pass ↔ fail). The one legitimate exception is ``is known``, which *decides* on absence;
  rules that use it are named in :func:`test_rules_that_decide_on_absence`.
* **Kleene negation.** ``evaluate(negate(c), f)`` is the Kleene negation of ``evaluate(c, f)``,
  and ``nnf`` and the YAML round trip keep the meaning.
* **Complete facts decide everything.** With every fact present no condition and no outcome
  is unknown, and what was already decided stays decided the same way.
* **The verdict follows the outcomes**: a blocking fail always gives ``not_eligible``, and so on.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from datetime import date
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from luanchuyen.decision import (
    Decision,
    Outcome,
    Provenance,
    RuleStates,
    Verdict,
    assemble,
    outcome_of,
)
from luanchuyen.engine.reference import ReferenceBackend
from luanchuyen.facts import DerivedFacts
from luanchuyen.facts.registry import FACTS, FactValue
from luanchuyen.ruleset.compile import CompiledRule, CompiledRules
from luanchuyen.ruleset.conditions import (
    All,
    AnyOf,
    Compare,
    Condition,
    Known,
    Not,
    TriState,
    evaluate,
    negate,
    nnf,
    parse_condition,
    to_data,
    walk,
)
from luanchuyen.ruleset.schema import Effect
from test_differential import (
    BASE_SETTINGS,
    COMBOS,
    DATES,
    PACKS,
    THRESHOLDS,
    VALUES,
    _compiled,
    seeded_facts,
)

REFERENCE = ReferenceBackend()
EFFECTS: tuple[Effect, ...] = ("block", "review", "warn", "priority", "info")
CONSTRAINTS = frozenset({"block", "review", "warn"})
TRI: tuple[TriState, ...] = (True, False, None)
EXAMPLES = 120


def _kleene_not(value: TriState) -> TriState:
    return None if value is None else not value


def _known_facts(cond: Condition | None) -> frozenset[str]:
    """Facts read through ``is known`` (the only test that is decided when a fact is absent)."""
    if cond is None:
        return frozenset()
    return frozenset(n.fact for n in walk(cond) if isinstance(n, Known))


def _parts(rule: CompiledRule) -> tuple[Condition | None, ...]:
    return (rule.applies, rule.test, rule.exception)


@cache
def _all_rules() -> tuple[CompiledRule, ...]:
    seen: dict[tuple[str, str], CompiledRule] = {}
    for pack in PACKS:
        for day in DATES:
            compiled = _compiled(pack, day)
            for rule in compiled.rules:
                seen.setdefault((compiled.signature, rule.id), rule)
    return tuple(seen.values())


# --------------------------------------------------------------------------- removing a fact


def _removal_is_monotone(
    compiled: CompiledRules, facts: Mapping[str, FactValue], removed: str
) -> None:
    """Check one removal at the level of rule states and at the level of outcomes."""
    fewer = {k: v for k, v in facts.items() if k != removed}
    before = REFERENCE.states(compiled, facts)
    after = REFERENCE.states(compiled, fewer)
    for rule in compiled.rules:
        deciding = any(removed in _known_facts(part) for part in _parts(rule))
        if deciding:
            continue
        for part, old, new in zip(_parts(rule), before[rule.id], after[rule.id], strict=True):
            if part is None:
                assert old is None and new is None
            else:
                assert new in (old, None), (rule.id, removed, old, new)
        old_out = outcome_of(rule.effect, before[rule.id][0], before[rule.id][1])
        new_out = outcome_of(rule.effect, after[rule.id][0], after[rule.id][1])
        assert {old_out, new_out} != {Outcome.PASS, Outcome.FAIL}, (rule.id, removed)
        if new_out not in (old_out, Outcome.UNKNOWN):
            # Only "not applicable" can become "pass": a constraint met either way.
            assert old_out is Outcome.NOT_APPLICABLE, (rule.id, removed, old_out, new_out)
            assert new_out is Outcome.PASS and rule.effect in CONSTRAINTS


@pytest.mark.parametrize(("pack", "day"), COMBOS)
def test_removing_a_fact_never_flips_a_rule(pack: str | None, day: date) -> None:
    compiled = _compiled(pack, day)

    @settings(BASE_SETTINGS, max_examples=EXAMPLES)
    @given(facts=seeded_facts(), pick=st.integers(min_value=0))
    def run(facts: dict[str, FactValue], pick: int) -> None:
        if not facts:
            return
        names = sorted(facts)
        _removal_is_monotone(compiled, facts, names[pick % len(names)])

    run()


def test_removing_each_fact_of_a_complete_profile() -> None:
    """Exhaustive over the facts: every single removal from a complete fact dict."""
    complete = {name: _first_value(name) for name in FACTS}
    for pack in PACKS:
        for day in DATES:
            compiled = _compiled(pack, day)
            for name in FACTS:
                _removal_is_monotone(compiled, complete, name)


def _first_value(name: str) -> FactValue:
    spec = FACTS[name]
    if spec.type == "bool":
        return True
    if spec.type == "enum":
        return spec.values[0]
    return THRESHOLDS[name][len(THRESHOLDS[name]) // 2]


def test_outcome_of_never_flips_with_less_information() -> None:
    """Exhaustive: forgetting the applicability or the requirement never swaps pass and fail."""
    for effect, applies, test in itertools.product(EFFECTS, TRI, TRI):
        old = outcome_of(effect, applies, test)
        for new_applies, new_test in ((None, test), (applies, None), (None, None)):
            new = outcome_of(effect, new_applies, new_test)
            assert {old, new} != {Outcome.PASS, Outcome.FAIL}
            if new not in (old, Outcome.UNKNOWN):
                assert old is Outcome.NOT_APPLICABLE and new is Outcome.PASS
                assert effect in CONSTRAINTS and test is True


def test_rules_that_decide_on_absence() -> None:
    """The rules whose outcome may change from pass to fail when a fact is removed.

    They all read a fact through ``is known``; the list is printed for the reviewers.
    """
    deciding = sorted({r.id for r in _all_rules() if any(_known_facts(p) for p in _parts(r))})
    print("rules using 'is known':", deciding)
    for rule in _all_rules():
        if rule.id not in deciding:
            assert not any(isinstance(n, Known) for p in _parts(rule) if p for n in walk(p))


# --------------------------------------------------------------------------- Kleene logic


def _compare_strategy(name: str) -> st.SearchStrategy[Condition]:
    spec = FACTS[name]
    if spec.type == "bool":
        return st.builds(Compare, st.just(name), st.sampled_from(("==", "!=")), st.booleans())
    if spec.type == "enum":
        single = st.builds(
            Compare, st.just(name), st.sampled_from(("==", "!=")), st.sampled_from(spec.values)
        )
        many = st.builds(
            Compare,
            st.just(name),
            st.sampled_from(("in", "not in")),
            st.lists(st.sampled_from(spec.values), min_size=1, max_size=3, unique=True).map(tuple),
        )
        return st.one_of(single, many)
    ints = st.one_of(st.sampled_from(THRESHOLDS[name]), st.integers(-60, 1_200))
    single = st.builds(
        Compare, st.just(name), st.sampled_from(("==", "!=", "<", "<=", ">", ">=")), ints
    )
    many = st.builds(
        Compare,
        st.just(name),
        st.sampled_from(("in", "not in")),
        st.lists(ints, min_size=1, max_size=3, unique=True).map(tuple),
    )
    return st.one_of(single, many)


LEAVES: st.SearchStrategy[Condition] = st.one_of(
    st.sampled_from(sorted(FACTS)).flatmap(_compare_strategy),
    st.builds(Known, st.sampled_from(sorted(FACTS)), st.booleans()),
)
CONDITIONS: st.SearchStrategy[Condition] = st.recursive(
    LEAVES,
    lambda children: st.one_of(
        st.lists(children, min_size=1, max_size=3).map(lambda xs: All(tuple(xs))),
        st.lists(children, min_size=1, max_size=3).map(lambda xs: AnyOf(tuple(xs))),
        children.map(Not),
    ),
    max_leaves=10,
)


@st.composite
def facts_for(draw: st.DrawFn, cond: Condition) -> dict[str, FactValue]:
    """Facts over the names a condition reads (each present or absent)."""
    out: dict[str, FactValue] = {}
    for node in walk(cond):
        if isinstance(node, Compare | Known) and node.fact not in out and draw(st.booleans()):
            out[node.fact] = draw(VALUES[node.fact])
    return out


@settings(BASE_SETTINGS, max_examples=500)
@given(data=st.data(), cond=CONDITIONS)
def test_negation_is_kleene_negation(data: st.DataObject, cond: Condition) -> None:
    facts = data.draw(facts_for(cond))
    value = evaluate(cond, facts)
    assert evaluate(negate(cond), facts) == _kleene_not(value)
    assert evaluate(nnf(cond), facts) == value
    assert evaluate(negate(negate(cond)), facts) == value
    assert not any(isinstance(n, Not) for n in walk(negate(cond)))
    assert evaluate(parse_condition(to_data(cond)), facts) == value


@settings(BASE_SETTINGS, max_examples=300)
@given(data=st.data(), cond=CONDITIONS)
def test_conditions_without_is_known_are_monotone(data: st.DataObject, cond: Condition) -> None:
    """Kleene monotonicity: with fewer facts a decided condition stays put or becomes unknown."""
    facts = data.draw(facts_for(cond))
    if not facts:
        return
    removed = data.draw(st.sampled_from(sorted(facts)))
    fewer = {k: v for k, v in facts.items() if k != removed}
    before, after = evaluate(cond, facts), evaluate(cond, fewer)
    if removed not in _known_facts(cond):
        assert after in (before, None)


# --------------------------------------------------------------------------- complete facts


@pytest.mark.parametrize(("pack", "day"), COMBOS)
def test_filling_in_every_missing_fact_resolves_every_unknown(pack: str | None, day: date) -> None:
    compiled = _compiled(pack, day)

    @settings(BASE_SETTINGS, max_examples=EXAMPLES)
    @given(data=st.data(), partial=seeded_facts())
    def run(data: st.DataObject, partial: dict[str, FactValue]) -> None:
        filled = {n: data.draw(VALUES[n]) for n in FACTS if n not in partial}
        complete = {**partial, **filled}
        before = REFERENCE.states(compiled, partial)
        after = REFERENCE.states(compiled, complete)
        for rule in compiled.rules:
            states = after[rule.id]
            for part, value in zip(_parts(rule), states, strict=True):
                assert (value is None) == (part is None), rule.id
            assert outcome_of(rule.effect, states[0], states[1]) is not Outcome.UNKNOWN
            for part, old, new in zip(_parts(rule), before[rule.id], states, strict=True):
                if old is not None and part is not None and not _known_facts(part) & set(filled):
                    assert new == old, rule.id

    run()


# --------------------------------------------------------------------------- verdict


def _decide(
    compiled: CompiledRules, states: Mapping[str, RuleStates], facts: dict[str, FactValue]
) -> Decision:
    day = date(2026, 3, 1)
    return assemble(
        compiled,
        states,
        DerivedFacts(facts, {}),
        cadre_id="P",
        cadre_name="Thuộc tính",
        move_kind=str(facts.get("move_kind", "luan_chuyen")),
        target_title="—",
        provenance=Provenance(
            library_version="test",
            packs=list(compiled.pack_ids),
            rules_hash=compiled.content_hash,
            ruleset_signature=compiled.signature,
            backend="reference",
            as_of=day,
            reference_date=day,
        ),
    )


@pytest.mark.parametrize(("pack", "day"), COMBOS)
def test_the_verdict_follows_the_outcomes(pack: str | None, day: date) -> None:
    compiled = _compiled(pack, day)
    blockers = [r for r in compiled.rules if r.effect == "block"]

    @settings(BASE_SETTINGS, max_examples=EXAMPLES)
    @given(facts=seeded_facts(), pick=st.integers(min_value=0))
    def run(facts: dict[str, FactValue], pick: int) -> None:
        states = REFERENCE.states(compiled, facts)
        d = _decide(compiled, states, facts)
        fails = [c for c in d.criteria if c.outcome is Outcome.FAIL]
        blocking = [c.rule_id for c in fails if c.applied_effect == "block"]
        reviews = [c for c in fails if c.applied_effect == "review"]
        unknown_blocks = [
            c for c in d.criteria if c.outcome is Outcome.UNKNOWN and c.effect == "block"
        ]
        # a failed block whose exception is unknown may be a block or a review: undecided
        undecided = [c for c in fails if c.effect == "block" and c.applied_effect is None]
        unknown_reviews = [
            c for c in d.criteria if c.outcome is Outcome.UNKNOWN and c.effect == "review"
        ]
        assert d.blocking == blocking
        if blocking:
            assert d.verdict is Verdict.NOT_ELIGIBLE
        elif unknown_blocks or undecided:  # honest combination: an unknown block outranks a review
            assert d.verdict is Verdict.UNKNOWN
        elif reviews:
            assert d.verdict is Verdict.NEEDS_REVIEW
        elif unknown_reviews:
            assert d.verdict is Verdict.UNKNOWN
        else:
            assert d.verdict is Verdict.ELIGIBLE
        assert d.priority == any(
            c.effect == "priority" and c.outcome is Outcome.PASS for c in d.criteria
        )
        # A failing block without an exception that holds: always not eligible, whatever else.
        rule = blockers[pick % len(blockers)]
        forced = {**states, rule.id: (True, False, False if rule.exception is not None else None)}
        worse = _decide(compiled, forced, facts)
        assert worse.verdict is Verdict.NOT_ELIGIBLE
        assert rule.id in worse.blocking

    run()


def test_every_rule_set_has_blocking_rules() -> None:
    for pack in PACKS:
        for day in DATES:
            assert any(r.effect == "block" for r in _compiled(pack, day).rules)
