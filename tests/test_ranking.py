"""Ranking candidates: verdict first, then distinct priorities, then remaining service."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import pytest

from factories import base_cadre, base_move
from luanchuyen import evaluate, load_rules
from luanchuyen.analysis.ranking import RANK_COLUMNS, rank_candidates
from luanchuyen.batch import cross, evaluate_many
from luanchuyen.models import Position

E1 = date(2024, 6, 1)
TARGET = {
    "id": "VT-03",
    "title": "Phó Bí thư, Chủ tịch UBND xã Mai Sao",
    "title_code": "pho_bi_thu_chu_tich_ubnd",
    "level": "xa",
    "vacant": True,
}


@pytest.fixture(scope="module")
def rules() -> Any:
    return load_rules("chi-lang-2024")


def _cadres() -> list[dict[str, Any]]:
    return [
        base_cadre(id="OLD", name="Đủ, 44 tuổi", date_of_birth="15/05/1980"),
        base_cadre(id="YOUNG", name="Đủ, trẻ", date_of_birth="20/07/1990"),
        base_cadre(id="YOUNG2", name="Đủ, trẻ, nữ dân tộc", date_of_birth="20/07/1991", gender="nữ", ethnic_minority=True),
        base_cadre(id="REVIEW", name="Cần xem xét", date_of_birth="20/07/1992", current_post={
            "title": "Chuyên viên", "title_code": "cong_chuc", "level": "xa", "since": "01/01/2020"}),
        base_cadre(id="UNKNOWN", name="Thiếu dữ liệu", date_of_birth="01/01/1985", under_investigation=None),
        base_cadre(id="NOPE", name="Không trong quy hoạch", date_of_birth="01/01/1989", planning=[]),
        base_cadre(id="SHORT", name="Còn ít thời gian", date_of_birth="10/09/1975", gender="nữ"),
    ]  # fmt: skip


@pytest.fixture(scope="module")
def frame(rules: Any) -> pd.DataFrame:
    items: list[Any] = cross(_cadres(), [TARGET], kind="luan_chuyen", move={"planned_start": "01/07/2024", "planned_end": "01/07/2027"})  # type: ignore[assignment]  # fmt: skip
    items.append(
        (
            {"id": "BROKEN", "name": "Sai", "gender": "?", "date_of_birth": "1980"},
            base_move(target=TARGET),
        )
    )
    return evaluate_many(items, as_of=E1, rules=rules, backend="reference")


def test_order_verdict_then_priorities_then_remaining_service(frame: pd.DataFrame) -> None:
    ranked = rank_candidates(frame, "VT-03")
    assert list(ranked.columns) == list(RANK_COLUMNS)
    assert list(ranked["rank"]) == list(range(1, len(frame) + 1))
    assert [None if pd.isna(v) else v for v in ranked["verdict"]] == [
        "eligible", "eligible", "eligible", "needs_review", "unknown", "not_eligible", "not_eligible", None,
    ]  # fmt: skip
    assert ranked["cadre_id"].iloc[-1] == "BROKEN"  # the error row ranks last, with no verdict
    # the two young cadres (one priority ground) before the older one; the man (62) has more
    # service left than the younger woman (60)
    assert list(ranked["cadre_id"][:3]) == ["YOUNG", "YOUNG2", "OLD"]
    assert list(ranked["priority_count"][:3]) == [1, 1, 0]
    assert ranked.loc[0, "remaining_service_months"] > ranked.loc[1, "remaining_service_months"]
    assert ranked["cadre_id"].iloc[-1] == "BROKEN"


def test_explanations_are_one_vietnamese_line(frame: pd.DataFrame) -> None:
    ranked = rank_candidates(frame, TARGET["title"])
    for rank, text in zip(ranked["rank"], ranked["explanation_vi"], strict=True):
        assert text.startswith(f"{rank}. ") and "\n" not in text and not text.endswith("..")
    first = ranked.loc[0, "explanation_vi"]
    assert "Đủ điều kiện" in first and "1 căn cứ ưu tiên" in first and "tháng công tác" in first
    nope = ranked.loc[ranked["cadre_id"] == "NOPE", "explanation_vi"].iloc[0]
    assert "Không đủ điều kiện" in nope and "lý do:" in nope and "quy hoạch" in nope
    assert "lỗi [invalid_enum]" in ranked["explanation_vi"].iloc[-1]


def test_women_and_ethnic_minority_are_information_only(frame: pd.DataFrame) -> None:
    ranked = rank_candidates(frame, TARGET["id"])
    row = ranked.loc[ranked["cadre_id"] == "YOUNG2"].iloc[0]
    assert bool(row["woman"]) and bool(row["ethnic_minority"])
    flipped = frame.copy()
    flipped["gender"] = flipped["gender"].map({"nu": "nam", "nam": "nu"})
    flipped["ethnic_minority"] = ~flipped["ethnic_minority"].fillna(False)
    assert list(rank_candidates(flipped, TARGET["id"])["cadre_id"]) == list(ranked["cadre_id"])


def test_position_filter_and_decision_input(rules: Any) -> None:
    other = {**TARGET, "id": "VT-99", "title": "Bí thư Đảng ủy xã Vân An", "title_code": "bi_thu"}
    items = cross(_cadres()[:3], [TARGET, other], kind="luan_chuyen")
    frame = evaluate_many(items, as_of=E1, rules=rules, backend="reference")
    assert len(rank_candidates(frame, Position.model_validate(other))) == 3
    assert len(rank_candidates(frame, {"title": other["title"]})) == 3
    assert len(rank_candidates(frame, "no such post")) == 0
    assert len(rank_candidates(frame)) == 6
    decisions = [
        evaluate(c, base_move(target=TARGET), as_of=E1, rules=rules, backend="reference")
        for c in _cadres()[:3]
    ]
    ranked = rank_candidates(decisions)
    assert list(ranked["cadre_id"]) == ["YOUNG", "YOUNG2", "OLD"]
    assert list(ranked["priority_count"]) == [1, 1, 0]
