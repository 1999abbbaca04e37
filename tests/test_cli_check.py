"""``luanchuyen check`` and ``luanchuyen demo``."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from luanchuyen.cli import _register, app

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "examples" / "cases"
runner = CliRunner()
_register()


def test_check_text_vi() -> None:
    result = runner.invoke(app, ["check", str(CASES / "02_chi_lang_c2.yaml")])
    assert result.exit_code == 0, result.output
    assert "ĐỦ ĐIỀU KIỆN" in result.output
    assert "chilang_c2_bch_two_terms" in result.output
    assert "Căn cứ" in result.output


def test_check_json_en_and_as_of_override() -> None:
    result = runner.invoke(
        app,
        [
            "check",
            str(CASES / "02_chi_lang_c2.yaml"),
            "--format",
            "json",
            "--as-of",
            "2025-04-15",
            "--backend",
            "reference",
        ],
    )
    assert result.exit_code == 0, result.output
    (data,) = json.loads(result.output)  # always an array, even for one case
    assert data["verdict"] == "not_eligible"
    assert "moratorium_kl128" in data["blocking"]
    assert data["provenance"]["as_of"] == "2025-04-15"


def test_check_many_cases_json_is_a_list() -> None:
    result = runner.invoke(
        app, ["check", str(CASES / "03_chi_lang_c3.yaml"), "--format", "json", "--lang", "en"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [d["verdict"] for d in data] == ["eligible", "not_eligible"]


def test_check_english_text() -> None:
    result = runner.invoke(app, ["check", str(CASES / "03_chi_lang_c3.yaml"), "--lang", "en"])
    assert "NOT ELIGIBLE" in result.output and "Path C3 needs 3 terms" in result.output


def test_check_bad_file_is_a_coded_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "name: x\nas_of: 2024-06-01\ncadre: {id: a}\nmove: {kind: luan_chuyen}\n", encoding="utf-8"
    )
    result = runner.invoke(app, ["check", str(bad)])
    assert result.exit_code == 2
    assert "missing_field" in result.output


def test_check_unknown_pack(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["check", str(CASES / "02_chi_lang_c2.yaml"), "--rules", "atlantis"]
    )
    assert result.exit_code == 2
    assert "no_pack" in result.output


def test_demo_runs_every_example() -> None:
    result = runner.invoke(app, ["demo", str(ROOT / "examples")])
    assert result.exit_code == 0, result.output
    for name in ("C1", "C2", "C3", "C5", "Q3", "2026"):
        assert name in result.output
