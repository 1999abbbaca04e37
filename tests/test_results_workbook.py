"""The results workbook as an officer reads it (issue 16): verdict and reason first, filters,
the user's own row numbers, a real reason on eligible rows, codes in words, a summary."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from factories import base_cadre, base_move
from luanchuyen.batch import evaluate_many
from luanchuyen.io import tables
from luanchuyen.models import Cadre, Move
from luanchuyen.results import main_reason, met_reason

AS_OF = "2024-06-01"


def _pairs() -> list[tuple[Cadre, Move]]:
    cases = [
        base_cadre(id="OK-1"),  # eligible
        base_cadre(id="OLD-1", date_of_birth="10/10/1963"),  # not eligible
        base_cadre(id="UNK-1", planning=None),  # unknown
        base_cadre(id="YOUNG-1", date_of_birth="01/01/1990"),  # eligible with a priority
        base_cadre(id="BAD-1"),  # its gender cell is spoiled in the sheet
    ]
    return [(Cadre.model_validate(c), Move.model_validate(base_move())) for c in cases]


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A flat sheet (header on line 1, an error row on line 6) evaluated and written."""
    tmp = tmp_path_factory.mktemp("wb")
    sheet = tables.requests_frame(_pairs())
    sheet.loc[4, "Giới tính"] = "?"  # line 6 of the user's sheet: a bad cell
    path = tables.write_table(sheet, tmp / "in.xlsx")
    frame = evaluate_many(tables.read_table(path), as_of=AS_OF, backend="reference", criteria=True)
    frame, crit = frame if isinstance(frame, tuple) else (frame, None)
    out = tables.write_results(frame, tmp / "out.xlsx", criteria=crit)
    return load_workbook(out), frame


def _rows(ws: Any) -> list[dict[str, Any]]:
    values = list(ws.iter_rows(values_only=True))
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


def test_verdict_and_reason_first_with_filter_and_frozen_columns(workbook: Any) -> None:
    wb, _ = workbook
    ws = wb["Kết quả"]
    headers = [c.value for c in ws[1]]
    assert headers[:3] == ["Kết luận", "Lý do chính", "Dòng trong tệp"]
    assert ws.auto_filter.ref == f"A1:{ws.cell(1, len(headers)).column_letter}{ws.max_row}"
    assert ws.freeze_panes == "C2"  # the verdict and its reason stay in view
    assert wb["Tiêu chí"].auto_filter.ref is not None
    assert headers[-4:] == ["STT", "Mã kết luận", "Trạng thái", "Bộ quy tắc"]


def test_rows_are_numbered_as_the_users_sheet(workbook: Any) -> None:
    wb, frame = workbook
    rows = _rows(wb["Kết quả"])
    assert [r["Dòng trong tệp"] for r in rows] == [2, 3, 4, 5, 6]  # header on line 1
    assert [r["STT"] for r in rows] == [1, 2, 3, 4, 5]
    assert list(frame["row"]) == [0, 1, 2, 3, 4]  # the frame (and JSON Lines): 0-based
    crit = _rows(wb["Tiêu chí"])
    assert {r["STT"] for r in crit} == {1, 2, 3, 4}  # the error row has no criteria
    error = rows[4]
    assert (error["Kết luận"], error["Trạng thái"], error["Mã lỗi"]) == (
        "Lỗi dữ liệu",
        "Lỗi dữ liệu",
        "invalid_enum",
    )


def test_every_row_has_a_real_reason_and_codes_read_as_words(workbook: Any) -> None:
    wb, _ = workbook
    rows = {r["Mã cán bộ"]: r for r in _rows(wb["Kết quả"])}
    ok, young = rows["OK-1"], rows["YOUNG-1"]
    assert ok["Kết luận"] == "Đủ điều kiện"
    assert ok["Lý do chính"].startswith("Đạt cả ") and "điều kiện áp dụng" in ok["Lý do chính"]
    assert "ưu tiên: " in young["Lý do chính"]
    assert rows["OLD-1"]["Kết luận"] == "Không đủ điều kiện"
    assert rows["OLD-1"]["Lý do chính"] and "Đạt cả" not in rows["OLD-1"]["Lý do chính"]
    for r in (ok, young, rows["OLD-1"]):
        assert r["Hình thức"] == "Luân chuyển"
        assert r["Trạng thái"] == "Đã đánh giá"
        assert r["Cấp đến"] == "Xã"
        assert r["Giới tính"] == "Nam"
        assert r["Mã kết luận"] in {"eligible", "not_eligible"}  # the code column stays a code
    crit = _rows(wb["Tiêu chí"])
    assert {r["Kết quả"] for r in crit} == {"Đạt", "Không đạt", "Chưa rõ", "Không áp dụng"}
    assert "điều kiện" in {r["Hiệu lực"] for r in crit}  # the effect in words, not "block"


def test_summary_sheet_counts_by_verdict_in_vietnamese(workbook: Any) -> None:
    wb, _ = workbook
    summary = {r[0]: r[2] for r in wb["Tóm tắt"].iter_rows(min_row=2, values_only=True)}
    assert summary["Đủ điều kiện"] == 2
    assert summary["Không đủ điều kiện"] == 1
    assert summary["Chưa đủ dữ liệu để kết luận"] == 1
    assert summary["Lỗi dữ liệu"] == 1
    assert summary["Tổng"] == 5


def test_the_eligible_reason_counts_the_conditions_met() -> None:
    from luanchuyen import evaluate

    c, m = _pairs()[0]
    d = evaluate(c, m, as_of=AS_OF, backend="reference")
    met = sum(
        1 for x in d.criteria if x.effect in ("block", "review") and x.outcome.value == "pass"
    )
    assert met > 0
    assert main_reason(d) == met_reason(met) == f"Đạt cả {met} điều kiện áp dụng cho trường hợp này"
    assert met_reason(0) == "Không có điều kiện nào áp dụng cho trường hợp này"
    assert (
        met_reason(3, ["A"], lang="en")
        == "Meets all 3 conditions that apply to this case; priority: A"
    )


def test_fast_path_writes_the_same_eligible_reason(tmp_path: Path) -> None:
    pairs = _pairs()
    fast = evaluate_many(pairs, as_of=AS_OF, backend="vector")
    rows = evaluate_many(pairs, as_of=AS_OF, backend="reference")
    assert list(fast["reason_vi"]) == list(rows["reason_vi"])
    assert fast.loc[0, "reason_vi"].startswith("Đạt cả ")


def test_an_unknown_row_names_the_columns_to_fill(workbook: Any) -> None:
    wb, _ = workbook
    rows = {r["Mã cán bộ"]: r for r in _rows(wb["Kết quả"])}
    unknown = rows["UNK-1"]
    assert unknown["Kết luận"] == "Chưa đủ dữ liệu để kết luận"
    # the inputs of every fact that would settle it (exception included): planning first
    assert unknown["Cần bổ sung (cột)"].startswith("«Quy hoạch (chức danh)»")
    assert rows["OK-1"]["Cần bổ sung (cột)"] is None
    fast = evaluate_many(_pairs(), as_of=AS_OF, backend="vector")
    slow = evaluate_many(_pairs(), as_of=AS_OF, backend="reference")
    assert list(fast["missing_inputs"]) == list(slow["missing_inputs"])
    assert [paths[:1] for paths in slow["missing_inputs"]] == [[], [], ["cadre.planning"], [], []]
