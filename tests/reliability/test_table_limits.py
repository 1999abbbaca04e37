"""Issue 17.11: tables have size limits with coded errors, checked before the work is done."""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import pytest

from luanchuyen.errors import InputError
from luanchuyen.io import tables
from luanchuyen.io.files import Limits

_SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)


def _bomb(path: Path, xml_bytes: int) -> Path:
    """A small .xlsx whose sheet XML decompresses to ``xml_bytes`` (repetitive rows)."""
    row = '<row><c t="inlineStr"><is><t>x</t></is></c></row>'
    reps = xml_bytes // len(row)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        )
        with z.open("xl/worksheets/sheet1.xml", "w") as fh:
            fh.write(_SHEET_HEAD.encode())
            chunk = (row * 10_000).encode()
            for _ in range(reps // 10_000):
                fh.write(chunk)
            fh.write(b"</sheetData></worksheet>")
    return path


def _fails_fast(path: Path, limits: Limits | None = None) -> InputError:
    start = time.perf_counter()
    with pytest.raises(InputError) as info:
        tables.read_table(path, limits=limits or Limits())
    assert time.perf_counter() - start < 5.0
    return info.value


def test_a_small_workbook_with_90_mb_of_xml_is_refused(tmp_path: Path) -> None:
    path = _bomb(tmp_path / "bomb.xlsx", 90 * 1024 * 1024)
    assert path.stat().st_size < 1_000_000
    err = _fails_fast(path)
    assert err.code == "table_too_large" and "zip" in err.message_en


def test_decompressed_size_limit_is_overridable(tmp_path: Path) -> None:
    path = _bomb(tmp_path / "small.xlsx", 2 * 1024 * 1024)
    err = _fails_fast(path, Limits(max_xlsx_bytes=1024 * 1024))
    assert err.code == "table_too_large" and "decompressed" in err.message_en


def test_a_csv_with_a_million_columns_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    path.write_text(",".join(f"c{i}" for i in range(1_000_000)) + "\n1\n", encoding="utf-8")
    err = _fails_fast(path)
    assert err.code == "table_too_large" and "columns" in err.message_en


def test_a_huge_cell_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "cell.csv"
    path.write_text("Họ và tên,Ngày sinh\n" + "A" * 2_000_000 + ",1980\n", encoding="utf-8")
    err = _fails_fast(path)
    assert err.code == "table_too_large" and "too long" in err.message_en
    big = Limits(max_cell_chars=3_000_000)
    assert len(tables.read_table(path, limits=big)) == 1


def test_a_gigabyte_cell_fails_on_the_file_size(tmp_path: Path) -> None:
    path = tmp_path / "giga.csv"
    with path.open("wb") as fh:  # sparse: 1 GB on paper, nothing written to disk
        fh.write(b"H\xe1\xbb\x8d v\xc3\xa0 t\xc3\xaan\n")
        fh.seek(1024 * 1024 * 1024)
        fh.write(b"\n")
    err = _fails_fast(path)
    assert err.code == "table_too_large"


def test_too_many_rows(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_text("Họ và tên,Ngày sinh\n" + "A,1980\n" * 200, encoding="utf-8")
    err = _fails_fast(path, Limits(max_rows=100))
    assert err.code == "table_too_large"
