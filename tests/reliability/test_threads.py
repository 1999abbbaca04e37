"""Thread safety: many threads at once give exactly what one thread gives.

8 threads × 10,000 evaluations per backend (reference and vector; 50,000 under ``make soak``). A full ``evaluate`` costs
about 0.4 ms, so 80,000 of them would take too long for ``make test``: the bulk of each run works on inputs
prepared once (``prepare``), through ``backend.states`` (reference) or ``states_many`` in
batches (vector, its real use), and every thread also makes a share of full ``evaluate``
calls, which go through the shared caches (default rules, compiled rules, backends). The
durable-rules backend runs 8 threads × 400 full evaluations; its live-session bound is
checked under sequential and threaded load. Threads switch every 1 ms (the default is
5 ms) to interleave them more.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest

from factories import base_cadre, base_move
from luanchuyen.decision import Decision
from luanchuyen.engine.durable import MAX_LIVE_SESSIONS
from luanchuyen.errors import EngineError
from luanchuyen.evaluation import evaluate, get_backend, prepare
from luanchuyen.facts import DerivedFacts
from luanchuyen.models import Cadre, Move
from luanchuyen.ruleset.compile import CompiledRules

pytestmark = pytest.mark.slow

THREADS = 8
PER_THREAD = 10_000  # 50,000 took 47 s a backend: ``make soak`` runs that many
FULL_PER_THREAD = 150  # full ``evaluate`` calls per thread, inside the 10,000
DURABLE_PER_THREAD = 400
COUNTS = pytest.mark.parametrize(
    "per_thread", [PER_THREAD, pytest.param(50_000, marks=pytest.mark.soak, id="soak")]
)
DURABLE_COUNTS = pytest.mark.parametrize(
    "per_thread", [DURABLE_PER_THREAD, pytest.param(2_000, marks=pytest.mark.soak, id="soak")]
)
AS_OF = (date(2024, 6, 1), date(2026, 11, 23))


def _inputs() -> list[tuple[dict[str, Any], dict[str, Any], date]]:
    """A few distinct inputs whose verdicts differ (eligible, blocked, review, unknown)."""
    young = base_cadre()
    old = base_cadre(id="TC02", date_of_birth="01/01/1966", planning=[])
    woman = base_cadre(
        id="TC03",
        gender="nữ",
        family={"pregnant": False, "youngest_child_date_of_birth": "01/03/2024"},
    )
    unknown = base_cadre(id="TC04", under_investigation=None, disciplines=None, health=None)
    disciplined = base_cadre(
        id="TC05", disciplines=[{"form": "canh_cao", "decision_date": "01/10/2023"}]
    )
    moves = [
        base_move(),
        base_move(kind="biet_phai", planned_start="01/07/2024", planned_end="01/07/2028"),
        base_move(kind="chuyen_doi_vi_tri"),
    ]
    out = []
    for i, cadre in enumerate((young, old, woman, unknown, disciplined)):
        for j, move in enumerate(moves):
            day = AS_OF[(i + j) % 2]
            if day.year >= 2026:  # no district posts after the 2025 reform
                cadre = _no_district(cadre)
                move = _no_district(move)
            out.append((cadre, move, day))
    return out


def _no_district(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: ("tinh" if v == "huyen" else _no_district(v)) for k, v in data.items()}
    if isinstance(data, list):
        return [_no_district(x) for x in data]
    return data


# validated once: the runs measure the engines and the shared caches, not pydantic parsing
INPUTS = [(Cadre.model_validate(c), Move.model_validate(m), d) for c, m, d in _inputs()]
PREPARED: list[tuple[CompiledRules, DerivedFacts]] = []
for _cadre, _move, _day in INPUTS:
    _, _, _, _compiled, _derived = prepare(_cadre, _move, as_of=_day)
    PREPARED.append((_compiled, _derived))


@pytest.fixture(autouse=True)
def _fast_switching() -> Iterator[None]:
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-3)
    try:
        yield
    finally:
        sys.setswitchinterval(before)


def _run_threads(work: Callable[[int], list[str]]) -> list[str]:
    """Run ``work(thread_index)`` on THREADS threads started together; collect problems."""
    barrier = threading.Barrier(THREADS)
    problems: list[str] = []
    lock = threading.Lock()

    def target(index: int) -> None:
        barrier.wait()
        try:
            found = work(index)
        except BaseException as exc:  # a crash in a thread must fail the test
            found = [f"thread {index}: {type(exc).__name__}: {exc}"]
        with lock:
            problems.extend(found)

    threads = [threading.Thread(target=target, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not any(t.is_alive() for t in threads), "a thread did not finish"
    return problems


def _full(backend: str) -> list[str]:
    return [
        evaluate(c, m, as_of=d, backend=backend).to_json()  # type: ignore[arg-type]
        for c, m, d in INPUTS
    ]


def _json_without_backend(decision: Decision) -> str:
    return decision.model_copy(
        update={"provenance": decision.provenance.model_copy(update={"backend": "-"})}
    ).to_json()


@COUNTS
def test_reference_backend_threads(per_thread: int) -> None:
    engine = get_backend("reference")
    expected_states = [engine.states(c, d.facts) for c, d in PREPARED]
    expected_full = _full("reference")
    n = len(PREPARED)

    def work(index: int) -> list[str]:
        bad: list[str] = []
        for k in range(per_thread - FULL_PER_THREAD):
            i = (k + index) % n
            compiled, derived = PREPARED[i]
            if engine.states(compiled, derived.facts) != expected_states[i]:
                bad.append(f"thread {index}: states of input {i} differ")
        for k in range(FULL_PER_THREAD):
            i = (k * 7 + index) % n
            c, m, d = INPUTS[i]
            if evaluate(c, m, as_of=d, backend="reference").to_json() != expected_full[i]:
                bad.append(f"thread {index}: decision of input {i} differs")
        return bad

    assert _run_threads(work) == []


@COUNTS
def test_vector_backend_threads(per_thread: int) -> None:
    """Batches of 1,000 rows through ``states_many`` (and ``columns``), as a batch runs."""
    engine = get_backend("vector")
    by_signature: dict[str, tuple[CompiledRules, list[dict[str, Any]]]] = {}
    for compiled, derived in PREPARED:
        by_signature.setdefault(compiled.signature, (compiled, []))[1].append(dict(derived.facts))
    batches = []
    for compiled, rows in by_signature.values():
        batch = [rows[i % len(rows)] for i in range(1_000)]
        batches.append((compiled, batch, get_backend("reference").states_many(compiled, batch)))
    expected_full = _full("vector")
    assert [
        _json_without_backend(evaluate(c, m, as_of=d, backend="reference")) for c, m, d in INPUTS
    ] == [_json_without_backend(Decision.model_validate_json(j)) for j in expected_full]

    def work(index: int) -> list[str]:
        bad: list[str] = []
        done = 0
        k = index
        while done < per_thread - FULL_PER_THREAD:
            compiled, batch, expected = batches[k % len(batches)]
            got = (
                engine.states_many(compiled, batch)  # type: ignore[attr-defined]
                if k % 2
                else engine.columns(compiled, batch).to_dicts()  # type: ignore[attr-defined]
            )
            if got != expected:
                bad.append(f"thread {index}: batch {k % len(batches)} differs")
            done += len(batch)
            k += 1
        for j in range(FULL_PER_THREAD):
            i = (j * 5 + index) % len(INPUTS)
            c, m, d = INPUTS[i]
            if evaluate(c, m, as_of=d, backend="vector").to_json() != expected_full[i]:
                bad.append(f"thread {index}: decision of input {i} differs")
        return bad

    assert _run_threads(work) == []


@DURABLE_COUNTS
def test_durable_backend_threads_and_session_bound(per_thread: int) -> None:
    engine: Any = get_backend("durable")
    reference = [_json_without_backend(Decision.model_validate_json(j)) for j in _full("reference")]
    # sequential load first; the single-thread results are the expected ones
    expected = _full("durable")
    assert [_json_without_backend(Decision.model_validate_json(j)) for j in expected] == reference
    for _ in range(5):
        assert _full("durable") == expected
    assert engine.max_live_seen <= MAX_LIVE_SESSIONS <= 1
    assert engine.live_sessions == 0

    def work(index: int) -> list[str]:
        bad: list[str] = []
        for k in range(per_thread):
            i = (k + index) % len(INPUTS)
            c, m, d = INPUTS[i]
            if evaluate(c, m, as_of=d, backend="durable").to_json() != expected[i]:
                bad.append(f"thread {index}: durable decision of input {i} differs")
            if engine.live_sessions > MAX_LIVE_SESSIONS:
                bad.append(f"thread {index}: {engine.live_sessions} live sessions")
        return bad

    before = engine.evaluations
    assert _run_threads(work) == []
    assert engine.evaluations - before == THREADS * per_thread
    assert engine.max_live_seen <= 1
    assert engine.live_sessions == 0


def test_durable_session_released_after_engine_errors() -> None:
    """A fact durable-rules cannot parse is an EngineError and never leaks a live session."""
    engine: Any = get_backend("durable")
    compiled, derived = PREPARED[0]
    bad_facts = {**derived.facts, "age_months": 1e-05}  # the C JSON parser rejects 1e-05
    for _ in range(5):
        with pytest.raises(EngineError) as info:
            engine.states(compiled, bad_facts)
        assert info.value.code == "engine_failure"
        assert engine.live_sessions == 0
    assert engine.max_live_seen <= 1
    reference = get_backend("reference").states(compiled, derived.facts)
    assert engine.states(compiled, derived.facts) == reference
