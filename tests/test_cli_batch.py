"""``luanchuyen batch`` and ``luanchuyen schema``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from factories import base_cadre, base_move
from luanchuyen.cli import _register, app
from luanchuyen.io import tables

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
runner = CliRunner()
_register()


def test_batch_flat_sheet_to_excel_with_criteria(tmp_path: Path) -> None:
    out = tmp_path / "ket-qua.xlsx"
    result = runner.invoke(
        app,
        ["batch", str(EXAMPLES / "ke-hoach-2024.xlsx"), "--as-of", "2024-06-01",
         "--rules", "chi-lang-2024", "--out", str(out), "--criteria", "--backend", "reference"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "15 dòng" in result.output and "eligible" in result.output
    wb = load_workbook(out)
    assert wb.sheetnames == ["Kết quả", "Tóm tắt", "Tiêu chí"]
    assert wb["Kết quả"].max_row == 16


def test_batch_cadres_times_positions_to_csv(tmp_path: Path) -> None:
    out = tmp_path / "cross.csv"
    result = runner.invoke(
        app,
        ["batch", str(EXAMPLES / "cadres.xlsx"), "--positions", str(EXAMPLES / "positions.xlsx"),
         "--kind", "Luân chuyển", "--as-of", "01/06/2024", "--rules", "chi-lang-2024", "--out", str(out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(out, encoding="utf-8-sig")
    assert len(frame) == 30 * 8
    assert set(frame["Hình thức"]) == {"Luân chuyển"}  # the kind in words, not its code
    assert frame["Dòng trong tệp"].iloc[0] == "2×2"


def test_batch_no_reasons_leaves_only_the_reason_out(tmp_path: Path) -> None:
    frames = []
    for flag in ("--reasons", "--no-reasons"):
        out = tmp_path / f"cross{flag}.csv"
        result = runner.invoke(
            app,
            ["batch", str(EXAMPLES / "cadres.xlsx"), "--positions", str(EXAMPLES / "positions.xlsx"),
             "--as-of", "01/06/2024", "--out", str(out), flag],
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        frames.append(pd.read_csv(out, encoding="utf-8-sig"))
    full, lean = frames
    ok = lean["Trạng thái"] != "Lỗi dữ liệu"
    assert full.loc[ok, "Lý do chính"].notna().all()
    assert lean.loc[ok, "Lý do chính"].isna().all()
    pd.testing.assert_frame_equal(
        full.drop(columns="Lý do chính"), lean.drop(columns="Lý do chính")
    )


def test_batch_jsonl_in_and_out_with_errors_and_strict(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    lines = [
        json.dumps({"cadre": base_cadre(), "move": base_move()}, ensure_ascii=False, default=str),
        json.dumps(
            {"cadre": base_cadre(gender="?"), "move": base_move()}, ensure_ascii=False, default=str
        ),
        "{not json",
    ]
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    args = ["batch", str(src), "--as-of", "2024-06-01", "--out", str(out), "--backend", "reference"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [r["status"] for r in rows] == ["ok", "error", "error"]
    assert [r["verdict"] for r in rows] == ["eligible", None, None]
    assert [r["error_code"] for r in rows] == [None, "invalid_enum", "invalid_input"]
    assert "Dòng lỗi" in result.output and "invalid_enum" in result.output
    assert runner.invoke(app, [*args, "--strict"]).exit_code == 1


def test_batch_two_inputs_are_labelled(tmp_path: Path) -> None:
    a = tables.write_table(
        tables.requests_frame([(base_cadre(id="A"), base_move())]), tmp_path / "a.csv"
    )
    b = tables.write_table(
        tables.requests_frame([(base_cadre(id="B"), base_move())]), tmp_path / "b.xlsx"
    )
    out = tmp_path / "out.jsonl"
    result = runner.invoke(
        app, ["batch", str(a), str(b), "--as-of", "2024-06-01", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [(r["source_file"], r["cadre_id"]) for r in rows] == [("a.csv", "A"), ("b.xlsx", "B")]


def test_batch_bad_arguments_exit_2(tmp_path: Path) -> None:
    sheet = str(EXAMPLES / "ke-hoach-2024.xlsx")
    out = str(tmp_path / "x.xlsx")
    cases = [
        ["--as-of", "31/02/2024", "--out", out],
        ["--as-of", "2024-06-01", "--out", out, "--backend", "magic"],
        ["--as-of", "2024-06-01", "--out", out, "--rules", "no-such-pack"],
        ["--as-of", "2024-06-01", "--out", out, "--positions", sheet, "--kind", "thuyên chuyển"],
        ["--as-of", "2024-06-01", "--out", str(tmp_path / "x.pdf")],
    ]
    for extra in cases:
        result = runner.invoke(app, ["batch", sheet, *extra])
        assert result.exit_code == 2, (extra, result.output)
        assert "Lỗi [" in result.output and "Error [" in result.output
    missing = runner.invoke(
        app, ["batch", str(tmp_path / "none.xlsx"), "--as-of", "2024-06-01", "--out", out]
    )
    assert missing.exit_code == 2 and "table_file" in missing.output


def test_schema_commands() -> None:
    one = runner.invoke(app, ["schema", "cadre"])
    assert one.exit_code == 0, one.output
    schema = json.loads(one.output)
    assert schema["title"] == "Cadre" and "date_of_birth" in schema["properties"]
    every = json.loads(runner.invoke(app, ["schema"]).output)
    assert set(every) == {"cadre", "position", "move", "case", "decision"}
    assert "target" in every["move"]["properties"]
    bad = runner.invoke(app, ["schema", "cán bộ"])
    assert bad.exit_code == 2 and "invalid_value" in bad.output


def test_batch_shows_progress_on_long_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import luanchuyen.cli.batch as cli_batch

    monkeypatch.setattr(cli_batch, "_PROGRESS_FROM", 1)
    seen: list[int] = []
    real = cli_batch._RichProgress.__enter__

    def spy(self: Any) -> Any:
        advance = real(self)

        def record(done: int) -> None:
            seen.append(done)
            advance(done)

        return record

    monkeypatch.setattr(cli_batch._RichProgress, "__enter__", spy)
    out = tmp_path / "o.csv"
    args = ["batch", str(EXAMPLES / "ke-hoach-2024.xlsx"), str(EXAMPLES / "ke-hoach-2024.xlsx"),
            "--as-of", "2024-06-01", "--rules", "chi-lang-2024", "--out", str(out)]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert seen == [15, 30]  # the second file continues from the first
