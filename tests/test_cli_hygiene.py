"""CLI hygiene: choices refused by the CLI library, --version, ``-`` for stdin and stdout,
one JSON shape for ``check``, documented exit codes and ``--fail-on``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import luanchuyen as lc
from luanchuyen.cli import _register, app

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "examples" / "cases"
ONE = CASES / "02_chi_lang_c2.yaml"  # one case: eligible on its own date
TWO = CASES / "03_chi_lang_c3.yaml"  # two cases: eligible, not eligible
runner = CliRunner()
_register()


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"luanchuyen {lc.__version__}"


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["check", str(ONE), "--lang", "fr"], "--lang"),
        (["check", str(ONE), "--format", "xml"], "--format"),
        (["check", str(ONE), "--backend", "quantum"], "--backend"),
        (["check", str(ONE), "--fail-on", "maybe"], "--fail-on"),
        (["demo", "--lang", "de"], "--lang"),
        (["serve", "--backend", "x"], "--backend"),
        (["serve", "--port", "70000"], "--port"),
    ],
)
def test_bad_choices_are_refused(args: list[str], option: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert option in result.output


def test_json_is_always_an_array_and_jsonl_one_line_each() -> None:
    one = json.loads(runner.invoke(app, ["check", str(ONE), "--format", "json"]).output)
    two = json.loads(runner.invoke(app, ["check", str(TWO), "--format", "json"]).output)
    assert isinstance(one, list) and len(one) == 1
    assert isinstance(two, list) and len(two) == 2
    lines = runner.invoke(app, ["check", str(TWO), "--format", "jsonl"]).output.splitlines()
    assert [json.loads(line)["verdict"] for line in lines] == [d["verdict"] for d in two]


def test_stdin_and_stdout_dash() -> None:
    text = ONE.read_text(encoding="utf-8")
    result = runner.invoke(app, ["check", "-", "--format", "json", "--out", "-"], input=text)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)[0]["cadre_id"]


def test_out_file_is_written_whole(tmp_path: Path) -> None:
    out = tmp_path / "ket-qua.jsonl"
    result = runner.invoke(app, ["check", str(TWO), "--format", "jsonl", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output == ""
    assert len(out.read_text(encoding="utf-8").splitlines()) == 2
    assert [p.name for p in tmp_path.iterdir()] == ["ket-qua.jsonl"]  # no temporary left


def test_fail_on_exit_codes() -> None:
    assert runner.invoke(app, ["check", str(TWO)]).exit_code == 0
    assert runner.invoke(app, ["check", str(TWO), "--fail-on", "not_eligible"]).exit_code == 1
    assert runner.invoke(app, ["check", str(ONE), "--fail-on", "not_eligible"]).exit_code == 0
    both = ["check", str(ONE), "--fail-on", "unknown", "--fail-on", "eligible"]
    assert runner.invoke(app, both).exit_code == 1


def test_bad_input_exit_code_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["check", str(ONE), "--as-of", "31/02/2024"])
    assert result.exit_code == 2
    assert "invalid_date" in result.output
    assert runner.invoke(app, ["check", str(tmp_path / "none.yaml")]).exit_code == 2


def test_help_documents_the_exit_codes() -> None:
    result = runner.invoke(app, ["check", "--help"])
    assert "--fail-on" in result.output
    assert "exit codes" in result.output
