"""Issue 17 items 12 and 13: the durable-rules ceilings do not apply, memory per version is bounded.

On main, ~180 rules in force failed with engine error 302 (too many message properties) and a
condition nested 16 levels deep with a raw, uncoded ``durable_rules_engine.error`` 113 that
aborted ``evaluate_many``; every rule-set version kept ≈ 2.2 MiB in the C core for ever.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import psutil
import pytest
from _packs import pack_rules

import luanchuyen.engine.durable as durable_module
from factories import base_cadre, base_move
from luanchuyen.batch import evaluate_many
from luanchuyen.engine.durable import DurableBackend
from luanchuyen.engine.reference import ReferenceBackend
from luanchuyen.evaluation import prepare

AS_OF = date(2024, 6, 1)


def _inputs(rules):  # type: ignore[no-untyped-def]
    _, _, _, compiled, derived = prepare(base_cadre(), base_move(), as_of=AS_OF, rules=rules)
    return compiled, derived.facts


@pytest.mark.parametrize(("n", "depth"), [(400, 1), (4, 16), (4, 30), (60, 20)])
def test_many_rules_and_deep_conditions_match_the_reference(
    tmp_path: Path, n: int, depth: int
) -> None:
    compiled, facts = _inputs(pack_rules(tmp_path, n, depth))
    durable = DurableBackend()
    assert durable.states(compiled, facts) == ReferenceBackend().states(compiled, facts)
    assert durable.live_sessions == 0


def test_a_batch_on_a_deep_pack_has_no_engine_errors(tmp_path: Path) -> None:
    rules = pack_rules(tmp_path, 8, 24)
    rows = [{"cadre": base_cadre(id=f"c{i}"), "move": base_move()} for i in range(5)]
    durable = evaluate_many(rows, rules=rules, as_of=AS_OF, backend="durable")
    reference = evaluate_many(rows, rules=rules, as_of=AS_OF, backend="reference")
    assert (durable["status"] != "error").all()
    assert list(durable["verdict"]) == list(reference["verdict"])


def test_memory_per_rule_set_version_is_bounded(tmp_path: Path) -> None:
    """300 distinct versions: RSS grows by less than 40 MiB (main: ≈ 2.2 MiB per version)."""
    compiled, facts = _inputs(pack_rules(tmp_path, 40, 3))
    durable = DurableBackend()
    expected = ReferenceBackend().states(compiled, facts)
    process = psutil.Process()
    bound = getattr(durable_module, "MAX_PROGRAMS", 32)
    for i in range(bound + 5):  # warm up: the pool of programs is full
        durable.states(dataclasses.replace(compiled, signature=f"warm{i}"), facts)
    before = process.memory_info().rss
    for i in range(300):
        got = durable.states(dataclasses.replace(compiled, signature=f"v{i}"), facts)
        assert got == expected
    grown = (process.memory_info().rss - before) / 2**20
    assert grown < 40, f"RSS grew {grown:.1f} MiB over 300 versions"
    assert len(durable.ruleset_names) <= bound
