"""Tables read column by column (issue 14, columnar input): ``Layout.read_many`` gives, row for
row, the ``Request`` that ``Layout.read`` gives (or leaves the row to it, which then gives its
exact error), and ``evaluate_many`` on a table with the vector backend gives the frame it gave
before (and that the reference backend gives) on the synthetic population, the bundled example
sheets, a board-style sheet and a bad-input table built from the reliability corpus."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml

import luanchuyen.batch._rows as rows_mod
from luanchuyen import load_rules
from luanchuyen.batch import cross, evaluate_many
from luanchuyen.batch._intake import _items, _layout
from luanchuyen.errors import InputError
from luanchuyen.io.files import read_table
from luanchuyen.records.columns import (
    AS_OF_COLUMN,
    CADRE_COLUMNS,
    MOVE_COLUMNS,
    RATING_HEADER,
)
from luanchuyen.records.frames import requests_frame
from luanchuyen.records.layout import Layout, Request
from records_sheets import board_workbook, two_row_header_workbook

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from synth import population  # noqa: E402

E1 = date(2024, 6, 1)
CORPUS = ROOT / "tests" / "reliability" / "corpus" / "cases"


# ------------------------------------------------------------------------------------ tables


def _get(node: Any, path: list[str]) -> Any:
    for p in path:
        if not isinstance(node, dict):
            return None
        node = node.get(p)
    return node


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "có" if value else "không"
    return value


def _flat(case: dict[str, Any]) -> dict[str, Any]:
    """A case file's cadre and move, as written (no validation), in the flat layout."""
    raw = {"cadre": case.get("cadre"), "move": case.get("move")}
    row: dict[str, Any] = {}
    for col in (*CADRE_COLUMNS, *MOVE_COLUMNS):
        if col.group is None:
            value = _get(raw, col.path.split("."))
            if value is not None and not isinstance(value, dict | list):
                row[col.header] = _cell(value)
            continue
        items = _get(raw, col.group.split("."))
        if isinstance(items, list) and items:
            cells = [str(_cell(i.get(col.leaf, ""))) if isinstance(i, dict) else "" for i in items]
            if any(cells):
                row[col.header] = ";".join(cells)
    ratings = _get(raw, ["cadre", "ratings"])
    if isinstance(ratings, dict):
        for year, band in ratings.items():
            row[RATING_HEADER.format(year=year)] = band
    if case.get("as_of") is not None:
        row[AS_OF_COLUMN.header] = case["as_of"]
    return row


def _corpus_table() -> pd.DataFrame:
    """Every corpus case with a cadre and a move, one row each, cells as the file writes them
    (bad dates, codes, yes/no and numbers; date orders, births after the as-of date…)."""
    rows = []
    for path in sorted(CORPUS.iterdir()):
        try:
            text = path.read_text(encoding="utf-8")
            case = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
        except (UnicodeDecodeError, ValueError, yaml.YAMLError):
            continue
        if isinstance(case, dict) and isinstance(case.get("cadre"), dict):
            rows.append(_flat(case))
    frame = pd.DataFrame(rows)
    frame.index = pd.RangeIndex(2, 2 + len(frame))
    return frame


def _synth_frame(n: int = 300) -> pd.DataFrame:
    return requests_frame(population(n, seed=14))


def _board_frame(tmp: Path) -> pd.DataFrame:
    """Two board-style sheets in one workbook (title rows, numbering line, free-text titles)."""
    return read_table(board_workbook(tmp / "board.xlsx", sheets=2))


def _two_row_frame(tmp: Path) -> pd.DataFrame:
    return read_table(two_row_header_workbook(tmp / "two-rows.xlsx"))


def _examples_frame() -> pd.DataFrame:
    frame = cross(read_table(ROOT / "examples" / "cadres.xlsx"),
                  read_table(ROOT / "examples" / "positions.xlsx"))  # fmt: skip
    assert isinstance(frame, pd.DataFrame)
    return frame


def _read_each(layout: Layout, items: list[Any]) -> list[Request | InputError]:
    out: list[Request | InputError] = []
    for it in items:
        try:
            out.append(layout.read(it.cells, as_of=E1, row=it.source_row))
        except InputError as exc:
            out.append(exc)
    return out


def _tables(tmp: Path) -> dict[str, pd.DataFrame]:
    return {
        "synth": _synth_frame(),
        "examples": _examples_frame(),
        "board": _board_frame(tmp),
        "two_rows": _two_row_frame(tmp),
        "corpus": _corpus_table(),
    }


@pytest.fixture(scope="module")
def tables(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pd.DataFrame]:
    return _tables(tmp_path_factory.mktemp("tables"))


# --------------------------------------------------------------------------- read_many = read


@pytest.mark.parametrize("name", ["synth", "examples", "board", "two_rows", "corpus"])
def test_read_many_gives_what_read_gives(tables: dict[str, pd.DataFrame], name: str) -> None:
    frame = tables[name]
    items, headers = _items(frame)
    layout = _layout(headers)
    assert layout is not None
    one = _read_each(layout, items)
    many = layout.read_many([it.cells for it in items], as_of=E1,
                            labels=[it.source_row for it in items])  # fmt: skip
    assert len(many) == len(one)
    for i, (a, b) in enumerate(zip(one, many, strict=True)):
        if b is None:  # left to read(): a row that does not read is always left
            continue
        assert isinstance(a, Request), (name, i, a)
        assert b == a, (name, i)
    # every row that reads is taken by the column way on these tables, none that does not
    taken = [b is not None for b in many]
    reads = [isinstance(a, Request) for a in one]
    assert taken == reads


def test_the_corpus_table_has_bad_cells_and_bad_rows(tables: dict[str, pd.DataFrame]) -> None:
    result = evaluate_many(tables["corpus"], as_of=E1, rules=load_rules("qd65"))
    codes = set(result["error_code"].dropna())
    assert {"invalid_date", "invalid_enum", "invalid_value", "missing_field",
            "birth_after_as_of", "date_order"} <= codes  # fmt: skip
    assert (result["status"] == "ok").any()


def test_read_many_leaves_unusual_cells_to_read() -> None:
    headers = ["Mã cán bộ", "Họ và tên", "Giới tính", "Ngày sinh", "Dự kiến bắt đầu"]
    layout = Layout.resolve(headers, "flat")
    rows = [
        ("A1", "Lê Văn A", "Nam", "01/02/1970", None),
        ("A2", "Lê Văn B", ["nested"], "01/02/1970", None),  # a JSON list in a cell
        ("A3", "Lê Văn C", "Nam", "31/02/1970", None),  # no such date
        ("A4", "Lê Văn D", {"a": 1}, "01/02/1970", None),  # a mapping in a cell
        ("A5", "Lê Văn E", "Nữ", "8/1975", "8/2024"),  # a month only: a note, as read() gives
    ]
    many = layout.read_many(rows, as_of=E1, labels=[2, 3, 4, 5, 6])
    assert [m is None for m in many] == [False, True, True, True, False]
    assert many[0] == layout.read(rows[0], as_of=E1, row=2)
    assert many[4] == layout.read(rows[4], as_of=E1, row=6)
    assert many[4] is not None and [n.code for n in many[4].notes] == ["date_month_only"]
    with pytest.raises(InputError) as exc:
        layout.read(rows[2], as_of=E1, row=4)
    assert exc.value.code == "invalid_date"


def _same_cell(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float) and a != a and b != b:  # NaN
        return True
    return type(a) is type(b) and bool(a == b)


@pytest.mark.parametrize("name", ["synth", "examples", "board", "two_rows", "corpus"])
def test_cells_are_those_itertuples_gives(tables: dict[str, pd.DataFrame], name: str) -> None:
    frame = tables[name]
    items, _ = _items(frame)
    rows = list(frame.itertuples(index=False, name=None))
    assert len(items) == len(rows)
    for it, row in zip(items, rows, strict=True):
        assert it.cells is not None and len(it.cells) == len(row)
        assert all(_same_cell(a, b) for a, b in zip(it.cells, row, strict=True)), it.row


def test_a_short_row_goes_to_read() -> None:
    layout = Layout.resolve(["Mã cán bộ", "Họ và tên"], "flat")
    assert layout.read_many([("A1",)], as_of=E1) == [None]


# ------------------------------------------------------------------- evaluate_many unchanged


def _row_by_row(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rows_mod, "_read_columns", lambda items, layout, day: [None] * len(items))


@pytest.mark.parametrize("name", ["synth", "examples", "board", "two_rows", "corpus"])
def test_evaluate_many_frame_is_unchanged(
    tables: dict[str, pd.DataFrame], name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    frame = tables[name]
    rules = load_rules("qd65", "nha-nuoc")
    for reasons in (False, True):
        columns = evaluate_many(frame, as_of=E1, rules=rules, reasons=reasons)
        with monkeypatch.context() as m:
            _row_by_row(m)
            before = evaluate_many(frame, as_of=E1, rules=rules, reasons=reasons)
        pd.testing.assert_frame_equal(columns, before)
    reference = evaluate_many(frame, as_of=E1, rules=rules, backend="reference")
    pd.testing.assert_frame_equal(evaluate_many(frame, as_of=E1, rules=rules), reference)


def test_a_clean_table_is_read_by_columns_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """No row of a clean table is read row by row (no mapping, no model a row)."""
    import luanchuyen.batch._columnar as columnar

    calls: list[int] = []
    original = columnar.read_coded

    def spy(layout: Layout, columns: Any, **kw: Any) -> Any:
        calls.append(len(kw["labels"]))
        return original(layout, columns, **kw)

    monkeypatch.setattr(columnar, "read_coded", spy)
    monkeypatch.setattr(Layout, "read_many", lambda *a, **k: pytest.fail("read_many()"))
    monkeypatch.setattr(Layout, "read", lambda *a, **k: pytest.fail("read() on a clean table"))
    frame = _synth_frame(40)
    result = evaluate_many(frame, as_of=E1, rules=load_rules("qd65"), reasons=False)
    assert calls == [40] and (result["status"] == "ok").all()


def test_an_arrow_table_gives_the_frame_result(tables: dict[str, pd.DataFrame]) -> None:
    pa = pytest.importorskip("pyarrow")
    frame = tables["synth"]
    rules = load_rules("qd65")
    table = pa.Table.from_pandas(frame)
    pd.testing.assert_frame_equal(
        evaluate_many(table, as_of=E1, rules=rules, reasons=False),
        evaluate_many(frame, as_of=E1, rules=rules, reasons=False),
    )
