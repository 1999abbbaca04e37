"""More sheets written the way boards write them (synthetic people): each reads as it is."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from openpyxl import Workbook
from typer.testing import CliRunner

from luanchuyen.batch import cross, evaluate_many
from luanchuyen.cli import _register, app
from luanchuyen.io import tables
from luanchuyen.models import Cadre
from luanchuyen.models import enums as e
from luanchuyen.records.layout import Request
from records_sheets import to_cp1258

AS_OF = date(2024, 6, 1)
runner = CliRunner()
_register()


def _save(path: Path, rows: list[list[object]], merges: tuple[str, ...] = ()) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for r in rows:
        ws.append(r)
    for m in merges:
        ws.merge_cells(m)
    wb.save(path)
    return path


def test_csv_exported_with_title_rows_in_windows_1258(tmp_path: Path) -> None:
    text = (
        "HUYỆN ỦY CHI LĂNG;;;\n"
        "Danh sách cán bộ quy hoạch;;;\n"
        ";;;\n"
        "STT;HỌ VÀ TÊN;NGÀY SINH;GIỚI TÍNH;CHỨC VỤ\n"
        "1;Đoàn Thị Mỹ;45123;nữ;Phó Chủ tịch Hội Nông dân xã\n"
        "2;Lò Văn Sáu;05/1969;NAM;Trưởng Ban Tổ chức Huyện ủy\n"
    )
    path = tmp_path / "ds.csv"
    path.write_bytes(to_cp1258(text))
    frame = tables.read_table(path)
    assert list(frame.index) == [5, 6]
    rows = tables.records(frame, "cadre", as_of=AS_OF)
    first, second = rows
    assert isinstance(first, Request) and isinstance(second, Request)
    c1 = Cadre.model_validate(first.cadre)
    assert c1.date_of_birth == date(2023, 7, 16)  # an Excel serial written out as a number
    assert c1.current_post is not None  # the level comes from the text ("xã")
    assert c1.current_post.title_code is e.TitleCode.PHO_TRUONG_DOAN_THE
    assert c1.current_post.level is e.Level.XA
    c2 = Cadre.model_validate(second.cadre)
    assert c2.current_post is not None and c2.current_post.title_code is e.TitleCode.TRUONG_BAN
    assert c2.current_post.level is e.Level.HUYEN and c2.birth_date_precision == "month"


def test_unaccented_upper_case_headers_and_vertical_merges(tmp_path: Path) -> None:
    path = _save(
        tmp_path / "m.xlsx",
        [
            ["UBND TỈNH LẠNG SƠN"],
            ["STT", "HO VA TEN", "NGAY SINH", "GIOI TINH", "DANH GIA XEP LOAI", None, "DANG VIEN"],
            [None, None, None, None, "Năm 2022", "Năm 2023", None],
            [1, "Hà Thị Bảy", "07/07/1977", "Nu", "HTT", "HTXSNV", "x"],
            [2, "Hà Văn Tư", "1966", "Nam", None, "KHTNV", ""],
        ],
        merges=("A2:A3", "B2:B3", "E2:F2"),
    )
    frame = tables.read_table(path)
    assert list(frame.index) == [4, 5]
    first, second = tables.records(frame, "cadre", as_of=AS_OF)
    assert isinstance(first, Request) and isinstance(second, Request)
    assert first.cadre is not None and second.cadre is not None
    assert first.cadre["ratings"] == {2022: e.Rating.HTT, 2023: e.Rating.HTXS}
    assert first.cadre["party_member"] is True and "party_member" not in second.cadre
    assert second.cadre["ratings"] == {2023: e.Rating.KHT}


def test_a_position_list_with_titles_above_it(tmp_path: Path) -> None:
    path = _save(
        tmp_path / "vt.xlsx",
        [
            ["DANH MỤC VỊ TRÍ CẦN BỐ TRÍ"],
            [],
            ["Mã vị trí", "Tên chức danh", "Đơn vị", "Còn khuyết"],
            ["VT1", "Phó Chủ tịch UBND xã Quang Lang", "UBND xã Quang Lang", "x"],
            ["VT2", "Trưởng phòng Nội vụ huyện", "Phòng Nội vụ", "có"],
        ],
    )
    frame = tables.read_table(path, kind="position")
    rows = tables.records(frame, "position", as_of=AS_OF)
    first, second = rows
    assert isinstance(first, Request) and isinstance(second, Request)
    assert first.position is not None and second.position is not None
    assert first.position["level"] is e.Level.XA and first.position["role"] is e.PostRole.CAP_PHO
    assert second.position["title_code"] is e.TitleCode.TRUONG_PHONG


def test_board_cadre_list_crossed_with_a_board_position_list(tmp_path: Path) -> None:
    cad = _save(
        tmp_path / "cb.xlsx",
        [
            ["DANH SÁCH CÁN BỘ"],
            ["STT", "Họ và tên", "Giới tính", "Ngày sinh", "Chức vụ hiện tại"],
            [1, "Mạc Văn Chín", "Nam", "12.12.1985", "Phó Trưởng phòng Nội vụ huyện"],
            [2, "Mạc Thị Mười", "Nữ", "1990", "PCT UBND xã"],
        ],
    )
    pos = _save(
        tmp_path / "vt.xlsx",
        [
            ["VỊ TRÍ"],
            ["Mã vị trí", "Tên chức danh", "Còn khuyết"],
            ["VT1", "Phó Chủ tịch UBND xã Hòa Bình", "có"],
        ],
    )
    flat = cross(
        tables.read_table(cad), tables.read_table(pos, kind="position"), kind="luan_chuyen"
    )
    result = evaluate_many(flat, as_of=AS_OF, backend="reference")
    assert len(result) == 2 and "error" not in set(result["verdict"])
    out = tmp_path / "kq.csv"
    res = runner.invoke(
        app,
        ["batch", str(cad), "--positions", str(pos), "--as-of", "01/06/2024", "--out", str(out)],
    )
    assert res.exit_code == 0, res.output


def test_a_missing_name_is_a_coded_error_naming_the_cell(tmp_path: Path) -> None:
    path = _save(
        tmp_path / "x.xlsx",
        [["Họ và tên", "Giới tính", "Ngày sinh", "Hình thức", "Vị trí đến", "Cấp đến"],
         ["", "Nam", "1980", "Luân chuyển", "Bí thư Đảng ủy xã", "Xã"],
         ["Lê Văn Ba", "Nam", "1980", "Luân chuyển", "Bí thư Đảng ủy xã", "Xã"]],
    )  # fmt: skip
    result = evaluate_many(tables.read_table(path), as_of=AS_OF, backend="reference")
    assert list(result["status"] == "error") == [True, False]
    assert result["error_code"].iloc[0] == "missing_field"
    assert "Họ và tên" in result["error_message_vi"].iloc[0]
    assert result["cadre_id"].iloc[1] == "3"  # no id column, no STT: the row number
    assert list(result["source_row"]) == [2, 3]


def test_a_header_with_no_rows_exits_3(tmp_path: Path) -> None:
    path = _save(tmp_path / "empty.xlsx", [["TIÊU ĐỀ"], ["Họ và tên", "Ngày sinh", "Giới tính"]])
    res = runner.invoke(
        app, ["batch", str(path), "--as-of", "01/06/2024", "--out", str(tmp_path / "o.csv")]
    )
    assert res.exit_code == 3, res.output


def test_a_sheet_with_no_table_is_a_clear_error(tmp_path: Path) -> None:
    path = _save(tmp_path / "note.xlsx", [["Chỉ có ghi chú"], ["không có bảng"]])
    res = runner.invoke(
        app, ["batch", str(path), "--as-of", "01/06/2024", "--out", str(tmp_path / "o.csv")]
    )
    assert res.exit_code == 2 and "table_file" in res.output
