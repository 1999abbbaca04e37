"""Sheets as boards write them read without hand edits (issue 13)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from luanchuyen.batch import evaluate_many
from luanchuyen.errors import InputError
from luanchuyen.io import tables
from luanchuyen.models import Cadre
from luanchuyen.models import enums as e
from luanchuyen.records.frames import read_notes, records
from luanchuyen.records.layout import Request
from records_sheets import board_workbook, two_row_header_workbook

AS_OF = date(2024, 6, 1)


def test_board_sheet_is_found_below_titles_and_numbering(tmp_path: Path) -> None:
    frame = tables.read_table(board_workbook(tmp_path / "ds.xlsx"))
    assert list(frame.index) == [6, 7, 8, 9, 10]  # rows as Excel numbers them
    assert frame.attrs["header_row"] == 4 and frame.attrs["sheet"] == "DS 1"
    assert frame.attrs["skipped_sheets"] == ["Hướng dẫn"]
    assert [r["text"] for r in frame.attrs["skipped_rows"]] == ["Người lập biểu"]
    assert frame.iloc[0]["Họ và tên"] == "Nguyễn Văn Tám"


def test_every_board_row_gets_a_verdict(tmp_path: Path) -> None:
    frame = tables.read_table(board_workbook(tmp_path / "ds.xlsx"))
    result = evaluate_many(frame, as_of=AS_OF, backend="reference")
    assert list(result["verdict"]).count("error") == 0, result[["error_message_vi"]].to_string()
    assert list(result["cadre_id"]) == ["1", "2", "3", "4", "5"]  # STT became the id


def test_board_cells_are_read_as_written(tmp_path: Path) -> None:
    frame = tables.read_table(board_workbook(tmp_path / "ds.xlsx"))
    rows = records(frame, as_of=AS_OF)
    assert all(isinstance(r, Request) for r in rows)
    first, second, third, fourth, fifth = rows
    assert isinstance(first, Request) and isinstance(second, Request)
    assert isinstance(third, Request) and isinstance(fourth, Request) and isinstance(fifth, Request)
    c1 = Cadre.model_validate(first.cadre)
    assert c1.date_of_birth == date(1983, 8, 20)  # dotted date
    assert c1.current_post is not None
    assert c1.current_post.title_code is e.TitleCode.PHO_TRUONG_PHONG
    assert c1.current_post.role is e.PostRole.CAP_PHO
    assert c1.ratings == {2023: e.Rating.HTT}
    assert c1.disciplines == []
    assert c1.health is None  # «Đủ sức khỏe: có» without a certificate date: unknown
    assert "group_incomplete" in [n.code for n in first.notes]
    c2 = Cadre.model_validate(second.cadre)
    assert c2.current_post is not None
    assert c2.current_post.title_code is e.TitleCode.PHO_BI_THU_CHU_TICH_UBND
    assert c2.disciplines is not None and c2.disciplines[0].form is e.DisciplineForm.KHIEN_TRACH
    assert c2.disciplines[0].decision_date == date(2023, 1, 1)
    assert "date_year_only" in [n.code for n in second.notes]
    assert c2.ratings == {2023: e.Rating.HTXS}
    assert second.move is not None and second.move["target"]["role"] is e.PostRole.CAP_TRUONG
    c3 = Cadre.model_validate(third.cadre)
    assert (c3.date_of_birth, c3.birth_date_precision) == (date(1975, 8, 1), "month")
    assert third.move is not None and third.move["target"]["level"] is e.Level.XA  # from the title
    c4 = Cadre.model_validate(fourth.cadre)
    assert c4.disciplines is not None
    assert (c4.disciplines[0].kind, c4.disciplines[0].decision_date) == (
        e.DisciplineKind.DANG,
        date(2023, 8, 1),
    )
    c5 = Cadre.model_validate(fifth.cadre)
    assert c5.birth_date_precision == "year"
    assert c5.ratings is None  # a blank rating cell is unknown


def test_notes_name_their_cells(tmp_path: Path) -> None:
    frame = tables.read_table(board_workbook(tmp_path / "ds.xlsx"))
    notes = read_notes(frame, as_of=AS_OF)
    by_code = {n.code for n in notes}
    assert {"id_from_stt", "group_incomplete", "date_year_only", "row_skipped"} <= by_code
    year = next(n for n in notes if n.code == "date_year_only")
    assert (year.sheet, year.row, year.column) == ("DS 1", 7, "Kỷ luật")


def test_several_sheets_are_read_with_their_names(tmp_path: Path) -> None:
    frame = tables.read_table(board_workbook(tmp_path / "ds.xlsx", sheets=2))
    assert len(frame) == 10
    assert frame.index[0] == "DS 1!6" and frame.index[-1] == "DS 2!10"
    assert frame.attrs["sheets"] == ["DS 1", "DS 2"]
    one = tables.read_table(tmp_path / "ds.xlsx", sheet="DS 2")
    assert list(one.index) == [6, 7, 8, 9, 10]


def test_without_numbering_line(tmp_path: Path) -> None:
    frame = tables.read_table(board_workbook(tmp_path / "ds.xlsx", numbering=False))
    assert list(frame.index) == [5, 6, 7, 8, 9]


def test_two_row_header_and_heading_rows(tmp_path: Path) -> None:
    frame = tables.read_table(two_row_header_workbook(tmp_path / "h.xlsx"))
    assert "Xếp loại 2022" in frame.columns and "Xếp loại 2023" in frame.columns
    assert list(frame.index) == [5, 7]
    assert [r["text"] for r in frame.attrs["skipped_rows"]] == [
        "I. Khối Đảng",
        "II. Khối chính quyền",
    ]
    rows = records(frame, "cadre", as_of=AS_OF)
    first = rows[0]
    assert isinstance(first, Request) and first.cadre is not None
    assert first.cadre["ratings"] == {2022: e.Rating.HTT, 2023: e.Rating.HTXS}
    assert first.cadre["id"] == "1"


def test_every_error_of_a_row_names_its_cell(tmp_path: Path) -> None:
    frame = tables.read_table(board_workbook(tmp_path / "ds.xlsx"))
    frame.loc[6, "Ngày tháng năm sinh"] = "31/02/1983"
    frame.loc[6, "Xếp loại 2023"] = "giỏi"
    frame.loc[6, "Đủ sức khỏe"] = "có lẽ"
    err = records(frame, as_of=AS_OF)[0]
    assert isinstance(err, InputError)
    errors = err.details["errors"]
    assert [x["code"] for x in errors] == ["invalid_date", "invalid_enum", "invalid_value"]
    for x, header in zip(
        errors, ["Ngày tháng năm sinh", "Xếp loại 2023", "Đủ sức khỏe"], strict=True
    ):
        assert f"cột «{header}»" in x["message_vi"] and "Trang «DS 1», dòng 6" in x["message_vi"]
    result = evaluate_many(frame, as_of=AS_OF, backend="reference")
    bad = result.iloc[0]
    assert bad["status"] == "error" and bad["error_code"] == "invalid_date"
    assert "Xếp loại 2023" in bad["error_message_vi"] and "Đủ sức khỏe" in bad["error_message_vi"]
    assert list(result["status"]).count("error") == 1


@pytest.mark.parametrize(
    ("headers", "paths"),
    [
        (["ho_ten", "ngay_sinh", "so_dinh_danh_ca_nhan", "chuc_vu_hien_tai"],
         ["cadre.name", "cadre.date_of_birth", "cadre.id", "cadre.current_post.title"]),
        (["Họ và tên khai sinh", "Ngày, tháng, năm sinh", "Chức vụ, đơn vị công tác", "Đánh giá, xếp loại năm 2024"],
         ["cadre.name", "cadre.date_of_birth", "cadre.current_post.title", "cadre.ratings.2024"]),
        (["Chức vụ (Đảng, đoàn thể, chính quyền, kể cả kiêm nhiệm)", "Phụ cấp chức vụ", "Trình độ chuyên môn cao nhất", "Lý luận chính trị"],
         ["cadre.current_post.title", "cadre.current_post.allowance", "cadre.degree", "cadre.political_theory"]),
    ],
)  # fmt: skip
def test_board_and_mau_2c_and_snake_case_headers(headers: list[str], paths: list[str]) -> None:
    assert [c.path for c in tables.Layout.resolve(headers).columns] == paths
