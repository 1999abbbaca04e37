"""durable-rules backend: the guards of docs/durable-rules.md, proven."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

import pytest

from factories import base_cadre, base_move
from luanchuyen.engine.durable import DurableBackend
from luanchuyen.engine.reference import ReferenceBackend
from luanchuyen.evaluation import evaluate, prepare
from luanchuyen.ruleset.compile import RuleSet

PACK = """
id: wide
kind: national
title: {vi: Rộng, en: Wide}
jurisdiction: VN
source: {document: test, tag: I}
valid_from: 2020-01-01
"""


def _wide_pack(tmp_path: Path, n: int) -> RuleSet:
    """A pack whose ``n`` rules all match one fact: more than the C core's 64-entry walk stack."""
    pack = tmp_path / "wide"
    (pack / "rules").mkdir(parents=True)
    (pack / "pack.yaml").write_text(PACK, encoding="utf-8")
    rules = ["rules:"]
    for i in range(n):
        rules.append(
            f"""  - id: r{i}
    title: {{vi: r{i}, en: r{i}}}
    kinds: [luan_chuyen]
    effect: block
    applies_when: {{any: [{{fact: gender, op: "==", value: nam}}, {{fact: age_months, op: ">", value: {i}}}]}}
    require: {{fact: age_months, op: ">=", value: {i * 3}}}
    messages: {{pass: {{vi: ok, en: ok}}, fail: {{vi: ko, en: fails}}}}
    citation: {{document: test, tag: I}}"""
        )
    (pack / "rules" / "all.yaml").write_text("\n".join(rules), encoding="utf-8")
    return RuleSet.from_paths([pack])


def test_many_matching_rules_do_not_overflow_the_engine(tmp_path: Path) -> None:
    rules = _wide_pack(tmp_path, 150)
    _, _, _day, compiled, derived = prepare(
        base_cadre(), base_move(), as_of=date(2024, 6, 1), rules=rules
    )
    durable = DurableBackend()
    for _ in range(3):
        assert durable.states(compiled, derived.facts) == ReferenceBackend().states(
            compiled, derived.facts
        )
    assert durable.live_sessions == 0


def test_sessions_are_always_deleted_and_bounded() -> None:
    backend = DurableBackend()
    for i in range(300):
        evaluate(base_cadre(id=f"c{i}"), base_move(), as_of=date(2024, 6, 1), backend=backend)
    assert backend.live_sessions == 0
    assert backend.max_live_seen == 1
    assert backend.evaluations == 300


def test_threads_share_one_backend_safely() -> None:
    backend = DurableBackend()
    expected = evaluate(
        base_cadre(), base_move(), as_of=date(2024, 6, 1), backend="reference"
    ).outcomes()
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(60):
                d = evaluate(base_cadre(), base_move(), as_of=date(2024, 6, 1), backend=backend)
                assert d.outcomes() == expected
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert backend.max_live_seen == 1 and backend.live_sessions == 0


def test_rulesets_are_versioned_by_content() -> None:
    backend = DurableBackend()
    rules = RuleSet.load()
    for day in (date(2024, 6, 1), date(2025, 4, 15), date(2026, 3, 1)):
        evaluate(base_cadre(), base_move(), as_of=day, rules=rules, backend=backend)
    names = set(backend.ruleset_names)
    assert len(names) == 3 and all(n.startswith("luanchuyen@") for n in names)


@pytest.mark.parametrize("day", [date(2024, 6, 1), date(2026, 3, 1)])
def test_missing_facts_give_unknown_on_both_backends(day: date) -> None:
    cadre = base_cadre(planning=None, health=None, family=None, ratings=None, disciplines=None)
    a = evaluate(cadre, base_move(), as_of=day, backend="reference")
    b = evaluate(cadre, base_move(), as_of=day, backend="durable")
    assert a.outcomes() == b.outcomes()
    assert a.verdict == b.verdict
