"""Issue 17 items 5 and 9: outputs are never half-written, never overwrite the input, never
carry a live formula.

On main, killing ``luanchuyen batch`` left a truncated CSV that looked complete (6,737 of 50,000
rows) or a corrupt xlsx under the final name, SIGINT exited 130 with no message, ``--out`` equal
to the input overwrote the input, and a name starting with ``=`` became a live formula (20
formula cells in a 7-row sheet) and was written raw to CSV.
"""

from __future__ import annotations

import csv
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from factories import base_cadre, base_move
from luanchuyen.batch import evaluate_many
from luanchuyen.io import tables
from luanchuyen.io.safe_write import leftover_temporary_files

ROOT = Path(__file__).resolve().parents[2]
ROWS = 400
CLI = [sys.executable, "-c", "from luanchuyen.cli import main; main()"]
HOSTILE = [
    "=1+1",
    "+SUM(A1)",
    "-2+3",
    "@A1",
    '\t=HYPERLINK("x")',
    "\r=1",
    "\uff1dcmd|' /C calc'!A0",
]


def _cli_entry() -> list[str]:
    exe = Path(sys.executable).with_name("luanchuyen")
    return [str(exe)] if exe.exists() else CLI


def _input(tmp_path: Path, n: int) -> Path:
    pairs = [(base_cadre(id=f"C{i}", name=f"Cán bộ {i}"), base_move()) for i in range(n)]
    return tables.write_table(tables.requests_frame(pairs), tmp_path / "in.csv")


def _run(args: list[str], **kw: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*_cli_entry(), "batch", *args], cwd=ROOT, capture_output=True, text=True, timeout=300, **kw
    )  # type: ignore[call-overload, no-any-return]


@pytest.mark.slow
@pytest.mark.parametrize("suffix", [".csv", pytest.param(".xlsx", marks=pytest.mark.soak)])
def test_a_killed_batch_leaves_the_previous_output_whole(tmp_path: Path, suffix: str) -> None:
    src = _input(tmp_path, ROWS)
    out = tmp_path / f"out{suffix}"
    started = time.monotonic()
    first = _run([str(src), "--as-of", "01/06/2024", "--out", str(out), "--backend", "reference"])
    took = time.monotonic() - started
    assert first.returncode == 0, first.stderr
    good = out.read_bytes()
    for sig, share in ((signal.SIGKILL, 0.6), (signal.SIGKILL, 0.95), (signal.SIGINT, 0.8)):
        delay = took * share
        before = set(leftover_temporary_files(tmp_path))  # a SIGKILL cannot clean up after itself
        proc = subprocess.Popen(
            [*_cli_entry(), "batch", str(src), "--as-of", "01/06/2024", "--out", str(out),
             "--backend", "reference", "--criteria"],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        time.sleep(delay)
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=120)
        now = out.read_bytes()
        if proc.returncode == 0:  # it finished first: a whole new file
            good = now
        else:
            assert now == good, f"{sig!r} after {delay}s changed the output"
        if sig == signal.SIGINT and proc.returncode != 0:
            assert proc.returncode == 130
            assert "Ctrl-C" in err
        if sig != signal.SIGKILL:  # an interrupted run leaves no temporary file of its own
            assert set(leftover_temporary_files(tmp_path)) - before == set()
    if suffix == ".csv":
        with out.open(encoding="utf-8-sig") as fh:
            assert sum(1 for _ in csv.reader(fh)) == ROWS + 1
    else:
        zipfile.ZipFile(out).testzip()


def test_out_equal_to_the_input_is_refused(tmp_path: Path) -> None:
    src = _input(tmp_path, 3)
    before = src.read_bytes()
    done = _run([str(src), "--as-of", "01/06/2024", "--out", str(src)])
    assert done.returncode != 0
    assert "invalid_value" in done.stderr or "input" in done.stderr
    assert src.read_bytes() == before


def _hostile_frame():  # type: ignore[no-untyped-def]
    pairs = []
    for i, name in enumerate(HOSTILE):
        move = base_move()
        move["target"] = {**move["target"], "title": name, "body": name}
        pairs.append((base_cadre(id=name if i % 2 else f"C{i}", name=name), move))
    return evaluate_many(pairs, as_of="01/06/2024", backend="reference", criteria=True)


def test_no_formula_cell_in_a_hostile_results_workbook(tmp_path: Path) -> None:
    frame, crit = _hostile_frame()
    path = tables.write_results(frame, tmp_path / "r.xlsx", criteria=crit)
    with zipfile.ZipFile(path) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/")]
        formulas = sum(z.read(n).count(b"<f>") + z.read(n).count(b"<f ") for n in sheets)
    assert formulas == 0
    from openpyxl import load_workbook

    ws = load_workbook(path)["Kết quả"]
    values = {c.value for row in ws.iter_rows() for c in row}
    assert "=1+1" in values  # kept as text, not lost
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)


def test_no_formula_in_a_hostile_csv_and_the_pair_is_written_together(tmp_path: Path) -> None:
    frame, crit = _hostile_frame()
    path = tables.write_results(frame, tmp_path / "r.csv", criteria=crit)
    for p in (path, path.with_suffix(".criteria.csv")):
        with p.open(encoding="utf-8-sig") as fh:
            for row in csv.reader(fh):
                for cell in row:
                    assert cell[:1] not in {"=", "+", "-", "@", "\t", "\r", "\uff1d"}, cell
    assert leftover_temporary_files(tmp_path) == []
    assert path.with_suffix(".criteria.csv").stat().st_size > 0


def test_results_workbooks_are_byte_reproducible(tmp_path: Path) -> None:
    frame, crit = _hostile_frame()
    a = tables.write_results(frame, tmp_path / "a.xlsx", criteria=crit).read_bytes()
    time.sleep(1.1)  # the clock moves on; the bytes must not
    b = tables.write_results(frame, tmp_path / "b.xlsx", criteria=crit).read_bytes()
    assert a == b
