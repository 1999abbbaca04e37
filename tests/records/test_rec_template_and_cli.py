"""``luanchuyen template`` reads back exactly; ``luanchuyen titles``; batch exit codes."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from openpyxl import load_workbook
from typer.testing import CliRunner

from luanchuyen.cli import _register, app
from luanchuyen.io import tables
from luanchuyen.models import Cadre, Move
from luanchuyen.models import enums as e
from luanchuyen.records.layout import Request
from records_sheets import board_workbook

runner = CliRunner()
_register()


def test_filled_template_reads_back_exactly(tmp_path: Path) -> None:
    out = tmp_path / "mau.xlsx"
    result = runner.invoke(app, ["template", "--out", str(out)])
    assert result.exit_code == 0, result.output
    wb = load_workbook(out)
    assert wb.sheetnames == ["Danh sách", "Danh mục", "Hướng dẫn"]
    ws = wb["Danh sách"]
    headers = [c.value for c in ws[1]]
    assert headers[:4] == ["Mã cán bộ", "Họ và tên", "Giới tính", "Ngày sinh"]
    assert len(ws.data_validations.dataValidation) >= 20
    assert ws.cell(row=2, column=headers.index("Ngày sinh") + 1).number_format == "DD/MM/YYYY"
    values = {
        "Mã cán bộ": "CB01", "Họ và tên": "Đinh Thị Năm", "Giới tính": "Nữ",
        "Ngày sinh": date(1985, 4, 30), "Đảng viên": "có", "Chức vụ hiện tại": "Phó Chủ tịch UBND xã",
        "Mã chức danh hiện tại": "pho_chu_tich_ubnd", "Cấp hiện tại": "Xã", "Cấp trưởng/phó": "Cấp phó",
        "Giữ chức vụ từ ngày": date(2021, 7, 1), "Kỷ luật (hình thức)": "không",
        "Xếp loại năm trước": "Hoàn thành tốt nhiệm vụ", "Hình thức": "Luân chuyển",
        "Vị trí đến": "Phó Trưởng phòng Nội vụ", "Mã chức danh đến": "pho_truong_phong",
        "Cấp đến": "Huyện", "Cấp trưởng/phó (đến)": "Cấp phó",
    }  # fmt: skip
    for header, value in values.items():
        ws.cell(row=2, column=headers.index(header) + 1, value=value)
    wb.save(out)
    frame = tables.read_table(out)
    assert frame.attrs["skipped_sheets"] == ["Hướng dẫn"]
    assert list(frame.index) == [2]
    req = tables.records(frame, as_of=date(2024, 6, 1))[0]
    assert isinstance(req, Request)
    cadre, move = Cadre.model_validate(req.cadre), Move.model_validate(req.move)
    assert cadre == Cadre.model_validate(
        {
            "id": "CB01", "name": "Đinh Thị Năm", "gender": "nu", "date_of_birth": "30/04/1985",
            "party_member": True, "disciplines": [], "ratings": {2023: "htt"},
            "current_post": {"title": "Phó Chủ tịch UBND xã", "title_code": "pho_chu_tich_ubnd",
                             "level": "xa", "role": "cap_pho", "since": "01/07/2021"},
        }
    )  # fmt: skip
    assert move.kind is e.MoveKind.LUAN_CHUYEN and move.target.role is e.PostRole.CAP_PHO
    assert move.target.title_code is e.TitleCode.PHO_TRUONG_PHONG


def test_titles_command_shows_codes_and_unknowns(tmp_path: Path) -> None:
    path = board_workbook(tmp_path / "ds.xlsx")
    result = runner.invoke(
        app, ["titles", str(path), "--column", "Vị trí đến", "--as-of", "01/06/2024"]
    )
    assert result.exit_code == 0, result.output
    assert "pho_chu_tich_ubnd" in result.output and "chu_tich_hdnd" in result.output
    bad = runner.invoke(app, ["titles", str(path), "--column", "Không có"])
    assert bad.exit_code == 2 and "invalid_value" in bad.output


def test_batch_on_a_board_sheet_says_where_ids_come_from(tmp_path: Path) -> None:
    path = board_workbook(tmp_path / "ds.xlsx")
    out = tmp_path / "kq.csv"
    result = runner.invoke(
        app,
        ["batch", str(path), "--as-of", "01/06/2024", "--out", str(out), "--backend", "reference"],
    )
    assert result.exit_code == 0, result.output
    assert "STT" in result.output and "group_incomplete" in result.output


def test_batch_exits_non_zero_when_every_row_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("Họ và tên,Ngày sinh\nA,31/02/1980\nB,hôm qua\n", encoding="utf-8")
    out = tmp_path / "kq.csv"
    result = runner.invoke(app, ["batch", str(path), "--as-of", "01/06/2024", "--out", str(out)])
    assert result.exit_code == 3, result.output
    assert "mọi dòng" in result.output
