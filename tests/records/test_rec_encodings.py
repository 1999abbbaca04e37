"""CSV encodings as Excel and legacy tools save them (issue 13)."""

from __future__ import annotations

from pathlib import Path

import pytest

from luanchuyen.errors import InputError
from luanchuyen.io import tables
from luanchuyen.io.files import detect_encoding
from records_sheets import TCVN3_SAMPLE, VNI_SAMPLE, to_cp1258

TEXT = (
    "STT;Họ và tên;Ngày sinh;Chức vụ hiện tại\n"
    "1;Nguyễn Thị Hường;20.08.1983;Phó Trưởng phòng Nội vụ huyện\n"
    "2;Đặng Văn Quý;1975;Phó Bí thư, Chủ tịch UBND xã Mai Sao\n"
)


@pytest.mark.parametrize(
    ("encoded", "codec"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.encode("utf-16"), "utf-16"),
        (to_cp1258(TEXT), "cp1258"),
    ],
)
def test_vietnamese_csv_in_every_usual_encoding(tmp_path: Path, encoded: bytes, codec: str) -> None:
    path = tmp_path / "ds.csv"
    path.write_bytes(encoded)
    assert detect_encoding(encoded) == codec
    frame = tables.read_table(path)
    assert list(frame["Họ và tên"]) == ["Nguyễn Thị Hường", "Đặng Văn Quý"]
    assert frame.iloc[1]["Chức vụ hiện tại"] == "Phó Bí thư, Chủ tịch UBND xã Mai Sao"


def test_windows_1252_is_read(tmp_path: Path) -> None:
    path = tmp_path / "fr.csv"
    path.write_bytes("Họ tên;Ghi chú\nJosé Müller;café crème\n".replace("ọ", "o").encode("cp1252"))
    frame = tables.read_table(path)
    assert frame.iloc[0]["Ghi chú"] == "café crème"


@pytest.mark.parametrize(("data", "name"), [(TCVN3_SAMPLE, "TCVN3"), (VNI_SAMPLE, "VNI")])
def test_legacy_encodings_get_a_clear_hint(tmp_path: Path, data: bytes, name: str) -> None:
    path = tmp_path / "cu.csv"
    path.write_bytes(data * 3)
    with pytest.raises(InputError) as info:
        tables.read_table(path)
    err = info.value
    assert err.code == "table_encoding"
    assert (
        name in err.message_vi and "CSV UTF-8" in err.message_vi and "CSV UTF-8" in err.message_en
    )


def _big_cp1258(tmp_path: Path, megabytes: int) -> tuple[Path, int]:
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    import records_bench

    path = tmp_path / "big.csv"
    return path, records_bench.big_csv(path, megabytes)


def test_a_large_windows_1258_csv_reads_with_correct_diacritics(tmp_path: Path) -> None:
    path, rows = _big_cp1258(tmp_path, 5)
    frame = tables.read_table(path)
    assert len(frame) == rows
    assert frame.iloc[-1]["Chức vụ hiện tại"] == "Phó Trưởng phòng Nội vụ huyện"
    assert frame.iloc[-1]["Họ và tên"] == f"Nguyễn Thị Hường {rows - 1}"


@pytest.mark.soak
def test_a_50_mb_windows_1258_csv(tmp_path: Path) -> None:
    path, rows = _big_cp1258(tmp_path, 50)
    frame = tables.read_table(path)
    assert len(frame) == rows and frame.iloc[-1]["Đơn vị hiện tại"] == "Phòng Nội vụ huyện Chi Lăng"
