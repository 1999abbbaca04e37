"""Cells as people write them (issue 13): dates with their precision, yes/no, ratings."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from luanchuyen.errors import InputError
from luanchuyen.models import enums as e
from luanchuyen.records.cells import Note, parse_bool, parse_date, parse_discipline, parse_rating
from luanchuyen.records.columns import CADRE_COLUMNS

COL = next(c for c in CADRE_COLUMNS if c.path == "cadre.current_post.since")
DISC = next(c for c in CADRE_COLUMNS if c.kind == "discipline")
BOOL = next(c for c in CADRE_COLUMNS if c.kind == "bool")


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2199, 12, 31)))
def test_every_day_form_reads_back(d: date) -> None:
    for text in (
        f"{d.day:02d}/{d.month:02d}/{d.year}", f"{d.day}/{d.month}/{d.year}",
        f"{d.day:02d}.{d.month:02d}.{d.year}", f"{d.day:02d}-{d.month:02d}-{d.year}",
        d.isoformat(), f"ngày {d.day} tháng {d.month} năm {d.year}",
    ):  # fmt: skip
        assert parse_date(COL, text) == (d, "day"), text


@given(st.dates(min_value=date(1908, 3, 1), max_value=date(2199, 12, 31)))
def test_excel_serials_are_days(d: date) -> None:
    serial = (d - date(1899, 12, 30)).days
    assert parse_date(COL, serial) == (d, "day")
    assert parse_date(COL, float(serial) + 0.5) == (d, "day")  # a date-time serial
    assert parse_date(COL, str(serial)) == (d, "day")


@given(st.integers(1900, 2199), st.integers(1, 12))
def test_month_and_year_alone(year: int, month: int) -> None:
    for text in (f"{month}/{year}", f"{month:02d}/{year}", f"tháng {month}/{year}", f"T{month}/{year}",
                 f"tháng {month} năm {year}", f"{year}-{month:02d}"):  # fmt: skip
        assert parse_date(COL, text) == (date(year, month, 1), "month"), text
    assert parse_date(COL, str(year)) == (date(year, 1, 1), "year")
    assert parse_date(COL, year) == (date(year, 1, 1), "year")
    assert parse_date(COL, f"năm {year}") == (date(year, 1, 1), "year")


@pytest.mark.parametrize(
    "text", ["31/02/2024", "13/2024", "2024/06/01", "hôm qua", "1/1/24", "0/2024"]
)
def test_bad_dates_name_the_column(text: str) -> None:
    with pytest.raises(InputError) as info:
        parse_date(COL, text)
    assert info.value.code == "invalid_date" and COL.header in info.value.message_vi


@pytest.mark.parametrize(
    ("cell", "value"),
    [("có", True), ("Có", True), ("x", True), ("X", True), ("✓", True), ("✔", True), ("1", True),
     (1, True), ("yes", True), ("đạt", True), ("không", False), ("Không", False), ("0", False),
     ("no", False), ("chưa", False), ("k", False), (0, False)],
)  # fmt: skip
def test_yes_no_in_every_usual_form(cell: object, value: bool) -> None:
    assert parse_bool(BOOL, cell) is value


@pytest.mark.parametrize(
    ("cell", "rating"),
    [("Hoàn thành xuất sắc nhiệm vụ", e.Rating.HTXS), ("HTXSNV", e.Rating.HTXS), ("htxs", e.Rating.HTXS),
     ("Hoàn thành tốt nhiệm vụ", e.Rating.HTT), ("HTTNV", e.Rating.HTT), ("HTT", e.Rating.HTT),
     ("Hoàn thành nhiệm vụ", e.Rating.HT), ("HTNV", e.Rating.HT), ("Không hoàn thành nhiệm vụ", e.Rating.KHT),
     ("KHTNV", e.Rating.KHT), ("hoan thanh tot nhiem vu", e.Rating.HTT)],
)  # fmt: skip
def test_ratings_written_out_or_abbreviated(cell: str, rating: e.Rating) -> None:
    assert parse_rating(BOOL, cell) is rating


@pytest.mark.parametrize(
    ("cell", "expected", "notes"),
    [
        ("Khiển trách", {"form": e.DisciplineForm.KHIEN_TRACH}, []),
        ("Khiển trách (2023)", {"form": e.DisciplineForm.KHIEN_TRACH, "decision_date": date(2023, 1, 1)}, ["date_year_only"]),
        ("Cảnh cáo Đảng 8/2023", {"form": e.DisciplineForm.CANH_CAO, "kind": e.DisciplineKind.DANG, "decision_date": date(2023, 8, 1)}, ["date_month_only"]),
        ("Cách chức chính quyền 15/03/2022", {"form": e.DisciplineForm.CACH_CHUC, "kind": e.DisciplineKind.CHINH_QUYEN, "decision_date": date(2022, 3, 15)}, []),
        ("kỷ luật khiển trách năm 2021", {"form": e.DisciplineForm.KHIEN_TRACH, "decision_date": date(2021, 1, 1)}, ["date_year_only"]),
    ],
)  # fmt: skip
def test_discipline_cells(cell: str, expected: dict[str, object], notes: list[str]) -> None:
    got: list[Note] = []
    assert parse_discipline(DISC, cell, got) == expected
    assert [n.code for n in got] == notes


def test_a_bad_discipline_cell_is_an_error() -> None:
    with pytest.raises(InputError) as info:
        parse_discipline(DISC, "Khiển trách hôm qua", [])
    assert info.value.code == "invalid_date"
    with pytest.raises(InputError) as info:
        parse_discipline(DISC, "Phê bình", [])
    assert info.value.code == "invalid_enum"


def test_serial_range_never_takes_a_year_for_a_day() -> None:
    assert parse_date(COL, 2024) == (date(2024, 1, 1), "year")
    assert parse_date(COL, 45_000)[0] == date(1899, 12, 30) + timedelta(days=45_000)
