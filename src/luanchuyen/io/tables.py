"""Bảng tính cho xử lý hàng loạt / spreadsheets for batch work: the facade of :mod:`luanchuyen.io`.

Organisation boards keep cadres and posts in Excel. The reading side lives in small modules,
re-exported here:

* :mod:`luanchuyen.records.columns` — the column catalogue (headers, fields, kinds, aliases);
* :mod:`luanchuyen.records.cells` — cells as people write them (dates, yes/no, ratings, discipline);
* :mod:`luanchuyen.records.layout` — finding the header, reading a row (every error, notes);
* :mod:`luanchuyen.io.files` — reading files (encodings, several sheets, size limits);
* :mod:`luanchuyen.records.frames` — table ↔ rows and models;
* :mod:`luanchuyen.records.titles` — free-text titles → title codes;
* :mod:`luanchuyen.io.db` — databases through SQLAlchemy.

Three layouts exist: **flat** (one row per cadre × move), **cadre** (one row per cadre,
crossed with positions by :func:`luanchuyen.batch.cross`) and **position**. An **empty cell
is unknown**; see ``examples/spreadsheet-template.md`` for every column and convention.

pandas and openpyxl are imported only when a file is read or written.

>>> layout = Layout.resolve(["STT", "Họ và tên", "Ngày tháng năm sinh", "Chức vụ"], "cadre")
>>> [c.path for c in layout.columns], layout.id_source
(['cadre.name', 'cadre.date_of_birth', 'cadre.current_post.title'], 'stt')
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from luanchuyen.io.files import (
    CSV_SUFFIXES as _CSV,
)
from luanchuyen.io.files import (
    EXCEL_SUFFIXES as _EXCEL,
)
from luanchuyen.io.files import (
    JSONL_SUFFIXES as _JSONL,
)
from luanchuyen.io.files import (
    Limits,
    read_jsonl,
    read_requests,
    read_sheets,
    read_table,
)
from luanchuyen.io.files import (
    file_error as _file_error,
)
from luanchuyen.models.enums import CodedEnum
from luanchuyen.records.cells import is_empty as _is_empty
from luanchuyen.records.columns import (
    AS_OF_COLUMN,
    CADRE_COLUMNS,
    FLAT_COLUMNS,
    HEADER_BY_PATH,
    MOVE_COLUMNS,
    POSITION_COLUMNS,
    Column,
    LayoutKind,
    enum_for,
    target_header,
)
from luanchuyen.records.frames import (
    cadres_frame,
    display,
    positions_frame,
    read_notes,
    records,
    requests_frame,
)
from luanchuyen.records.layout import Layout, Request
from luanchuyen.render.workbook import criteria_sheet, result_sheet, result_sheets

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "AS_OF_COLUMN",
    "CADRE_COLUMNS",
    "MOVE_COLUMNS",
    "POSITION_COLUMNS",
    "Column",
    "Layout",
    "LayoutKind",
    "Limits",
    "Request",
    "cadres_frame",
    "display",
    "positions_frame",
    "read_jsonl",
    "read_notes",
    "read_requests",
    "read_sheets",
    "read_table",
    "records",
    "requests_frame",
    "target_header",
    "template_markdown",
    "write_jsonl",
    "write_results",
    "write_table",
]

_HEADER_BY_PATH: Final = HEADER_BY_PATH
_FLAT_COLUMNS: Final = FLAT_COLUMNS


# --------------------------------------------------------------------------- writing files


def _plain(value: Any) -> Any:
    """A frame value as a file cell: lists joined with ``; ``, NA → empty."""
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    if _is_empty(value):
        return None
    if isinstance(value, bool):
        return "có" if value else "không"
    if hasattr(value, "item") and not isinstance(value, str | date):  # numpy scalars
        return value.item()
    return value


def _write_sheet(
    wb: Any,
    title: str,
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    fill: Callable[[int, int, Any], str | None] | None = None,
    autofilter: bool = False,
    freeze: str = "A2",
) -> None:
    """Append a sheet to a write-only workbook: bold header, widths, frozen header, dates.

    ``fill(row_index, column_index, value)`` may return a background colour for a cell;
    ``autofilter`` puts a filter on the header row; ``freeze`` is the first cell that scrolls.
    """
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from luanchuyen.io.safe_write import formula_like, text_cell

    ws = wb.create_sheet(title[:31])
    widths = [min(max(len(str(h)), 8), 40) for h in headers]
    for row in rows:
        for i, v in enumerate(row):
            if v is not None and i < len(widths):
                width = 11 if isinstance(v, date) else len(str(v)) + 1
                widths[i] = min(max(widths[i], width), 60)
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.freeze_panes = freeze
    if autofilter and headers:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(rows) + 1}"
    bold = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="DDEBF7")
    wrap = Alignment(wrap_text=True, vertical="top")
    header_cells = []
    for h in headers:
        cell = text_cell(ws, h) if formula_like(h) else WriteOnlyCell(ws, value=h)
        cell.font, cell.fill, cell.alignment = bold, head_fill, wrap
        header_cells.append(cell)
    ws.append(header_cells)
    fills: dict[str, Any] = {}
    for r, row in enumerate(rows):
        out: list[Any] = []
        for c, v in enumerate(row):
            colour = fill(r, c, v) if fill is not None else None
            if formula_like(v):  # never a live formula (issue 17 item 9)
                cell = text_cell(ws, v)
            elif colour is None and not isinstance(v, date):
                out.append(v)
                continue
            else:
                cell = WriteOnlyCell(ws, value=v)
            if isinstance(v, date):
                cell.number_format = "DD/MM/YYYY"
            if colour is not None:
                cell.fill = fills.setdefault(colour, PatternFill("solid", fgColor=colour))
                cell.font = bold
            out.append(cell)
        ws.append(out)


def _save_workbook(wb: Any, path: Path, stamp: datetime | None) -> None:
    """Save a workbook atomically with fixed times inside (the same table, the same bytes)."""
    from luanchuyen.io.safe_write import save_workbook

    save_workbook(wb, path, stamp)


def write_table(
    frame: pd.DataFrame,
    path: str | os.PathLike[str],
    *,
    sheet_name: str = "Dữ liệu",
    timestamp: datetime | None = None,
) -> Path:
    """Write an input table (flat, cadre or position layout) to .xlsx or .csv.

    Dates become Excel date cells shown ``dd/mm/yyyy`` (in CSV: ``dd/mm/yyyy`` text). With
    ``timestamp`` the workbook's stored times are fixed, so the same table gives the same
    bytes (openpyxl otherwise stamps the current time).
    """
    p = Path(path)
    suffix = p.suffix.lower()
    records = [[_plain(v) for v in row] for row in frame.itertuples(index=False, name=None)]
    headers = [str(c) for c in frame.columns]
    if suffix in _EXCEL:
        from openpyxl import Workbook

        wb = Workbook(write_only=True)
        _write_sheet(wb, sheet_name, headers, records)
        _save_workbook(wb, p, timestamp)
    elif suffix in _CSV:
        from luanchuyen.io.safe_write import atomic_path

        with atomic_path(p) as tmp:
            _write_csv(tmp, headers, records, sep="\t" if suffix == ".tsv" else ",")
    else:
        raise _file_error(p, "chỉ ghi được .xlsx hoặc .csv", "only .xlsx or .csv can be written")
    return p


def _write_csv(p: Path, headers: Sequence[str], rows: Iterable[Sequence[Any]], sep: str) -> None:
    import csv

    from luanchuyen.io.safe_write import neutralise

    with p.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, delimiter=sep)
        writer.writerow([neutralise(h) for h in headers])
        for row in rows:
            writer.writerow(
                [
                    ""
                    if v is None
                    else (v.strftime("%d/%m/%Y") if isinstance(v, date) else neutralise(v))
                    for v in row
                ]
            )


def _json_value(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    if _is_empty(value):
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "item") and not isinstance(value, str):
        return value.item()
    return value


def write_jsonl(records: Iterable[Mapping[str, Any]], path: str | os.PathLike[str]) -> Path:
    """Write mappings as JSON Lines (UTF-8, dates ISO ``yyyy-mm-dd``, keys in order)."""
    from luanchuyen.io.safe_write import atomic_path

    p = Path(path)
    with atomic_path(p) as tmp, tmp.open("w", encoding="utf-8") as fh:
        for rec in records:
            fh.write(json.dumps({k: _json_value(v) for k, v in rec.items()}, ensure_ascii=False))
            fh.write("\n")
    return p


def write_results(
    frame: pd.DataFrame,
    path: str | os.PathLike[str],
    *,
    criteria: pd.DataFrame | None = None,
) -> Path:
    """Write batch results to .xlsx (coloured verdicts), .csv or .jsonl.

    * ``.xlsx``: sheet «Kết quả» with Vietnamese headers and the verdict cell coloured
      (green eligible, red not eligible, amber review, violet unknown, grey error), sheet
      «Tóm tắt» (counts by verdict) and, when ``criteria`` is given, sheet «Tiêu chí».
    * ``.csv``: the results with Vietnamese headers (UTF-8 with BOM so Excel shows the
      accents); the criteria, if given, go to ``<name>.criteria.csv`` beside it.
    * ``.jsonl``: one object per row with the English column names; the criteria, if given,
      are nested under ``criteria``.
    """
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix in _EXCEL:
        from openpyxl import Workbook  # deferred: openpyxl, the ``analysis`` extra

        wb = Workbook(write_only=True)
        for sheet in result_sheets(frame, criteria, _plain):
            _write_sheet(
                wb,
                sheet.title,
                sheet.headers,
                sheet.rows,
                fill=sheet.fill,
                autofilter=sheet.autofilter,
                freeze=sheet.freeze,
            )
        _save_workbook(wb, p, None)
    elif suffix in _CSV:
        from luanchuyen.io.safe_write import atomic_paths

        results = result_sheet(frame, _plain)
        targets = [p] if criteria is None else [p, p.with_suffix(".criteria" + suffix)]
        with atomic_paths(targets) as tmps:  # both files of the pair, or neither
            _write_csv(
                tmps[0], results.headers, results.rows, sep="\t" if suffix == ".tsv" else ","
            )
            if criteria is None:
                return p
            crit = criteria_sheet(criteria, _plain)
            _write_csv(
                tmps[1],
                crit.headers,
                crit.rows,
                sep="\t" if suffix == ".tsv" else ",",
            )
    elif suffix in _JSONL:
        by_row: dict[int, list[dict[str, Any]]] = {}
        if criteria is not None:
            for rec in criteria.to_dict("records"):
                by_row.setdefault(int(rec["row"]), []).append(
                    {str(k): v for k, v in rec.items() if k not in {"row", "cadre_id", "target_id"}}
                )
        records = []
        for rec in frame.to_dict("records"):
            out = {str(k): v for k, v in rec.items()}
            if criteria is not None:
                out["criteria"] = [
                    {k: _json_value(v) for k, v in c.items()}
                    for c in by_row.get(int(rec["row"]), [])
                ]
            records.append(out)
        write_jsonl(records, p)
    else:
        raise _file_error(
            p, "chỉ ghi được .xlsx, .csv hoặc .jsonl", "only .xlsx, .csv or .jsonl can be written"
        )
    return p


# --------------------------------------------------------------------------- documentation


def template_markdown() -> str:
    """The column reference of ``examples/spreadsheet-template.md`` (generated from the code)."""
    lines: list[str] = []

    def table(title: str, columns: Sequence[Column]) -> None:
        lines.extend(
            [
                f"### {title}",
                "",
                "| Tiêu đề cột (header) | Trường (field) | Kiểu (type) | Nội dung (meaning) | Tên khác (aliases) |",
                "|---|---|---|---|---|",
            ]
        )
        for c in columns:
            aliases = ", ".join(f"«{a}»" for a in c.aliases) or "—"
            path = c.path.replace("[]", "[ ]")
            lines.append(f"| {c.header} | `{path}` | {c.kind} | {c.en} | {aliases} |")
        lines.append("")

    table("Cán bộ / cadre (bảng phẳng và bảng cán bộ)", CADRE_COLUMNS)
    lines.extend(
        [
            "Xếp loại / ratings: cột `Xếp loại <năm>` (ví dụ `Xếp loại 2023`) → `cadre.ratings[năm]`;"
            " `Xếp loại năm trước` → năm trước năm của ngày đánh giá.",
            "",
        ]
    )
    table("Đề xuất / move (bảng phẳng)", MOVE_COLUMNS)
    table("Ngày đánh giá theo dòng / per-row as-of date", (AS_OF_COLUMN,))
    table("Vị trí / position (bảng vị trí)", POSITION_COLUMNS)
    lines.extend(
        [
            "### Danh mục / code lists",
            "",
            "Ghi mã hoặc chữ hiển thị, có dấu hay không dấu / write the code or the label, "
            "with or without diacritics.",
            "",
            "| Cột (columns) | Mã → chữ hiển thị (code → label) |",
            "|---|---|",
        ]
    )
    from luanchuyen.models import Rating

    enums: dict[type[CodedEnum], list[str]] = {Rating: ["Xếp loại <năm>"]}
    for col in (*_FLAT_COLUMNS, *POSITION_COLUMNS):
        cls = enum_for(col.path)
        if cls is not None and col.header not in enums.setdefault(cls, []):
            enums[cls].append(col.header)
    for cls, headers in enums.items():
        codes = ", ".join(
            f"`{m.value}`" + (f" ({display(m)})" if display(m) != m.value else "") for m in cls
        )
        lines.append(f"| {', '.join(headers)} | {codes} |")
    lines.append("")
    from luanchuyen.io.files import Limits
    from luanchuyen.records.cells import NOTE_CODES

    lines.extend(
        [
            "### Lưu ý khi đọc / reading notes",
            "",
            "Mỗi lưu ý nêu ô (trang, dòng, cột) / every note names its cell "
            "(`luanchuyen.records.frames.read_notes`, printed by `luanchuyen batch`).",
            "",
            "| mã / code | ý nghĩa | meaning |",
            "|---|---|---|",
            *(f"| `{code}` | {vi} | {en} |" for code, (vi, en) in NOTE_CODES.items()),
            "",
            "### Giới hạn / limits (`luanchuyen.io.files.Limits`, lỗi `table_too_large`)",
            "",
            "| giới hạn / limit | mặc định / default |",
            "|---|---|",
            *(f"| `{name}` | {value:,} |" for name, value in _limits(Limits())),
            "",
        ]
    )
    return "\n".join(lines)


def _limits(limits: Any) -> list[tuple[str, Any]]:
    from dataclasses import fields

    return [(f.name, getattr(limits, f.name)) for f in fields(limits)]
