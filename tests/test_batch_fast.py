"""The columnar fast path of evaluate_many (vector backend): the same frame as the row path,
with no per-row derivation when reasons are not written, and no row ever lost."""

from __future__ import annotations

import sys
import warnings
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import luanchuyen.batch as batch_pkg
import luanchuyen.batch._columnar as fast_mod
import luanchuyen.batch._intake as batch_mod
from factories import base_cadre, base_move, row_outcomes
from luanchuyen import load_rules
from luanchuyen.batch import evaluate_many
from luanchuyen.models import Cadre, Move

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from synth import population

E1 = date(2024, 6, 1)


def _pairs() -> list[Any]:
    """Synthetic rows on three dates (three rule sets), models and mappings, and bad rows."""
    pairs: list[Any] = list(population(400, seed=11))
    pairs += [(c, m, "23/11/2026") for c, m in population(80, seed=12, as_of=date(2026, 11, 23))]
    pairs += [(c, m, "01/04/2025") for c, m in population(80, seed=13, as_of=date(2025, 4, 1))]
    pairs = [
        (Cadre.model_validate(p[0]), Move.model_validate(p[1]), *p[2:]) if i % 3 == 0 else p
        for i, p in enumerate(pairs)
    ]
    pairs.insert(7, ({"id": "bad"}, {"kind": "luan_chuyen"}))  # invalid: an error row
    pairs.insert(20, (base_cadre(date_of_birth="01/01/2030"), base_move()))  # born after as_of
    pairs.insert(33, (base_cadre(date_of_birth="01/01/1900"), base_move()))  # implausible age
    return pairs


@pytest.fixture(scope="module")
def pairs() -> list[Any]:
    return _pairs()


@pytest.mark.parametrize("packs", [("qd65",), ("chi-lang-2024",), ("ha-noi-188",)])
def test_fast_frame_equals_the_row_path(pairs: list[Any], packs: tuple[str, ...]) -> None:
    rules = load_rules(*packs)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the fast path must not fall back on these rows
        fast = evaluate_many(pairs, as_of=E1, rules=rules, backend="vector")
    rows = evaluate_many(pairs, as_of=E1, rules=rules, backend="reference")
    pd.testing.assert_frame_equal(fast, rows)
    assert len(fast) == len(pairs)
    assert list(fast.loc[[7, 20, 33], "error_code"]) == [
        "missing_field",
        "birth_after_as_of",
        "implausible_age",
    ]
    assert fast["ruleset"].nunique() == 3  # three dates (error rows have none)


def test_reasons_false_only_empties_the_reason(pairs: list[Any]) -> None:
    full = evaluate_many(pairs, as_of=E1, backend="vector")
    lean = evaluate_many(pairs, as_of=E1, backend="vector", reasons=False)
    errors = lean["status"] == "error"
    assert lean.loc[~errors, "reason_vi"].isna().all()
    assert lean.loc[errors, "reason_vi"].notna().all()  # an error row always says why
    pd.testing.assert_frame_equal(full.drop(columns="reason_vi"), lean.drop(columns="reason_vi"))
    slow = evaluate_many(pairs, as_of=E1, backend="reference", reasons=False)
    pd.testing.assert_frame_equal(lean, slow)


def test_without_reasons_nothing_is_derived_row_by_row(
    pairs: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    real = batch_mod.derive_facts

    def counting(cadre: Any, move: Any, as_of: date, params: Any) -> Any:
        calls.append(cadre.id)
        return real(cadre, move, as_of, params)

    monkeypatch.setattr(batch_mod, "derive_facts", counting)
    monkeypatch.setattr(fast_mod, "derive_facts", counting)
    out = evaluate_many(pairs, as_of=E1, backend="vector", reasons=False)
    # only the two rows whose dates cannot be right go the row way (to report their error)
    assert sorted(calls) == sorted(out.loc[[20, 33], "cadre_id"])
    calls.clear()
    evaluate_many(pairs, as_of=E1, backend="vector")
    assert 0 < len(calls) < len(pairs)  # main reasons only, not every row


def test_a_failing_fast_path_loses_no_row(
    pairs: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = evaluate_many(pairs, as_of=E1, backend="reference")

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(fast_mod, "group_frame", broken)
    with pytest.warns(RuntimeWarning, match="ZeroDivisionError"):
        out = evaluate_many(pairs, as_of=E1, backend="vector")
    pd.testing.assert_frame_equal(out, expected)


def test_empty_and_all_bad_batches() -> None:
    empty = evaluate_many([], as_of=E1, backend="vector")
    assert len(empty) == 0 and list(empty.columns) == list(batch_pkg.RESULT_COLUMNS)
    bad = evaluate_many([({"id": "x"}, {})], as_of=E1, backend="vector")
    assert row_outcomes(bad) == ["error"]


def test_progress_is_reported_on_long_chunks() -> None:
    seen: list[tuple[int, int]] = []
    pairs = list(population(50, seed=2))
    evaluate_many(pairs, as_of=E1, backend="vector", progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (50, 50)


@pytest.mark.parametrize("packs", [("qd65",), ("chi-lang-2024",)])
def test_vector_backend_takes_columnar_facts_as_they_are(
    pairs: list[Any], packs: tuple[str, ...]
) -> None:
    """States from typed columns = states from per-row fact mappings, matrix for matrix."""
    import numpy as np

    from luanchuyen.engine.vector import VectorBackend
    from luanchuyen.facts import derive_facts
    from luanchuyen.facts.columnar import derive_columns

    compiled = load_rules(*packs).compiled(E1)
    models = [
        (Cadre.model_validate(p[0]), Move.model_validate(p[1]))
        for p in pairs
        if len(p) == 2 and "date_of_birth" in (p[0] if isinstance(p[0], dict) else p[0].__dict__)
    ]
    cf = derive_columns(models, E1, compiled.params)
    keep = [i for i in range(len(models)) if not cf.fallback[i]]
    assert len(keep) >= len(models) - 2
    rows = [derive_facts(*models[i], E1, compiled.params).facts for i in keep]
    engine = VectorBackend()
    typed, plain = engine.columns(compiled, cf), engine.columns(compiled, rows)
    for name in ("applies", "test", "exception"):
        assert np.array_equal(getattr(typed, name)[keep], getattr(plain, name))
