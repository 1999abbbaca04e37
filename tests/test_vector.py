"""The vector backend equals the reference backend, row for row, on the real packs.

Facts are generated flat and typed as the registry says, absent one time in five, integers
drawn around every threshold the compiled rules compare them with. Rows the vector backend
hands back to the reference (values of another type, integers beyond 64 bits) and rule sets
it cannot vectorise are covered too, as are the columnar verdicts against ``assemble``.
"""

from __future__ import annotations

import random
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from enum import StrEnum
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import luanchuyen as lc
from luanchuyen.decision import assemble, outcome_of
from luanchuyen.engine import vector
from luanchuyen.engine.reference import ReferenceBackend
from luanchuyen.engine.vector import OUTCOME_CODES, VERDICT_CODES, VectorBackend
from luanchuyen.evaluation import get_backend
from luanchuyen.facts import DerivedFacts
from luanchuyen.facts.registry import FACTS
from luanchuyen.ruleset.compile import CompiledRules
from luanchuyen.ruleset.conditions import All, AnyOf, Compare, Known, Not, facts_of, walk

REF = ReferenceBackend()
VEC = VectorBackend()
DATES = (date(2022, 9, 1), date(2024, 6, 1), date(2025, 4, 1), date(2025, 8, 1), date(2026, 11, 23))
PACKS: tuple[tuple[str, ...], ...] = ((), ("chi-lang-2024",), ("ha-noi-188",))
SETTINGS = settings(
    max_examples=20, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)


def _compiled(packs: tuple[str, ...], on: date) -> CompiledRules:
    return lc.load_rules(*packs).compiled(on)


COMPILED = list({c.signature: c for c in (_compiled(p, d) for p in PACKS for d in DATES)}.values())


def _thresholds(compiled: CompiledRules) -> dict[str, set[int]]:
    """Every integer each fact is compared with, so that values land on both sides."""
    out: dict[str, set[int]] = {}
    for rule in compiled.rules:
        for cond in (rule.applies, rule.test, rule.exception):
            if cond is None:
                continue
            for node in walk(cond):
                if isinstance(node, Compare) and FACTS[node.fact].type == "int":
                    values = node.value if isinstance(node.value, tuple) else (node.value,)
                    for v in values:
                        if isinstance(v, int) and not isinstance(v, bool):
                            out.setdefault(node.fact, set()).update((v - 1, v, v + 1))
    return out


THRESHOLDS: dict[str, set[int]] = {}
for _c in COMPILED:
    for _k, _v in _thresholds(_c).items():
        THRESHOLDS.setdefault(_k, set()).update(_v)


def _value(name: str) -> st.SearchStrategy[Any]:
    spec = FACTS[name]
    if spec.type == "bool":
        return st.booleans()
    if spec.type == "enum":
        return st.sampled_from((*spec.values, "ma_la"))  # an unregistered code too
    near = sorted(THRESHOLDS.get(name, {0}))
    return st.one_of(st.sampled_from(near), st.integers(-50, 1000))


@st.composite
def flat_facts(draw: st.DrawFn) -> dict[str, Any]:
    """One row of facts: each registered fact absent (1 in 5) or a typed value."""
    row: dict[str, Any] = {}
    for name in FACTS:
        choice = draw(st.integers(0, 9))
        if choice < 2:
            continue  # absent
        if choice == 2 and name != "move_kind":
            row[name] = None  # present but None: unknown as well
            continue
        row[name] = draw(_value(name))
    return row


rows_lists = st.lists(flat_facts(), min_size=1, max_size=40)


def random_rows(n: int, seed: int) -> list[dict[str, Any]]:
    """``n`` rows like :func:`flat_facts`, from a seeded generator (for long batches)."""
    rng = random.Random(seed)
    rows = []
    for _ in range(n):
        row: dict[str, Any] = {}
        for name, spec in FACTS.items():
            if rng.random() < 0.2:
                continue
            if spec.type == "bool":
                row[name] = rng.random() < 0.5
            elif spec.type == "enum":
                row[name] = rng.choice((*spec.values, "ma_la"))
            else:
                row[name] = rng.choice([*sorted(THRESHOLDS.get(name, {0})), rng.randint(-50, 1000)])
        rows.append(row)
    return rows


@pytest.mark.parametrize(
    "compiled", COMPILED, ids=lambda c: f"{'+'.join(c.pack_ids)}@{c.signature}"
)
@SETTINGS
@given(rows=rows_lists)
def test_states_many_equals_reference(compiled: CompiledRules, rows: list[dict[str, Any]]) -> None:
    expected = REF.states_many(compiled, rows)
    assert VEC.states_many(compiled, rows) == expected
    table = {name: [r.get(name) for r in rows] for name in FACTS}
    assert VEC.columns(compiled, table).to_dicts() == expected
    for i in (0, len(rows) - 1):
        assert VEC.states(compiled, rows[i]) == expected[i]
        assert VEC.columns(compiled, rows).row(i) == expected[i]


def _decision(compiled: CompiledRules, row: Mapping[str, Any]) -> Any:
    facts = {k: v for k, v in row.items() if v is not None}
    return assemble(
        compiled,
        REF.states(compiled, facts),
        DerivedFacts(facts, {}),
        cadre_id="x",
        cadre_name="x",
        move_kind=str(facts.get("move_kind", "luan_chuyen")),
        target_title="x",
        provenance=_PROVENANCE,
    )


_PROVENANCE = lc.evaluate(
    {"id": "p", "name": "P", "gender": "nam", "date_of_birth": "1980"},
    {"kind": "luan_chuyen", "target": {"title": "T", "level": "tinh"}},
    as_of=date(2024, 6, 1),
    backend="reference",
).provenance


@pytest.mark.parametrize("compiled", COMPILED[::2], ids=lambda c: c.signature)
@SETTINGS
@given(rows=rows_lists)
def test_columnar_verdicts_equal_assemble(
    compiled: CompiledRules, rows: list[dict[str, Any]]
) -> None:
    cols = VEC.columns(compiled, rows)
    outcomes = cols.outcomes()
    verdicts = cols.verdicts()
    priority = cols.priority(outcomes)
    blocking = cols.applied_effect_is("block")
    for i, row in enumerate(rows):
        d = _decision(compiled, row)
        assert VERDICT_CODES[verdicts[i]] is d.verdict
        assert bool(priority[i]) is d.priority
        assert [OUTCOME_CODES[o] for o in outcomes[i]] == [c.outcome for c in d.criteria]
        assert [cols.rule_ids[j] for j in np.flatnonzero(blocking[i])] == d.blocking


def test_outcome_codes_follow_outcome_of() -> None:
    """Every (effect, applies, test) combination, through a one-rule rule set."""
    base = COMPILED[1]
    for effect in ("block", "review", "warn", "priority", "info"):
        rule = replace(
            base.rules[0],
            effect=effect,
            applies=Compare("in_planning", "==", True),
            test=Compare("pregnant", "==", True),
            exception=None,
            reads=frozenset({"in_planning", "pregnant"}),
        )
        compiled = replace(base, rules=(rule,), signature=f"outcome-{effect}")
        rows = [
            {k: v for k, v in (("in_planning", a), ("pregnant", t)) if v is not None}
            for a in (True, False, None)
            for t in (True, False, None)
        ]
        out = VEC.columns(compiled, rows).outcomes()[:, 0]
        for row, code in zip(rows, out, strict=True):
            expected = outcome_of(effect, row.get("in_planning"), row.get("pregnant"))  # type: ignore[arg-type]
            assert OUTCOME_CODES[code] is expected


class _Code(StrEnum):
    NAM = "nam"


IRREGULAR = [
    {"age_months": True, "move_kind": "luan_chuyen"},  # a bool where an int is expected
    {"in_planning": 1, "move_kind": "luan_chuyen"},  # an int where a bool is expected
    {"gender": _Code.NAM, "move_kind": "biet_phai"},  # a str subclass: == differs
    {"remaining_service_months": 2**70, "move_kind": "luan_chuyen"},  # beyond int64
    {"remaining_service_months": -(2**63), "move_kind": "luan_chuyen"},  # the int64 minimum
    {"in_planning": np.True_, "move_kind": "luan_chuyen"},  # a numpy bool: not True there
]
#: Values the reference itself refuses (it asserts ints before ordering them).
REFUSED = [
    {"days_to_retirement": np.int64(5), "move_kind": "dieu_dong"},
    {"planned_duration_months": 12.0, "move_kind": "biet_phai"},
]


def _outcome(fn: Any, *args: Any) -> Any:
    try:
        return fn(*args)
    except Exception as exc:  # compared by type: both backends must fail alike
        return type(exc)


@pytest.mark.parametrize("compiled", COMPILED[:2], ids=lambda c: c.signature)
def test_irregular_rows_are_exact(compiled: CompiledRules) -> None:
    regular = {"move_kind": "luan_chuyen", "age_months": 400, "in_planning": True}
    rows = [regular, *IRREGULAR, regular]
    expected = [REF.states(compiled, r) for r in rows]
    assert VEC.states_many(compiled, rows) == expected
    table = {name: [r.get(name) for r in rows] for name in {k for r in rows for k in r}}
    assert VEC.columns(compiled, table).to_dicts() == expected
    for row in REFUSED:
        assert _outcome(VEC.states_many, compiled, [regular, row]) == _outcome(
            REF.states_many, compiled, [regular, row]
        )


def _custom(conditions: list[Any], tag: str) -> CompiledRules:
    base = COMPILED[1]
    rules = tuple(
        replace(
            base.rules[i % len(base.rules)],
            id=f"c{i}",
            applies=a,
            test=t,
            exception=e,
            reads=facts_of(a) | facts_of(t),
        )
        for i, (a, t, e) in enumerate(conditions)
    )
    return replace(base, rules=rules, signature=f"custom-{tag}")


EDGE = [
    (All(()), AnyOf(()), None),  # empty: true / false
    (Not(Compare("age_months", "<", 300)), Known("gender", negated=True), Known("gender")),
    (Compare("in_planning", "==", 1), Compare("in_planning", "!=", 1), None),  # 1 is not True
    (Compare("age_months", "==", True), Compare("age_months", "!=", True), None),
    (Compare("in_planning", "in", (1, 7)), Compare("age_months", "not in", (True, 400)), None),
    (Compare("gender", "in", ("nu", 3)), Compare("gender", "==", 3), Compare("gender", "!=", 3)),
    (Compare("gender", "in", ("khac",)), Compare("gender", "not in", ("nu",)), None),
    (Not(Not(AnyOf((Compare("pregnant", "==", False), Known("pregnant"))))), All(()), None),
]


@SETTINGS
@given(rows=rows_lists)
def test_compiler_edge_cases(rows: list[dict[str, Any]]) -> None:
    compiled = _custom(EDGE, "edge")
    assert VEC.states_many(compiled, rows) == REF.states_many(compiled, rows)


def test_unsupported_rule_sets_use_the_reference() -> None:
    """A fact outside the registry, or an ordering on a code: evaluated by the reference."""
    for tag, cond in (
        ("unknown-fact", Compare("not_a_registered_fact", "==", 1)),
        ("code-order", Compare("gender", "<", "nu")),
    ):
        compiled = _custom([(Compare("move_kind", "==", "luan_chuyen"), cond, None)], tag)
        rows: list[dict[str, Any]] = [{"move_kind": "luan_chuyen", "not_a_registered_fact": 1}]
        if tag == "code-order":
            rows = [{"move_kind": "luan_chuyen"}]  # no gender: the reference never compares
        assert VEC.states_many(compiled, rows) == REF.states_many(compiled, rows)
        assert VEC._program(compiled) is None


def test_chunks_join_exactly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vector, "CHUNK_ROWS", 7)
    compiled = COMPILED[1]
    rows = random_rows(30, seed=7) + IRREGULAR
    expected = REF.states_many(compiled, rows)
    assert VectorBackend().states_many(compiled, rows) == expected
    table = {name: [r.get(name) for r in rows] for name in {k for r in rows for k in r}}
    assert VectorBackend().columns(compiled, table).to_dicts() == expected


def test_empty_and_bad_tables() -> None:
    compiled = COMPILED[1]
    assert VEC.states_many(compiled, []) == []
    assert len(VEC.columns(compiled, {})) == 0
    assert VEC.columns(compiled, {}).verdicts().shape == (0,)
    with pytest.raises(ValueError, match="different lengths"):
        VEC.columns(compiled, {"age_months": [1, 2], "gender": ["nam"]})
    # a table without some facts: they are unknown on every row
    only = VEC.columns(compiled, {"move_kind": ["luan_chuyen", "biet_phai"]}).to_dicts()
    assert only == REF.states_many(
        compiled, [{"move_kind": "luan_chuyen"}, {"move_kind": "biet_phai"}]
    )


def test_program_cache_is_per_signature() -> None:
    backend = VectorBackend()
    a = backend._program(COMPILED[0])
    assert backend._program(COMPILED[0]) is a
    assert backend._program(replace(COMPILED[0])) is a  # same signature, same program
    assert backend._program(COMPILED[2]) is not a
    for i in range(vector._PROGRAM_CACHE_SIZE + 3):
        backend._program(replace(COMPILED[1], signature=f"lru-{i}"))
    assert len(backend._programs) == vector._PROGRAM_CACHE_SIZE


def test_evaluate_with_the_vector_backend(cadre: dict[str, Any], move: dict[str, Any]) -> None:
    assert isinstance(get_backend("vector"), VectorBackend)
    for as_of in ("01/06/2024", "23/11/2026"):
        ref = lc.evaluate(cadre, move, as_of=as_of, backend="reference")
        vec = lc.evaluate(cadre, move, as_of=as_of, backend="vector")
        assert vec.provenance.backend == "vector"
        assert vec.model_dump(exclude={"provenance"}) == ref.model_dump(exclude={"provenance"})


def test_import_luanchuyen_does_not_import_numpy() -> None:
    code = (
        "import sys, luanchuyen; luanchuyen.evaluate; luanchuyen.Decision; "
        "assert 'numpy' not in sys.modules, sorted(m for m in sys.modules if 'numpy' in m)"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_batch_fast_path_rows_equal_assembled_rows() -> None:
    """``evaluate_many`` with the vector backend builds rows from columns, not Decisions:
    the frame must equal the one assembled from full Decisions (and the reference's)."""
    import sys
    from pathlib import Path

    import pandas as pd

    from luanchuyen.batch import evaluate_many

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from synth import population

    pairs: list[Any] = list(population(300, seed=3))
    # several rule sets in one batch (each row may carry its own as-of date) and bad rows
    pairs += [(c, m, "23/11/2026") for c, m in population(60, seed=4, as_of=date(2026, 11, 23))]
    pairs += [(c, m, "01/04/2025") for c, m in population(60, seed=5, as_of=date(2025, 4, 1))]
    pairs.insert(10, ({"id": "bad"}, {"kind": "luan_chuyen"}))
    fast = evaluate_many(pairs, as_of=date(2024, 6, 1), backend="vector")
    assembled, _ = evaluate_many(pairs, as_of=date(2024, 6, 1), backend="vector", criteria=True)
    reference = evaluate_many(pairs, as_of=date(2024, 6, 1), backend="reference")
    pd.testing.assert_frame_equal(fast, assembled)
    pd.testing.assert_frame_equal(fast, reference)
    assert fast["ruleset"].nunique() == 3
    assert (fast["status"] == "error").sum() == 1
    assert set(fast["verdict"]) >= {"eligible", "not_eligible", "needs_review", "unknown"}
    assert fast["priority"].any()
