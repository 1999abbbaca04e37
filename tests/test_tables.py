"""Spreadsheet I/O: Vietnamese headers, cell conventions, round trips, writers, examples."""

from __future__ import annotations

import importlib.util
import json
from datetime import date, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import pandas as pd
import pytest
from openpyxl import load_workbook

from factories import base_cadre, base_move
from luanchuyen.errors import InputError
from luanchuyen.io import tables
from luanchuyen.io.tables import Layout
from luanchuyen.models import Cadre, Move, Position
from luanchuyen.models import enums as e
from luanchuyen.records.columns import HEADER_BY_PATH, header_key

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def _example_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "make_example_data", EXAMPLES / "make_example_data.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _read(headers: list[str], values: list[Any], as_of: date | None = date(2024, 6, 1)) -> Any:
    return Layout.resolve(headers).read(values, as_of=as_of)


# --------------------------------------------------------------------------- headers


def test_headers_match_without_diacritics_case_or_punctuation() -> None:
    layout = Layout.resolve(
        [
            "STT",
            "ma can bo",
            "HỌ VÀ TÊN",
            "Ngay sinh",
            "Cap truong pho",
            "current_post.level",
            "Cột lạ",
        ]
    )
    paths = [c.path for c in layout.columns]
    assert paths == [
        "cadre.id",
        "cadre.name",
        "cadre.date_of_birth",
        "cadre.current_post.role",
        "cadre.current_post.level",
    ]
    assert layout.unknown == ("Cột lạ",)  # STT is ignored silently


def test_every_header_and_alias_names_one_field_only() -> None:
    for columns in (
        (*tables.CADRE_COLUMNS, *tables.MOVE_COLUMNS, tables.AS_OF_COLUMN),
        tables.POSITION_COLUMNS,
    ):
        seen: dict[str, str] = {}
        for col in columns:
            plain = col.path.replace("[]", "")
            for name in {col.header, *col.aliases, plain}:
                key = header_key(name)
                assert seen.setdefault(key, col.path) == col.path, (name, seen[key], col.path)


def test_two_headers_for_one_field_is_a_file_error() -> None:
    with pytest.raises(InputError) as info:
        Layout.resolve(["Họ và tên", "Ho ten"])
    assert info.value.code == "invalid_input"
    assert "Họ và tên" in info.value.message_vi


def test_position_layout_accepts_target_headers() -> None:
    layout = Layout.resolve(["Vị trí đến", "Cấp", "Mã chức danh đến"], "position")
    assert [c.path for c in layout.columns] == [
        "position.title",
        "position.level",
        "position.title_code",
    ]


# --------------------------------------------------------------------------- cells


def test_empty_cell_is_unknown_and_khong_is_false() -> None:
    req = _read(
        ["Mã cán bộ", "Đảng viên", "Dân tộc thiểu số", "Đang bị điều tra"],
        ["CB1", "không", "", float("nan")],
    )
    assert req.cadre == {"id": "CB1", "party_member": False}


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("có", True), ("Có", True), ("x", True), ("1", True), (1.0, True), (True, True),
     ("không", False), ("Khong", False), ("0", False), (False, False), ("no", False)],
)  # fmt: skip
def test_boolean_cells(cell: Any, expected: bool) -> None:
    assert _read(["Đảng viên"], [cell]).cadre == {"party_member": expected}


def test_bad_boolean_names_the_column() -> None:
    with pytest.raises(InputError) as info:
        _read(["Mang thai"], ["có lẽ"])
    err = info.value
    assert err.code == "invalid_value"
    assert err.field == "cadre.family.pregnant"
    assert "Mang thai" in err.message_vi and "Mang thai" in err.message_en


@pytest.mark.parametrize(
    "cell",
    ["01/06/2024", "1/6/2024", "2024-06-01", "2024-06-01 00:00:00", date(2024, 6, 1),
     datetime(2024, 6, 1),  # noqa: DTZ001 - Excel date cells are naive
     pd.Timestamp("2024-06-01")],
)  # fmt: skip
def test_date_cells(cell: Any) -> None:
    assert _read(["Ngày quyết định"], [cell]).move == {"decision_date": date(2024, 6, 1)}


@pytest.mark.parametrize("cell", ["31/02/2024", "2024/06/01", "hôm qua", 12, "13/2024", True])
def test_bad_date_names_the_column(cell: Any) -> None:
    with pytest.raises(InputError) as info:
        _read(["Ngày quyết định"], [cell])
    assert info.value.code == "invalid_date"
    assert "Ngày quyết định" in info.value.message_vi


def test_birth_date_keeps_year_or_month_precision() -> None:
    excel_cell = datetime(1980, 5, 15)  # noqa: DTZ001 - Excel date cells are naive
    for cell, expected, precision in [
        (1980, date(1980, 1, 1), "year"), (1980.0, date(1980, 1, 1), "year"),
        ("05/1980", date(1980, 5, 1), "month"), (excel_cell, date(1980, 5, 15), "day"),
        ("15.05.1980", date(1980, 5, 15), "day"),
    ]:  # fmt: skip
        assert _read(["Ngày sinh"], [cell]).cadre == {
            "date_of_birth": expected,
            "birth_date_precision": precision,
        }


def test_enum_cells_parse_labels_and_codes() -> None:
    req = _read(
        ["Giới tính", "Cấp hiện tại", "Chức vụ hiện tại", "Hình thức", "Cấp đến", "Vị trí đến"],
        ["Nữ", "Huyện", "Phó Trưởng phòng Nội vụ", "Điều động", "xa", "Chuyên viên"],
    )
    assert req.cadre == {
        "gender": e.Gender.NU,
        "current_post": {
            "level": e.Level.HUYEN,
            "title": "Phó Trưởng phòng Nội vụ",
            "title_code": e.TitleCode.PHO_TRUONG_PHONG,
            "role": e.PostRole.CAP_PHO,
        },
    }
    assert req.move == {
        "kind": e.MoveKind.DIEU_DONG,
        "target": {
            "level": e.Level.XA,
            "title": "Chuyên viên",
            "title_code": e.TitleCode.CONG_CHUC,
            "role": e.PostRole.KHAC,
        },
    }


def test_bad_enum_names_the_column_and_the_allowed_codes() -> None:
    with pytest.raises(InputError) as info:
        _read(["Cấp hiện tại"], ["liên xã"])
    err = info.value
    assert err.code == "invalid_enum"
    assert "Cấp hiện tại" in err.message_vi
    assert "Huyện" in err.message_vi and "xa" in err.message_en  # vi: the words; en: the codes


def test_lists_split_on_semicolons_and_broadcast_single_values() -> None:
    req = _read(
        ["Kỷ luật (hình thức)", "Loại kỷ luật", "Ngày kỷ luật"],
        ["Khiển trách; Cảnh cáo", "Đảng", "01/02/2024; 15/05/2022"],
    )
    assert req.cadre == {
        "disciplines": [
            {"form": e.DisciplineForm.KHIEN_TRACH, "kind": e.DisciplineKind.DANG, "decision_date": date(2024, 2, 1)},
            {"form": e.DisciplineForm.CANH_CAO, "kind": e.DisciplineKind.DANG, "decision_date": date(2022, 5, 15)},
        ]
    }  # fmt: skip


def test_khong_in_a_list_group_means_known_empty() -> None:
    req = _read(
        ["Kỷ luật (hình thức)", "Ngày kỷ luật", "Bắt đầu luân chuyển"], ["không", "", "Không"]
    )
    assert req.cadre == {"disciplines": [], "rotation_history": []}
    assert _read(["Kỷ luật (hình thức)"], [""]).cadre is None  # unknown, not empty


def test_list_sizes_must_agree() -> None:
    with pytest.raises(InputError) as info:
        _read(
            ["Kỷ luật (hình thức)", "Ngày kỷ luật"],
            ["Khiển trách; Cảnh cáo", "01/02/2024; 01/03/2023; 01/01/2020"],
        )
    assert info.value.code == "invalid_value"
    assert "«;»" in info.value.message_vi


def test_ratings_by_year_and_previous_year() -> None:
    req = _read(
        ["Xếp loại 2022", "Xếp loại năm 2023", "Xếp loại năm trước"],
        ["HTT", "", "Hoàn thành xuất sắc nhiệm vụ"],
    )
    assert req.cadre == {"ratings": {2022: e.Rating.HTT, 2023: e.Rating.HTXS}}
    with pytest.raises(InputError) as info:
        _read(["Xếp loại năm trước"], ["htt"], as_of=None)
    assert info.value.code == "missing_field"


def test_row_as_of_overrides_the_batch_date() -> None:
    assert _read(["Ngày đánh giá"], ["01/03/2026"]).as_of == date(2026, 3, 1)
    assert _read(["Ngày đánh giá"], [""]).as_of == date(2024, 6, 1)


def test_header_for_maps_pydantic_locations_to_columns() -> None:
    layout = Layout.resolve(["Mã cán bộ", "Cấp quy hoạch", "Vị trí đến"])
    assert layout.header_for("cadre.planning.0.level") == "Cấp quy hoạch"
    assert layout.header_for("move.target") == "Vị trí đến"
    assert layout.header_for("cadre.health.fit") == "Đủ sức khỏe"  # canonical header
    assert layout.header_for("cadre") is None


def test_display_labels_fold_back_to_the_same_code() -> None:
    for enum in (e.Gender, e.Level, e.MoveKind, e.Rating, e.DisciplineForm, e.DisciplineKind,
                 e.PlanningStatus, e.FillMethod, e.PostRole, e.CommitteeRole, e.DegreeLevel,
                 e.PoliticalTheory, e.TitleCode):  # fmt: skip
        for member in enum:
            assert enum.parse(tables.display(member)) is member


# --------------------------------------------------------------------------- round trips


def _pairs() -> list[tuple[Cadre, Move]]:
    full = Cadre.model_validate(
        base_cadre(
            committee_memberships=[{"level": "huyen", "role": "uv_bch", "term": "2020-2025"}],
            planning=[
                {"title": "UV BCH", "title_code": "uv_bch", "level": "huyen", "approved_on": "10/01/2023"},
                {"title": "Trưởng phòng", "title_code": "truong_phong", "level": "huyen", "status": "da_dua_ra"},
            ],
            disciplines=[{"form": "khien_trach", "kind": "chinh_quyen", "decision_date": "01/02/2020", "effective_date": "05/02/2020"}],
            rotation_history=[{"from_post": "A", "to_post": "B", "start": "01/01/2018", "end": "31/12/2020"}],
            family={"pregnant": False, "has_children": True, "youngest_child_date_of_birth": "01/09/2023", "sole_carer": None},
            retirement_age_override_months=780,
            retirement_override_reason="NĐ 83/2022",
            degree="thac_si",
            political_theory="cao_cap",
        )
    )  # fmt: skip
    sparse = Cadre.model_validate(
        {"id": "S1", "name": "Vi Thị B", "gender": "nữ", "date_of_birth": "1979"}
    )
    move = Move.model_validate(
        base_move(
            decision_date="15/06/2024",
            special_case_requested=True,
            note="ghi chú; có dấu chấm phẩy",
        )
    )
    return [(full, move), (sparse, Move.model_validate(base_move(kind="dieu_dong")))]


def _models(layout: Layout, values: list[Any]) -> tuple[Cadre, Move]:
    req = layout.read(values, as_of=date(2024, 6, 1))
    return Cadre.model_validate(req.cadre), Move.model_validate(req.move)


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_models_round_trip_through_a_file(tmp_path: Path, suffix: str) -> None:
    pairs = _pairs()
    path = tables.write_table(tables.requests_frame(pairs), tmp_path / f"in{suffix}")
    frame = tables.read_table(path)
    assert list(frame.index) == [2, 3]
    layout = Layout.resolve(list(frame.columns))
    for (cadre, move), values in zip(pairs, frame.itertuples(index=False, name=None), strict=True):
        got_cadre, got_move = _models(layout, list(values))
        assert got_cadre == cadre
        assert got_move.model_dump() == {**move.model_dump(), "note": got_move.note}
    assert "chấm phẩy" in str(frame.iloc[0][HEADER_BY_PATH["move.note"]])


def test_cadre_and_position_frames_round_trip(tmp_path: Path) -> None:
    mod = _example_module()
    cadres, positions = mod.cadres(), mod.positions()
    cad = tables.read_table(tables.write_table(tables.cadres_frame(cadres), tmp_path / "c.xlsx"))
    layout = Layout.resolve(list(cad.columns), "cadre")
    for cadre, values in zip(cadres, cad.itertuples(index=False, name=None), strict=True):
        assert Cadre.model_validate(layout.read(list(values)).cadre) == cadre
    pos = tables.read_table(
        tables.write_table(tables.positions_frame(positions), tmp_path / "p.csv")
    )
    layout = Layout.resolve(list(pos.columns), "position")
    for position, values in zip(positions, pos.itertuples(index=False, name=None), strict=True):
        assert Position.model_validate(layout.read(list(values)).position) == position


def test_csv_with_semicolons_and_bom_and_blank_rows(tmp_path: Path) -> None:
    path = tmp_path / "excel-vn.csv"
    path.write_text(
        "\ufeffMã cán bộ;Họ và tên;Ngày sinh\nA1;Lê Văn A;01/02/1970\n;;\nA2;Lê Thị B;1975\n",
        encoding="utf-8",
    )
    frame = tables.read_table(path)
    assert list(frame.index) == [2, 4]
    assert list(frame["Họ và tên"]) == ["Lê Văn A", "Lê Thị B"]


# --------------------------------------------------------------------------- file errors


def test_unreadable_files_raise_table_file(tmp_path: Path) -> None:
    bad = tmp_path / "broken.xlsx"
    bad.write_bytes(b"not a zip file")
    for path in (tmp_path / "missing.xlsx", bad, tmp_path / "data.ods"):
        if path.suffix == ".ods":
            path.write_text("x")
        with pytest.raises(InputError) as info:
            tables.read_table(path)
        assert info.value.code == "table_file"
        assert path.name in info.value.message_vi


def test_jsonl_keeps_bad_lines_in_place(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text('{"cadre": {}, "move": {}}\n\n{oops\n[1, 2]\n', encoding="utf-8")
    items = tables.read_jsonl(path)
    assert isinstance(items[0], dict)
    assert isinstance(items[1], InputError) and items[1].field == "line 3"
    assert isinstance(items[2], InputError) and items[2].code == "invalid_input"


# --------------------------------------------------------------------------- writers


def _results() -> tuple[pd.DataFrame, pd.DataFrame]:
    from luanchuyen.batch import evaluate_many

    pairs: list[Any] = [(c, m) for c, m in _pairs()]
    pairs.append(
        ({"id": "BAD", "name": "Sai", "gender": "?", "date_of_birth": "1980"}, base_move())
    )
    return evaluate_many(pairs, as_of="2024-06-01", backend="reference", criteria=True)


def test_results_to_excel_colour_the_verdicts(tmp_path: Path) -> None:
    frame, crit = _results()
    path = tables.write_results(frame, tmp_path / "out.xlsx", criteria=crit)
    wb = load_workbook(path)
    assert wb.sheetnames == ["Kết quả", "Tóm tắt", "Tiêu chí"]
    ws = wb["Kết quả"]
    headers = [c.value for c in ws[1]]
    assert headers[:5] == ["Kết luận", "Lý do chính", "Dòng trong tệp", "Mã cán bộ", "Họ và tên"]
    col = headers.index("Kết luận") + 1
    colours = {
        ws.cell(row=r, column=col).value: ws.cell(row=r, column=col).fill.fgColor.rgb
        for r in range(2, 5)
    }
    assert colours["Lỗi dữ liệu"].endswith("D9D9D9")
    assert any(
        v.endswith(("C6EFCE", "FFC7CE", "FFEB9C", "E4DFEC"))
        for k, v in colours.items()
        if k != "Lỗi dữ liệu"
    )
    assert ws.cell(row=4, column=headers.index("Mã lỗi") + 1).value == "invalid_enum"
    assert wb["Tiêu chí"].max_row == len(crit) + 1
    total = [r for r in wb["Tóm tắt"].iter_rows(values_only=True) if r[0] == "Tổng"]
    assert total == [("Tổng", None, 3)]


def test_results_to_csv_and_jsonl(tmp_path: Path) -> None:
    frame, crit = _results()
    csv_path = tables.write_results(frame, tmp_path / "out.csv", criteria=crit)
    text = csv_path.read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("Kết luận,Lý do chính,Dòng trong tệp,Mã cán bộ")
    assert (tmp_path / "out.criteria.csv").is_file()
    jsonl = tables.write_results(frame, tmp_path / "out.jsonl", criteria=crit)
    lines = [json.loads(x) for x in jsonl.read_text(encoding="utf-8").splitlines()]
    assert (lines[-1]["status"], lines[-1]["verdict"]) == ("error", None)
    assert lines[0]["as_of"] == "2024-06-01"
    assert {c["rule_id"] for c in lines[0]["criteria"]} == set(
        crit.loc[crit["row"] == 0, "rule_id"]
    )
    assert lines[2]["criteria"] == []
    with pytest.raises(InputError):
        tables.write_results(frame, tmp_path / "out.txt.pdf")


def test_fixed_timestamp_gives_identical_bytes(tmp_path: Path) -> None:
    frame = tables.requests_frame(_pairs())
    stamp = datetime(2024, 6, 1)  # noqa: DTZ001
    a = tables.write_table(frame, tmp_path / "a.xlsx", timestamp=stamp).read_bytes()
    b = tables.write_table(frame, tmp_path / "b.xlsx", timestamp=stamp).read_bytes()
    assert a == b
    assert load_workbook(tmp_path / "a.xlsx").properties.modified == stamp


# --------------------------------------------------------------------------- examples and docs


def test_template_documents_every_column() -> None:
    text = (EXAMPLES / "spreadsheet-template.md").read_text(encoding="utf-8")
    assert tables.template_markdown() in text, "run: python examples/make_example_data.py"
    for col in (*tables.CADRE_COLUMNS, *tables.MOVE_COLUMNS, *tables.POSITION_COLUMNS):
        assert f"| {col.header} |" in text
    assert text.startswith("# Mẫu bảng tính")


def test_example_workbooks_are_current(tmp_path: Path) -> None:
    mod = _example_module()
    expected = {
        "cadres.xlsx": tables.cadres_frame(mod.cadres()),
        "positions.xlsx": tables.positions_frame(mod.positions()),
        "ke-hoach-2024.xlsx": tables.requests_frame(mod.plan_moves()),
    }
    for name, frame in expected.items():
        committed = tables.read_table(EXAMPLES / name)
        fresh = tables.read_table(tables.write_table(frame, tmp_path / name))
        pd.testing.assert_frame_equal(committed, fresh, obj=name)
    assert len(mod.cadres()) == 30


def test_records_reads_every_row_and_keeps_errors_in_place() -> None:
    frame = pd.DataFrame(
        {"Mã cán bộ": ["A1", "A2"], "Giữ chức vụ từ ngày": ["01/02/2020", "30/02/2020"]}
    )
    rows = tables.records(frame, "cadre")
    first = rows[0]
    assert isinstance(first, tables.Request)
    assert first.cadre == {"id": "A1", "current_post": None}  # a partial group stays unknown
    assert [n.code for n in first.notes] == ["group_incomplete"]
    assert "Chức vụ hiện tại" in first.notes[0].message_vi and first.notes[0].row == 0
    assert isinstance(rows[1], InputError)
    assert rows[1].message_vi.count("cột «Giữ chức vụ từ ngày»") == 1


def test_every_model_field_has_a_column() -> None:
    """A field added to the models needs a column here (or a documented reason not to)."""
    from pydantic import BaseModel

    from luanchuyen.models import (
        CommitteeMembership,
        CurrentPost,
        Discipline,
        Family,
        HealthCertificate,
        PlanningEntry,
        RotationRecord,
    )

    not_in_sheets = {
        "cadre.birth_date_precision",  # read from the cell: dd/mm/yyyy, mm/yyyy or yyyy
        "cadre.ratings",  # the «Xếp loại <năm>» columns
        "cadre.rotation_history[].ratings",  # the cadre's ratings cover the rotation years
        "cadre.rating_records",  # reviews by points (QĐ 366): YAML/JSON input for now
        "cadre.current_post.other_posts",  # several posts held at once: YAML/JSON input for now
    }
    nested: dict[str, type[BaseModel]] = {
        "cadre": Cadre,
        "cadre.current_post": CurrentPost,
        "cadre.committee_memberships[]": CommitteeMembership,
        "cadre.planning[]": PlanningEntry,
        "cadre.disciplines[]": Discipline,
        "cadre.health": HealthCertificate,
        "cadre.family": Family,
        "cadre.rotation_history[]": RotationRecord,
        "move": Move,
        "move.target": Position,
        "position": Position,
    }
    paths = {
        c.path for c in (*tables.CADRE_COLUMNS, *tables.MOVE_COLUMNS, *tables.POSITION_COLUMNS)
    }
    for prefix, model in nested.items():
        for name in model.model_fields:
            path = f"{prefix}.{name}"
            if path in nested or f"{path}[]" in nested or path in not_in_sheets:
                continue
            assert path in paths, f"no column for {path}"
