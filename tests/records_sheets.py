"""Board-style test sheets (synthetic people only), written with openpyxl as boards lay them out."""

from __future__ import annotations

import unicodedata
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook

#: The five-row list of issue 13, typed as a district board types it.
BOARD_HEADERS = [
    "STT", "Họ và tên", "Giới tính", "Ngày tháng năm sinh", "Chức vụ hiện tại",
    "Cấp hiện tại", "Xếp loại 2023", "Kỷ luật", "Đủ sức khỏe", "Hình thức", "Vị trí đến", "Cấp đến",
]  # fmt: skip
BOARD_ROWS: list[list[Any]] = [
    [1, "Nguyễn Văn Tám", "Nam", "20.08.1983", "Phó Trưởng phòng Nội vụ huyện", "Huyện",
     "Hoàn thành tốt nhiệm vụ", "Không", "có", "Luân chuyển", "Phó Chủ tịch UBND xã Mai Sao", "Xã"],
    [2, "Hoàng Thị Chín", "Nữ", "1/2/1979", "Phó Bí thư, Chủ tịch UBND xã Mai Sao", "Xã",
     "HTXSNV", "Khiển trách (2023)", "", "Điều động", "Trưởng phòng Văn hóa – Xã hội huyện", "Huyện"],
    [3, "Lương Văn Mười", "Nam", "8/1975", "Chuyên viên Phòng Tài chính – Kế hoạch", "Huyện",
     "HTT", "", "có", "Luân chuyển", "Bí thư Đảng ủy xã Quang Lang", ""],
    [4, "Vi Thị Một", "Nữ", date(1988, 3, 5), "PCT UBND xã", "Xã", "Hoàn thành nhiệm vụ",
     "Cảnh cáo Đảng 8/2023", "không", "Luân chuyển", "Phó Trưởng phòng Nội vụ", "Huyện"],
    [5, "Nông Văn Hai", "Nam", "1970", "Trưởng phòng TC-KH huyện", "Huyện", "", "",
     "", "Điều động", "Chủ tịch HĐND xã Chi Lăng", "Xã"],
]  # fmt: skip


def board_workbook(path: Path, *, numbering: bool = True, sheets: int = 1) -> Path:
    """Two title rows, a merged banner, a blank row, the header, a numbering line, 5 rows."""
    wb = Workbook()
    for n in range(sheets):
        ws = wb.active if n == 0 else wb.create_sheet()
        assert ws is not None
        ws.title = f"DS {n + 1}"
        ws.append(["ỦY BAN NHÂN DÂN HUYỆN CHI LĂNG"])
        ws.append(["DANH SÁCH CÁN BỘ DỰ KIẾN LUÂN CHUYỂN, ĐIỀU ĐỘNG NĂM 2024"])
        ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(BOARD_HEADERS))
        ws.append([])
        ws.append(BOARD_HEADERS)
        if numbering:
            ws.append([f"({i + 1})" for i in range(len(BOARD_HEADERS))])
        for row in BOARD_ROWS:
            ws.append(row)
        ws.append([])
        ws.append(["", "Người lập biểu"])
    instructions = wb.create_sheet("Hướng dẫn")
    instructions.append(["Ghi chú: ô trống là chưa rõ."])
    wb.save(path)
    return path


def two_row_header_workbook(path: Path) -> Path:
    """A banner «Xếp loại» over «2022 | 2023», «I. Khối Đảng» heading row inside the table."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["DANH SÁCH"])
    ws.append(["STT", "Họ tên", "Giới tính", "Năm sinh", "Xếp loại", None, "Chức vụ"])
    ws.append([None, None, None, None, "2022", "2023", None])
    ws.merge_cells("E2:F2")
    ws.append(["I. Khối Đảng"])
    ws.append([1, "Lê Văn Ba", "nam", 1972, "HTT", "HTXS", "Bí thư Đảng ủy xã"])
    ws.append(["II. Khối chính quyền"])
    ws.append([2, "Lê Thị Bốn", "nữ", "03/1980", "HT", "htt", "Phó Chủ tịch UBND xã"])
    wb.save(path)
    return path


_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def to_cp1258(text: str) -> bytes:
    """Encode as Excel writes Windows-1258: base letters precomposed, tone marks combining."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
        out += base.encode("cp1258")
        for c in parts:
            if c in _TONES:
                out += c.encode("cp1258")
    return bytes(out)


#: A few Vietnamese words in TCVN3 (ABC) and VNI bytes, as legacy tools saved them.
TCVN3_SAMPLE = b"STT,H\xe4 v\xb5 t\xaan,Ng\xb5y sinh\n1,Nguy\xd4n V\xa8n A,01/02/1980\n2,Tr\xc7n Th\xde B,1975\n"
VNI_SAMPLE = b"STT,Ho\xef va\xf8 te\xe2n,Nga\xf8y sinh\n1,Nguye\xe3n Va\xean A,01/02/1980\n2,Tra\xe0n Tho\xf8 B,1975\n"
