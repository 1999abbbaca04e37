"""The verdict rule (luanchuyen.verdict) and its numpy twin (luanchuyen.verdict_columns).

The rule of combination is checked by brute force: on random rule states, every way of
filling in the unknown states is enumerated; the stated verdict must be the verdict of every
completion, and ``possible`` exactly the set of their verdicts.
"""

from __future__ import annotations

import itertools
from typing import get_args

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from luanchuyen.ruleset.schema import Effect
from luanchuyen.verdict import (
    OUTCOME_CODES,
    VERDICT_CODES,
    Outcome,
    RuleStates,
    Severity,
    Verdict,
    applied_effect,
    combine,
    outcome_of,
    rule_severities,
    severity_of,
)
from luanchuyen.verdict_columns import (
    EFFECT_CODES,
    combine_columns,
    rule_tables,
    state_index,
)

EFFECTS: tuple[Effect, ...] = get_args(Effect)
tri = st.sampled_from([True, False, None])


@st.composite
def rules(draw: st.DrawFn) -> tuple[Effect, Effect | None, RuleStates]:
    effect = draw(st.sampled_from(EFFECTS))
    exc = draw(st.one_of(st.none(), st.sampled_from(EFFECTS)))
    a, t = draw(tri), draw(tri)
    e = draw(tri) if exc is not None else None
    return effect, exc, (a, t, e)


def _fill(state: bool | None) -> tuple[bool, ...]:
    return (False, True) if state is None else (state,)


def _verdict_of_known(rs: list[tuple[Effect, Effect | None, tuple[bool, bool, bool]]]) -> Verdict:
    """The verdict with nothing unknown, written out plainly (block > review > eligible)."""
    applied = []
    for effect, exc, (a, t, e) in rs:
        out = outcome_of(effect, a, t)
        applied.append(applied_effect(effect, exc, out, e))
    if "block" in applied:
        return Verdict.NOT_ELIGIBLE
    if "review" in applied:
        return Verdict.NEEDS_REVIEW
    return Verdict.ELIGIBLE


def _completions(
    rs: list[tuple[Effect, Effect | None, RuleStates]],
) -> set[Verdict]:
    options = []
    for effect, exc, (a, t, e) in rs:
        es = _fill(e) if exc is not None else (False,)
        options.append([(effect, exc, (x, y, z)) for x in _fill(a) for y in _fill(t) for z in es])
    return {_verdict_of_known(list(choice)) for choice in itertools.product(*options)}


@settings(max_examples=400, deadline=None)
@given(st.lists(rules(), max_size=6))
def test_combination_is_every_completion(
    rs: list[tuple[Effect, Effect | None, RuleStates]],
) -> None:
    found = _completions(rs)
    c = combine([rule_severities(e, x, s) for e, x, s in rs])
    assert set(c.possible) == found
    assert list(c.possible) == [
        v for v in (Verdict.ELIGIBLE, Verdict.NEEDS_REVIEW, Verdict.NOT_ELIGIBLE) if v in found
    ]
    if len(found) == 1:
        assert c.verdict is next(iter(found))
        assert c.undecided == ()
    else:
        assert c.verdict is Verdict.UNKNOWN
    # a rule is undecided exactly when fixing it alone could change the set of verdicts
    for i, (effect, exc, (a, t, e)) in enumerate(rs):
        es = _fill(e) if exc is not None else (None,)
        per_choice = set()
        for x, y, z in itertools.product(_fill(a), _fill(t), es):
            fixed = [*rs[:i], (effect, exc, (x, y, z)), *rs[i + 1 :]]
            per_choice.add(frozenset(_completions(fixed)))
        assert (i in c.undecided) == (len(per_choice) > 1)


def test_blocking_unknown_and_review_failing() -> None:
    c = combine(
        [
            rule_severities("block", None, (True, None, None)),
            rule_severities("review", None, (True, False, None)),
        ]
    )
    assert c.verdict is Verdict.UNKNOWN
    assert c.possible == (Verdict.NEEDS_REVIEW, Verdict.NOT_ELIGIBLE)
    assert c.undecided == (0,)


def test_unknown_review_or_exception_is_not_eligible() -> None:
    review = combine([rule_severities("review", None, (None, False, None))])
    assert review.possible == (Verdict.ELIGIBLE, Verdict.NEEDS_REVIEW)
    exception = combine([rule_severities("block", "review", (True, False, None))])
    assert exception.possible == (Verdict.NEEDS_REVIEW, Verdict.NOT_ELIGIBLE)
    assert exception.verdict is Verdict.UNKNOWN
    # a warning, priority or info never changes the verdict, known or not
    for effect in ("warn", "priority", "info"):
        assert combine([rule_severities(effect, None, (None, None, None))]).possible == (
            Verdict.ELIGIBLE,
        )


def test_severity_and_outcomes() -> None:
    assert severity_of("block") is Severity.BLOCK
    assert severity_of("review") is Severity.REVIEW
    assert severity_of(None) is Severity.NONE
    assert outcome_of("warn", None, True) is Outcome.PASS
    assert outcome_of("info", None, True) is Outcome.UNKNOWN
    assert combine([]).verdict is Verdict.ELIGIBLE


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(rules(), min_size=0, max_size=5), min_size=1, max_size=8))
def test_columns_twin_equals_scalar(
    table: list[list[tuple[Effect, Effect | None, RuleStates]]],
) -> None:
    """Rows × rules: the twin's outcomes, applied effects, verdicts, possible, undecided."""
    width = len(table[0])
    rows = [r[:width] for r in table if len(r) >= width]
    head = rows[0]
    effects = tuple(e for e, _, _ in head)
    excs = tuple(x for _, x, _ in head)
    # every row uses the effects of the first (one rule set), with its own states
    code = {True: 1, False: 0, None: -1}
    states = [[s for (_, _, s) in r] for r in rows]
    for r in states:
        for j in range(width):
            if excs[j] is None:
                r[j] = (r[j][0], r[j][1], None)
    a = np.array([[code[s[0]] for s in r] for r in states], dtype=np.int8).reshape(len(rows), width)
    t = np.array([[code[s[1]] for s in r] for r in states], dtype=np.int8).reshape(len(rows), width)
    e = np.array([[code[s[2]] for s in r] for r in states], dtype=np.int8).reshape(len(rows), width)
    tables = rule_tables(effects, excs)
    index = state_index(a, t, e)
    outcomes = tables.lookup(tables.outcome, index)
    applied = tables.lookup(tables.applied, index)
    combined = combine_columns(tables.lookup(tables.severities, index))
    possible = combined.possible_verdicts()
    for i, r in enumerate(states):
        scalar = combine([rule_severities(effects[j], excs[j], r[j]) for j in range(width)])
        assert VERDICT_CODES[combined.verdicts[i]] is scalar.verdict
        assert possible[i] == scalar.possible
        assert tuple(np.flatnonzero(combined.undecided[i]).tolist()) == scalar.undecided
        for j in range(width):
            out = outcome_of(effects[j], r[j][0], r[j][1])
            assert OUTCOME_CODES[outcomes[i, j]] is out
            eff = applied_effect(effects[j], excs[j], out, r[j][2])
            assert (EFFECT_CODES[applied[i, j]] if applied[i, j] >= 0 else None) == eff
