"""The honest rule of combination end to end: a blocking criterion unknown and a review failing.

Filling in the unknown could make the case not eligible, or leave it needing review: the
verdict is ``unknown`` with ``possible_verdicts`` ``[needs_review, not_eligible]`` on every
backend and in ``evaluate_many`` (row path and columnar fast path).
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from factories import base_cadre, base_move
from luanchuyen import evaluate_many
from luanchuyen.evaluation import evaluate
from luanchuyen.ruleset.compile import RuleSet
from luanchuyen.verdict import Verdict

PACK = """
id: honest
kind: national
title: {vi: Kiểm tra, en: Check}
jurisdiction: VN
source: {document: test, tag: I}
valid_from: 2020-01-01
"""
RULES = """
rules:
  - id: blk_cross_unit
    title: {vi: Chặn khi chưa rõ đơn vị, en: Block on the unit}
    kinds: [luan_chuyen]
    effect: block
    require: {fact: cross_unit, op: "==", value: true}
    messages: {pass: {vi: đạt, en: ok}, fail: {vi: không đạt, en: fails}}
    citation: {document: test, tag: I}
  - id: rev_age
    title: {vi: Xem xét tuổi, en: Review age}
    kinds: [luan_chuyen]
    effect: review
    require: {fact: age_months, op: "<", value: 12}
    messages: {pass: {vi: đạt, en: ok}, fail: {vi: cần xem xét, en: needs review}}
    citation: {document: test, tag: I}
"""
DAY = date(2024, 6, 1)
POSSIBLE = [Verdict.NEEDS_REVIEW, Verdict.NOT_ELIGIBLE]


@pytest.fixture(scope="module")
def rules(tmp_path_factory: pytest.TempPathFactory) -> RuleSet:
    pack = tmp_path_factory.mktemp("packs") / "honest"
    (pack / "rules").mkdir(parents=True)
    (pack / "pack.yaml").write_text(PACK, encoding="utf-8")
    (pack / "rules" / "all.yaml").write_text(RULES, encoding="utf-8")
    return RuleSet.from_paths([pack])


@pytest.mark.parametrize("backend", ["reference", "durable", "vector"])
def test_every_backend(rules: RuleSet, backend: str) -> None:
    d = evaluate(base_cadre(), base_move(), as_of=DAY, rules=rules, backend=backend)  # type: ignore[arg-type]
    assert d.verdict is Verdict.UNKNOWN
    assert d.possible_verdicts == POSSIBLE
    assert d.settling_facts == {"blk_cross_unit": ["cross_unit"]}
    assert d.blocking == []
    assert [c.rule_id for c in d.criteria if c.applied_effect == "review"] == ["rev_age"]


@pytest.mark.parametrize(
    ("backend", "criteria"),
    [("reference", False), ("vector", True), ("vector", False)],  # vector + no criteria: fast path
)
def test_evaluate_many(rules: RuleSet, backend: str, criteria: bool) -> None:
    pairs = [(base_cadre(), base_move())] * 3
    out = evaluate_many(pairs, as_of=DAY, rules=rules, backend=backend, criteria=criteria)  # type: ignore[call-overload]
    frame = out[0] if criteria else out
    assert list(frame["status"]) == ["ok"] * 3
    assert list(frame["verdict"]) == ["unknown"] * 3
    assert [list(p) for p in frame["possible_verdicts"]] == [["needs_review", "not_eligible"]] * 3
    assert [list(u) for u in frame["undecided_rules"]] == [["blk_cross_unit"]] * 3
    assert list(frame["review_rules"]) == [["rev_age"]] * 3
    # the main reason is the unknown that could change the verdict, naming the fact to supply
    assert all(isinstance(r, str) and "đơn vị khác" in r for r in frame["reason_vi"])


def test_error_rows_have_a_status_not_a_verdict(rules: RuleSet) -> None:
    frame = evaluate_many(
        [(base_cadre(), base_move()), ({"id": "X"}, base_move())], as_of=DAY, rules=rules
    )
    assert list(frame["status"]) == ["ok", "error"]
    assert pd.isna(frame["verdict"].iloc[1])
    assert "error" not in {v.value for v in Verdict}
    assert frame["error_code"].iloc[1]
