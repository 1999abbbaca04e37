"""Ghi phương án bố trí / write a proposed plan: a Vietnamese workbook or JSON.

The file is written to a temporary name in the target folder and renamed into place
(:func:`os.replace`), so the final name never holds half a plan.
"""

from __future__ import annotations

import os
import tempfile
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from luanchuyen.errors import InputError

if TYPE_CHECKING:
    from luanchuyen.analysis.proposal import Plan

__all__ = ["write_plan"]

_WIDTH = 60


def _cell(value: Any) -> Any:
    if value is None:
        return None
    try:
        if value != value:  # NaN / NA
            return None
    except (TypeError, ValueError):
        return None
    if isinstance(value, date | int | float | str | bool):
        return value
    return str(value)


def _xlsx(plan: Plan, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    wb = Workbook()
    wb.remove(wb.active)
    bold = Font(bold=True)
    head = PatternFill("solid", fgColor="DDEBF7")
    good, bad, review = (PatternFill("solid", fgColor=c) for c in ("C6EFCE", "FFC7CE", "FFEB9C"))
    for name, frame in plan.frames().items():
        ws = wb.create_sheet(name[:31])
        ws.append([str(c) for c in frame.columns])
        for cell in ws[1]:
            cell.font, cell.fill = bold, head
        for row in frame.itertuples(index=False, name=None):
            ws.append([_cell(v) for v in row])
        for col in ws.columns:
            longest = max((len(str(c.value)) for c in col if c.value is not None), default=8)
            ws.column_dimensions[col[0].column_letter].width = min(_WIDTH, max(8, longest + 2))
        for row_cells in ws.iter_rows(min_row=2):
            for cell in row_cells:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                if cell.value in ("Đạt", "Đủ điều kiện"):
                    cell.fill = good
                elif cell.value == "Chưa đạt":
                    cell.fill = bad
                elif cell.value == "Cần xem xét":
                    cell.fill = review
        ws.freeze_panes = "A2"
    wb.save(path)


def write_plan(plan: Plan, path: str | os.PathLike[str]) -> Path:
    """Write ``plan`` to ``.xlsx`` (sheets: Phương án, Vị trí chưa bố trí, Chỉ tiêu, Phương
    án thay thế, Tóm tắt) or ``.json``; return the path.

    Raises:
        InputError: ``table_file`` for another extension.
    """
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in {".xlsx", ".json"}:
        raise InputError(
            "table_file",
            f"Không ghi được {p}: chỉ ghi được .xlsx hoặc .json",
            f"Cannot write {p}: only .xlsx or .json",
            field=str(p),
        )
    fd, tmp = tempfile.mkstemp(prefix=f".{p.stem}-", suffix=suffix, dir=p.parent)
    os.close(fd)
    try:
        if suffix == ".xlsx":
            _xlsx(plan, Path(tmp))
        else:
            Path(tmp).write_text(plan.to_json(), encoding="utf-8")
        Path(tmp).replace(p)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return p
