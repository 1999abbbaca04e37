"""Unit tests of luanchuyen.io.safe_write: atomic writes and formula neutralising."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from luanchuyen.errors import InputError
from luanchuyen.io.safe_write import (
    atomic_path,
    atomic_paths,
    formula_like,
    leftover_temporary_files,
    neutralise,
    refuse_overwriting,
    save_workbook,
    text_cell,
)


def test_success_replaces_the_target(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("old")
    with atomic_path(target) as tmp:
        assert tmp.parent == tmp_path and tmp != target
        tmp.write_text("new")
        assert target.read_text() == "old"  # nothing changes before the end
    assert target.read_text() == "new"
    assert leftover_temporary_files(tmp_path) == []


@pytest.mark.parametrize("error", [RuntimeError, KeyboardInterrupt, SystemExit])
def test_any_exit_by_exception_keeps_the_old_pair_and_no_temp_file(
    tmp_path: Path, error: type[BaseException]
) -> None:
    a, b = tmp_path / "r.csv", tmp_path / "r.criteria.csv"
    a.write_text("old a")
    b.write_text("old b")

    def write() -> None:
        with atomic_paths([a, b]) as (ta, tb):
            ta.write_text("new a")
            tb.write_text("half")
            raise error()

    with pytest.raises(error):
        write()
    assert (a.read_text(), b.read_text()) == ("old a", "old b")
    assert leftover_temporary_files(tmp_path) == []


def test_a_pair_is_renamed_together(tmp_path: Path) -> None:
    a, b = tmp_path / "r.csv", tmp_path / "r.criteria.csv"
    with atomic_paths([a, b]) as (ta, tb):
        ta.write_text("a")
        tb.write_text("b")
    assert (a.read_text(), b.read_text()) == ("a", "b")


def test_output_equal_to_the_input_is_refused(tmp_path: Path) -> None:
    src = tmp_path / "in.xlsx"
    src.write_text("x")
    with pytest.raises(InputError) as info:
        refuse_overwriting(tmp_path / "." / "in.xlsx", src)
    assert info.value.code == "invalid_value"
    link = tmp_path / "link.xlsx"
    link.symlink_to(src)
    with pytest.raises(InputError):
        refuse_overwriting(link, src)
    refuse_overwriting(tmp_path / "out.xlsx", src)


@pytest.mark.parametrize(
    "value",
    ["=1+1", "+1", "-1+A1", "@SUM(A1)", "\t=1", "\r=1", "\uff1d1+1", "\uff0b1", " =1", "\u3000=1"],
)
def test_formula_like_values(value: str) -> None:
    assert formula_like(value)
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["Nguyễn Văn An", "", "a=b", "'=1", 5, None, 1.5])
def test_ordinary_values_are_left_alone(value: object) -> None:
    assert not formula_like(value)
    assert neutralise(value) == value


@given(st.text())
def test_a_neutralised_text_never_reads_as_a_formula(text: str) -> None:
    out = neutralise(text)
    assert not formula_like(out)
    assert out in (text, "'" + text)


def test_workbooks_are_reproducible_and_hold_no_formula(tmp_path: Path) -> None:
    from openpyxl import Workbook

    def build(path: Path) -> bytes:
        wb = Workbook(write_only=True)
        ws = wb.create_sheet("a")
        ws.append([text_cell(ws, '=HYPERLINK("http://x")'), "An"])
        save_workbook(wb, path)
        return path.read_bytes()

    first, second = build(tmp_path / "a.xlsx"), build(tmp_path / "b.xlsx")
    assert first == second
    with zipfile.ZipFile(tmp_path / "a.xlsx") as z:
        assert all(i.date_time == (1980, 1, 1, 0, 0, 0) for i in z.infolist())
        assert b"1980-01-01T00:00:00Z" in z.read("docProps/core.xml")
        assert b"<f>" not in z.read("xl/worksheets/sheet1.xml")
    assert leftover_temporary_files(tmp_path) == []
