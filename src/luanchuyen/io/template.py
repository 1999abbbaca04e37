"""Mẫu bảng tính / the blank template workbook: canonical headers, instructions, dropdowns.

:func:`write_template` writes the flat layout's canonical Vietnamese headers on sheet «Danh
sách», an instructions sheet «Hướng dẫn» (every column: header, field, kind, meaning), a
hidden sheet «Danh mục» holding the code lists, a dropdown (data validation) on every coded
and yes/no column, and the ``DD/MM/YYYY`` format on every date column. A filled template reads
back exactly (:func:`luanchuyen.io.files.read_table` skips the two helper sheets).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Final

from luanchuyen.records.columns import CADRE_COLUMNS, MOVE_COLUMNS, Column, enum_for
from luanchuyen.records.frames import display

__all__ = ["TEMPLATE_ROWS", "write_template"]

#: Rows prepared with validations and formats.
TEMPLATE_ROWS: Final = 1000
_RATING: Final = Column(
    "Xếp loại năm trước",
    "cadre.ratings.previous",
    "code",
    "Rating of the year before the as-of date",
)


def _choices(col: Column) -> list[str] | None:
    if col.kind == "bool":
        return ["có", "không"]
    if col.path == _RATING.path:
        from luanchuyen.models import Rating

        return [str(display(m)) for m in Rating]
    cls = enum_for(col.path)
    if cls is None or col.kind not in {"code", "discipline"}:
        return None
    return [str(display(m)) for m in cls]


def write_template(path: str | os.PathLike[str]) -> Path:
    """Write the blank template workbook (flat layout) to ``path`` (.xlsx)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    columns = [*CADRE_COLUMNS, _RATING, *MOVE_COLUMNS]
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Danh sách"
    ws.append([c.header for c in columns])
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for j, col in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=j)
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[get_column_letter(j)].width = min(max(len(col.header) + 2, 12), 40)
    ws.freeze_panes = "B2"
    lists = wb.create_sheet("Danh mục")
    lists.sheet_state = "hidden"
    list_col = 0
    for j, col in enumerate(columns, start=1):
        letter = get_column_letter(j)
        cells = f"{letter}2:{letter}{TEMPLATE_ROWS + 1}"
        if col.kind in {"date", "birth"}:
            for r in range(2, TEMPLATE_ROWS + 2):
                ws.cell(row=r, column=j).number_format = "DD/MM/YYYY"
        choices = _choices(col)
        if choices is None:
            continue
        list_col += 1
        ll = get_column_letter(list_col)
        lists.cell(row=1, column=list_col, value=f"DM {col.header}")
        for i, label in enumerate(choices, start=2):
            lists.cell(row=i, column=list_col, value=label)
        dv = DataValidation(
            type="list",
            formula1=f"='Danh mục'!${ll}$2:${ll}${len(choices) + 1}",
            allow_blank=True,
            showErrorMessage=col.kind not in {"discipline"},
            errorTitle="Giá trị không có trong danh mục",
            error=f"Chọn một giá trị của danh mục «{col.header}» (để trống nếu chưa rõ).",
        )
        dv.add(cells)
        ws.add_data_validation(dv)
    guide = wb.create_sheet("Hướng dẫn")
    guide.append(["Hướng dẫn điền mẫu / how to fill the template"])
    guide.append(
        ["Ô trống = chưa rõ. Ngày ghi dd/mm/yyyy (hoặc mm/yyyy, yyyy). Có/không: «có», «không»."]
    )
    guide.append(
        ["Nhiều mục (quy hoạch, kỷ luật, luân chuyển): cách nhau bằng «;». «không» = không có."]
    )
    guide.append([])
    guide.append(
        ["Cột (trường) / column (field)", "Kiểu", "Nội dung / meaning", "Chọn từ danh mục"]
    )
    for col in columns:  # one cell per column name, so the guide never reads as a table header
        choices = _choices(col)
        guide.append(
            [
                f"{col.header} — {col.path.replace('[]', '[ ]')}",
                col.kind,
                col.en,
                ", ".join(choices or []),
            ]
        )
    for letter, width in zip("ABCD", (60, 10, 60, 60), strict=True):
        guide.column_dimensions[letter].width = width
    p = Path(path)
    wb.save(p)
    return p
