"""The result workbook: headers, labels, colours and the sheets of batch results.

:func:`result_sheets` turns a result frame (and its criteria frame) into the sheets of the
results workbook — «Kết quả» (Vietnamese headers, the verdict in words, its cell coloured),
«Tóm tắt» (rows by verdict, then error rows) and «Tiêu chí» (one row per criterion, coloured
by outcome). Labels and colours come from :mod:`luanchuyen.render.labels`, counts from
:func:`luanchuyen.results.summarise`. Writing the files (xlsx cells, CSV, JSON Lines) is the
edge's job (:func:`luanchuyen.io.tables.write_results`), which passes its cell converter.

>>> import pandas as pd
>>> frame = pd.DataFrame({"row": [0], "status": ["ok"], "verdict": ["eligible"]})
>>> [s.title for s in result_sheets(frame, None, lambda v: v)]
['Kết quả', 'Tóm tắt']
>>> result_sheet(frame, lambda v: v).rows
[['Đủ điều kiện', 1, 'eligible', 'Đã đánh giá']]
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from numbers import Integral
from typing import TYPE_CHECKING, Any, Final

from luanchuyen.facts.values import value_label
from luanchuyen.render.labels import label, outcome_fill, verdict_fill, verdict_label
from luanchuyen.results import SUMMARY_KEYS, summarise

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "CRITERIA_HEADERS",
    "RESULT_HEADERS",
    "Sheet",
    "criteria_sheet",
    "result_sheet",
    "result_sheets",
]

Cell = Callable[[Any], Any]
Fill = Callable[[int, int, Any], "str | None"]

#: Result columns → Vietnamese headers, in reading order (the order of the written files): the
#: verdict and the reason that decides it, then which row of the user's sheet and who, then
#: the rule lists, the details, the errors, and last the technical columns.
RESULT_HEADERS: Final[dict[str, str]] = {
    "verdict_vi": "Kết luận",
    "reason_vi": "Lý do chính",
    "source_file": "Tệp nguồn",
    "source_row": "Dòng trong tệp",
    "cadre_id": "Mã cán bộ",
    "cadre_name": "Họ và tên",
    "target_id": "Mã vị trí đến",
    "target_title": "Vị trí đến",
    "move_kind": "Hình thức",
    "as_of": "Ngày đánh giá",
    "possible_verdicts": "Kết luận có thể",
    "priority": "Ưu tiên",
    "blocking_rules": "Tiêu chí không đạt (chặn)",
    "undecided_rules": "Tiêu chí cần bổ sung để kết luận",
    "missing_inputs": "Cần bổ sung (cột)",
    "review_rules": "Tiêu chí cần xem xét",
    "unknown_rules": "Tiêu chí chưa đủ dữ liệu",
    "warning_rules": "Lưu ý",
    "priority_rules": "Tiêu chí ưu tiên",
    "priority_labels": "Nội dung ưu tiên",
    "priority_grounds": "Căn cứ ưu tiên (dữ kiện)",
    "info_rules": "Thông tin",
    "gender": "Giới tính",
    "ethnic_minority": "Dân tộc thiểu số",
    "current_title": "Chức vụ hiện tại",
    "current_body": "Đơn vị hiện tại",
    "current_level": "Cấp hiện tại",
    "target_body": "Đơn vị đến",
    "target_level": "Cấp đến",
    "remaining_service_months": "Thời gian công tác còn lại (tháng)",
    "age_months": "Tuổi (tháng)",
    "retirement_date": "Ngày nghỉ hưu",
    "level_direction": "Hướng luân chuyển",
    "cross_unit": "Sang đơn vị khác",
    "target_is_key_commune_post": "Chức danh chủ chốt cấp xã",
    "in_rotation": "Đang luân chuyển",
    "months_in_rotation": "Số tháng đã luân chuyển",
    "error_code": "Mã lỗi",
    "error_field": "Trường lỗi",
    "error_message_vi": "Lỗi",
    "error_message_en": "Error (English)",
    "row": "STT",
    "verdict": "Mã kết luận",
    "status": "Trạng thái",
    "ruleset": "Bộ quy tắc",
}
#: Columns holding a fact's code, shown through its words (a code never reaches a person's
#: sheet; the codes stay in the JSON Lines output). ``verdict`` keeps its code on purpose.
_FACT_COLUMNS: Final = ("move_kind", "gender", "current_level", "target_level", "level_direction")
CRITERIA_HEADERS: Final[dict[str, str]] = {
    "row": "STT",
    "cadre_id": "Mã cán bộ",
    "target_id": "Mã vị trí đến",
    "rule_id": "Tiêu chí",
    "pack": "Bộ quy tắc",
    "title_vi": "Tên tiêu chí",
    "outcome": "Kết quả",
    "effect": "Hiệu lực",
    "applied_effect": "Hiệu lực áp dụng",
    "message_vi": "Lý do",
    "message_en": "Reason (English)",
    "citation": "Căn cứ",
}


@dataclass(frozen=True, slots=True)
class Sheet:
    """One sheet: its title, headers, rows of cells, the fill of each cell (``RRGGBB``),
    whether its header carries an autofilter and the first cell not frozen."""

    title: str
    headers: list[str]
    rows: list[list[Any]]
    fill: Fill | None = None
    autofilter: bool = False
    freeze: str = "A2"


def result_sheet(frame: pd.DataFrame, cell: Cell) -> Sheet:
    """The «Kết quả» sheet: known columns in :data:`RESULT_HEADERS` order, then the rest.

    Codes read as words (the verdict, the possible verdicts, the kind of move, levels…);
    ``row`` is numbered from 1 («STT»), as the «Tiêu chí» sheet numbers it.
    """
    cols = [c for c in RESULT_HEADERS if c in frame.columns or c == "verdict_vi"]
    cols += [c for c in frame.columns if c not in RESULT_HEADERS]
    rows: list[list[Any]] = []
    codes: list[str] = []
    for rec in frame.to_dict("records"):
        status = rec.get("status", "ok")
        verdict = rec.get("verdict")
        present = isinstance(verdict, str)
        codes.append("error" if status == "error" else str(verdict))
        rows.append(
            [
                verdict_label(verdict if present else None, status=status)
                if c == "verdict_vi"
                else cell(_shown(c, rec.get(c)))
                for c in cols
            ]
        )
    vcol = cols.index("verdict_vi")

    def fill(r: int, c: int, _: Any) -> str | None:
        return verdict_fill(codes[r]) if c == vcol and r < len(codes) else None

    return Sheet(
        "Kết quả",
        [RESULT_HEADERS.get(c, c) for c in cols],
        rows,
        fill,
        autofilter=True,
        freeze="C2" if cols[:2] == ["verdict_vi", "reason_vi"] else "B2",
    )


def _counted(value: Any) -> bool:
    return isinstance(value, Integral) and not isinstance(value, bool)


def _shown(column: str, value: Any) -> Any:
    """A result value as a person reads it: words for codes, ``row`` from 1."""
    if column == "row" and _counted(value):
        return int(value) + 1
    if column == "possible_verdicts" and isinstance(value, list | tuple):
        return [label("verdict", v) for v in value]
    if column == "status" and isinstance(value, str):
        return label("status", value)
    if column in _FACT_COLUMNS and isinstance(value, str):
        return value_label(column, value, "vi") or value
    if column == "missing_inputs" and isinstance(value, list | tuple):
        return [_header(str(path)) for path in value]  # what the user fills: the column
    return value


def _header(path: str) -> str:
    from luanchuyen.render.text import input_label

    return f"«{input_label(path)}»"


def summary_sheet(frame: pd.DataFrame) -> Sheet:
    """The «Tóm tắt» sheet: rows by verdict, then rows with status error, then the total."""
    counts = summarise(frame) if "verdict" in frame.columns else dict.fromkeys(SUMMARY_KEYS, 0)
    order = list(SUMMARY_KEYS)
    rows: list[list[Any]] = [
        [label("status" if k == "error" else "verdict", k), k, counts.get(k, 0)] for k in order
    ]
    rows.append(["Tổng", "", sum(counts.values())])
    return Sheet(
        "Tóm tắt",
        ["Kết luận", "Mã", "Số dòng"],
        rows,
        lambda r, c, _: verdict_fill(order[r]) if c == 0 and r < len(order) else None,
    )


def criteria_sheet(criteria: pd.DataFrame, cell: Cell) -> Sheet:
    """The «Tiêu chí» sheet: one row per criterion, the outcome cell coloured.

    ``row`` is numbered from 1 («STT», as in «Kết quả»); the outcome and the effects read as
    words, the outcome's code drives the colour.
    """
    cols = [c for c in CRITERIA_HEADERS if c in criteria.columns]
    oc = cols.index("outcome") if "outcome" in cols else -1
    rows: list[list[Any]] = []
    outcomes: list[Any] = []
    for r in criteria[cols].itertuples(index=False):
        values = list(r)
        outcomes.append(values[oc] if oc >= 0 else None)
        rows.append([cell(_criterion_shown(c, v)) for c, v in zip(cols, values, strict=True)])
    return Sheet(
        "Tiêu chí",
        [CRITERIA_HEADERS[c] for c in cols],
        rows,
        lambda r, c, _: outcome_fill(outcomes[r]) if c == oc and r < len(outcomes) else None,
        autofilter=True,
    )


def _criterion_shown(column: str, value: Any) -> Any:
    if column == "row" and _counted(value):
        return int(value) + 1
    if column == "outcome" and isinstance(value, str):
        return label("outcome", value)
    if column in ("effect", "applied_effect") and isinstance(value, str):
        return label("effect", value)
    return value


def result_sheets(frame: pd.DataFrame, criteria: pd.DataFrame | None, cell: Cell) -> list[Sheet]:
    """Every sheet of the results workbook, in order."""
    sheets = [result_sheet(frame, cell), summary_sheet(frame)]
    if criteria is not None:
        sheets.append(criteria_sheet(criteria, cell))
    return sheets
