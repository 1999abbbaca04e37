"""Bảng tính cho xử lý hàng loạt: Excel (.xlsx), CSV và JSON Lines / spreadsheets for batch work.

Ban Tổ chức làm việc với danh sách cán bộ và vị trí trên Excel. Mỗi cột có một tiêu đề tiếng
Việt cố định (xem :data:`CADRE_COLUMNS`, :data:`MOVE_COLUMNS`, :data:`POSITION_COLUMNS` và
``examples/spreadsheet-template.md``); tiêu đề được nhận cả khi viết có dấu hay không dấu, hoa
hay thường, và cả tên trường tiếng Anh (``current_post.level``).

Organisation boards keep cadres and posts in Excel. Every column has a fixed Vietnamese header
mapped to a model field; headers match with or without diacritics and case, and the English
field path is accepted too. Three layouts exist:

* **flat** (one row per cadre × move): cadre columns + move columns (+ ``Ngày đánh giá``);
* **cadre** (one row per cadre): the cadre columns only, crossed with positions by
  :func:`luanchuyen.batch.cross`;
* **position** (one row per target post): :data:`POSITION_COLUMNS`.

Cell conventions: an **empty cell is unknown** (``None``); booleans are written ``có`` /
``không`` (also ``x``, ``yes``/``no``, ``1``/``0``); dates ``dd/mm/yyyy`` as Vietnamese
spreadsheets write them, ``yyyy-mm-dd``, or real Excel date cells; a list (several planning
entries, disciplines, rotations) puts one item per ``;``-separated piece in each column of its
group, and ``không`` in the group means *known to be empty* (no discipline at all). Ratings go
in ``Xếp loại <năm>`` columns (``Xếp loại 2023``), or ``Xếp loại năm trước`` for the year
before the as-of date.

pandas and openpyxl are imported only when a file is read or written.
"""

from __future__ import annotations

import functools
import json
import math
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal

from pydantic import BaseModel, ValidationError

from luanchuyen.errors import InputError, LuanChuyenError
from luanchuyen.models.enums import CodedEnum, fold
from luanchuyen.models.validate import input_error_from
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
    "Request",
    "cadres_frame",
    "display",
    "positions_frame",
    "read_jsonl",
    "read_requests",
    "read_table",
    "records",
    "requests_frame",
    "target_header",
    "template_markdown",
    "write_jsonl",
    "write_results",
    "write_table",
]

ColumnKind = Literal["text", "code", "date", "birth", "bool", "int"]
LayoutKind = Literal["flat", "cadre", "position"]


@dataclass(frozen=True, slots=True)
class Column:
    """One spreadsheet column: its Vietnamese header, the model field and how to read a cell.

    Attributes:
        header: the canonical Vietnamese header.
        path: dotted field path; ``[]`` marks a list item (``cadre.planning[].level``).
        kind: ``text``, ``code`` (an enum code or alias), ``date``, ``birth`` (date of birth,
            also ``mm/yyyy`` or ``yyyy``), ``bool`` or ``int``.
        en: what the column holds, in English.
        aliases: other accepted headers.
    """

    header: str
    path: str
    kind: ColumnKind
    en: str
    aliases: tuple[str, ...] = ()

    @property
    def group(self) -> str | None:
        """The list the column belongs to (``cadre.planning``), or ``None``."""
        return self.path.split("[]")[0] if "[]" in self.path else None

    @property
    def leaf(self) -> str:
        """The field inside a list item (``level``), or the last path component."""
        return self.path.split("[].")[1] if "[]" in self.path else self.path.rsplit(".", 1)[-1]


def _c(
    header: str, path: str, kind: ColumnKind, en: str, *aliases: str
) -> Column:  # compact constructor for the tables below
    return Column(header, path, kind, en, tuple(aliases))


#: Cadre columns (flat and cadre layouts).
CADRE_COLUMNS: Final[tuple[Column, ...]] = (
    _c("Mã cán bộ", "cadre.id", "text", "Cadre id (required)", "Mã CB", "Số hiệu cán bộ"),
    _c("Họ và tên", "cadre.name", "text", "Full name (required)", "Họ tên"),
    _c("Giới tính", "cadre.gender", "code", "Gender: Nam / Nữ (required)"),
    _c("Ngày sinh", "cadre.date_of_birth", "birth", "Date of birth: dd/mm/yyyy, mm/yyyy or yyyy (required)"),
    _c("Dân tộc", "cadre.ethnicity", "text", "Ethnicity (Kinh, Tày, Nùng…)"),
    _c("Dân tộc thiểu số", "cadre.ethnic_minority", "bool", "Ethnic minority"),
    _c("Đảng viên", "cadre.party_member", "bool", "Party member"),
    _c("Công chức", "cadre.civil_servant", "bool", "Civil servant"),
    _c("Người địa phương", "cadre.local_origin", "bool", "Local person"),
    _c("Số nhiệm kỳ liên tiếp là người đứng đầu", "cadre.consecutive_terms_as_head", "int", "Consecutive terms as head"),
    _c("Tuổi nghỉ hưu riêng (tháng)", "cadre.retirement_age_override_months", "int", "Own retirement age in months (NĐ 83/2022…)"),
    _c("Lý do tuổi nghỉ hưu riêng", "cadre.retirement_override_reason", "text", "Reason for the own retirement age"),
    _c("Chức vụ hiện tại", "cadre.current_post.title", "text", "Current post, free text"),
    _c("Mã chức danh hiện tại", "cadre.current_post.title_code", "code", "Current title code (pho_truong_phong…)"),
    _c("Mã danh mục chức vụ hiện tại", "cadre.current_post.post_code", "text", "Current post's title-catalogue code (xa.truong_phong_kinh_te…)"),
    _c("Đơn vị hiện tại", "cadre.current_post.body", "text", "Current unit", "Cơ quan, đơn vị hiện tại"),
    _c("Cấp hiện tại", "cadre.current_post.level", "code", "Current level: Tỉnh / Huyện / Xã"),
    _c("Giữ chức vụ từ ngày", "cadre.current_post.since", "date", "In the current post since"),
    _c("Cấp trưởng/phó", "cadre.current_post.role", "code", "Head / deputy / other", "Cấp trưởng/phó (hiện tại)"),
    _c("Bầu cử/bổ nhiệm (hiện tại)", "cadre.current_post.fill_method", "code", "How the current post is filled"),
    _c("Bậc chức vụ hiện tại", "cadre.current_post.rank", "int", "Equivalence rank of the current post"),
    _c("Phụ cấp chức vụ hiện tại (×100)", "cadre.current_post.allowance", "int", "Current position allowance × 100"),
    _c("Địa bàn hiện tại", "cadre.current_post.locality", "text", "Current locality"),
    _c("Vị trí hiện tại thuộc danh mục chuyển đổi định kỳ", "cadre.current_post.on_post_change_list", "bool", "Current post is on the periodic post-change list (NĐ 59)"),
    _c("Cấp ủy (cấp)", "cadre.committee_memberships[].level", "code", "Party committee: level"),
    _c("Cấp ủy (vai trò)", "cadre.committee_memberships[].role", "code", "Party committee: role (uv_bch, uv_btv…)"),
    _c("Cấp ủy (nhiệm kỳ)", "cadre.committee_memberships[].term", "text", "Party committee: term"),
    _c("Quy hoạch (chức danh)", "cadre.planning[].title", "text", "Planned title, free text"),
    _c("Mã chức danh quy hoạch", "cadre.planning[].title_code", "code", "Planned title code"),
    _c("Cấp quy hoạch", "cadre.planning[].level", "code", "Planned level"),
    _c("Nhiệm kỳ quy hoạch", "cadre.planning[].term", "text", "Planning term"),
    _c("Ngày phê duyệt quy hoạch", "cadre.planning[].approved_on", "date", "Planning approval date"),
    _c("Trạng thái quy hoạch", "cadre.planning[].status", "code", "Planning status"),
    _c("Kỷ luật (hình thức)", "cadre.disciplines[].form", "code", "Discipline form (Khiển trách, Cảnh cáo…)"),
    _c("Loại kỷ luật", "cadre.disciplines[].kind", "code", "Party (Đảng) or State (Chính quyền)"),
    _c("Ngày kỷ luật", "cadre.disciplines[].decision_date", "date", "Discipline decision date"),
    _c("Ngày hiệu lực kỷ luật", "cadre.disciplines[].effective_date", "date", "Discipline effective date"),
    _c("Đang xem xét kỷ luật", "cadre.under_disciplinary_review", "bool", "Under disciplinary review"),
    _c("Đang bị điều tra", "cadre.under_investigation", "bool", "Under inspection or investigation", "Đang bị thanh tra, kiểm tra, điều tra"),
    _c("Trình độ chuyên môn", "cadre.degree", "code", "Degree (Đại học, Thạc sĩ…)"),
    _c("Lý luận chính trị", "cadre.political_theory", "code", "Political theory (Trung cấp, Cao cấp…)"),
    _c("Giấy khám sức khỏe ngày", "cadre.health.issued_on", "date", "Health certificate date"),
    _c("Đủ sức khỏe", "cadre.health.fit", "bool", "Fit according to the certificate"),
    _c("Có con", "cadre.family.has_children", "bool", "Has children"),
    _c("Ngày sinh con nhỏ nhất", "cadre.family.youngest_child_date_of_birth", "date", "Youngest child's date of birth"),
    _c("Mang thai", "cadre.family.pregnant", "bool", "Pregnant"),
    _c("Nuôi con một mình", "cadre.family.sole_carer", "bool", "Man raising a child alone"),
    _c("Bắt đầu luân chuyển", "cadre.rotation_history[].start", "date", "Rotation start"),
    _c("Kết thúc luân chuyển", "cadre.rotation_history[].end", "date", "Rotation end"),
    _c("Luân chuyển từ", "cadre.rotation_history[].from_post", "text", "Rotated from (post)"),
    _c("Luân chuyển đến", "cadre.rotation_history[].to_post", "text", "Rotated to (post)"),
)  # fmt: skip

#: Move columns (flat layout): the kind, the target post and the move's dates and flags.
MOVE_COLUMNS: Final[tuple[Column, ...]] = (
    _c("Hình thức", "move.kind", "code", "Kind: Luân chuyển / Điều động / Biệt phái / Chuyển đổi vị trí công tác (required)"),
    _c("Mã vị trí đến", "move.target.id", "text", "Target position id"),
    _c("Vị trí đến", "move.target.title", "text", "Target post, free text (required)", "Chức danh đến", "Chức vụ đến"),
    _c("Mã chức danh đến", "move.target.title_code", "code", "Target title code"),
    _c("Mã danh mục chức danh đến", "move.target.post_code", "text", "Target post's title-catalogue code"),
    _c("Đơn vị đến", "move.target.body", "text", "Target unit"),
    _c("Cấp đến", "move.target.level", "code", "Target level (required)"),
    _c("Cấp trưởng/phó (đến)", "move.target.role", "code", "Target head / deputy / other"),
    _c("Bầu cử/bổ nhiệm (đến)", "move.target.fill_method", "code", "How the target post is filled"),
    _c("Bậc chức vụ đến", "move.target.rank", "int", "Equivalence rank of the target post"),
    _c("Phụ cấp chức vụ đến (×100)", "move.target.allowance", "int", "Target position allowance × 100"),
    _c("Chức danh chủ chốt cấp xã", "move.target.key_commune_post", "bool", "Key commune post"),
    _c("Vị trí còn khuyết", "move.target.vacant", "bool", "Target post is vacant"),
    _c("Chức danh tạo thêm để luân chuyển", "move.target.created_for_move", "bool", "Post created for the move"),
    _c("Địa bàn đến", "move.target.locality", "text", "Target locality"),
    _c("Thuộc danh mục chuyển đổi định kỳ", "move.target.on_post_change_list", "bool", "On the periodic post-change list"),
    _c("Yêu cầu trình độ chuyên môn", "move.target.required_degree", "code", "Required degree"),
    _c("Yêu cầu lý luận chính trị", "move.target.required_political_theory", "code", "Required political theory"),
    _c("Ngày quyết định", "move.decision_date", "date", "Decision date (reference date; default: as-of date)"),
    _c("Dự kiến bắt đầu", "move.planned_start", "date", "Planned start"),
    _c("Dự kiến kết thúc", "move.planned_end", "date", "Planned end"),
    _c("Trường hợp đặc biệt", "move.special_case_requested", "bool", "Special case requested (default: không)"),
    _c("Luân chuyển theo chủ trương", "move.policy_case", "bool", "Non-local / two-term policy rotation (default: không)"),
    _c("Tái cử", "move.re_election", "bool", "Re-election to the Party committee"),
    _c("Sang đơn vị khác", "move.cross_unit", "bool", "Move to another unit"),
    _c("Cần tiếp nhận vào công chức", "move.requires_civil_service_intake", "bool", "Needs intake as a civil servant"),
    _c("Phù hợp vị trí việc làm", "move.job_position_fit", "bool", "Fits the job position"),
    _c("Nơi đi đã nhận xét, đánh giá", "move.sending_unit_assessed", "bool", "Sending unit has assessed"),
    _c("Ghi chú", "move.note", "text", "Note"),
)  # fmt: skip

#: The optional per-row evaluation date (overrides ``as_of`` of the batch).
AS_OF_COLUMN: Final[Column] = _c(
    "Ngày đánh giá", "as_of", "date", "Evaluation date for this row (default: the batch as_of)"
)

#: Position columns (position layout); the flat layout's ``… đến`` headers are accepted too.
POSITION_COLUMNS: Final[tuple[Column, ...]] = (
    _c("Mã vị trí", "position.id", "text", "Position id"),
    _c("Vị trí", "position.title", "text", "Title, free text (required)", "Tên vị trí", "Chức danh", "Tên chức danh"),
    _c("Mã chức danh", "position.title_code", "code", "Title code"),
    _c("Mã danh mục chức danh", "position.post_code", "text", "Title-catalogue code (xa.truong_phong_kinh_te…)"),
    _c("Đơn vị", "position.body", "text", "Unit", "Cơ quan, đơn vị"),
    _c("Cấp", "position.level", "code", "Level (required)"),
    _c("Cấp trưởng/phó", "position.role", "code", "Head / deputy / other"),
    _c("Bầu cử/bổ nhiệm", "position.fill_method", "code", "How the post is filled"),
    _c("Bậc chức vụ", "position.rank", "int", "Equivalence rank"),
    _c("Phụ cấp chức vụ (×100)", "position.allowance", "int", "Position allowance × 100"),
    _c("Chức danh chủ chốt cấp xã", "position.key_commune_post", "bool", "Key commune post"),
    _c("Còn khuyết", "position.vacant", "bool", "Vacant", "Vị trí còn khuyết"),
    _c("Chức danh tạo thêm để luân chuyển", "position.created_for_move", "bool", "Post created for the move"),
    _c("Địa bàn", "position.locality", "text", "Locality"),
    _c("Thuộc danh mục chuyển đổi định kỳ", "position.on_post_change_list", "bool", "On the periodic post-change list"),
    _c("Yêu cầu trình độ chuyên môn", "position.required_degree", "code", "Required degree"),
    _c("Yêu cầu lý luận chính trị", "position.required_political_theory", "code", "Required political theory"),
)  # fmt: skip

_RATING_RE = re.compile(r"^xep_loai(?:_nam)?_(\d{4})$")
_RATING_PREVIOUS = "xep_loai_nam_truoc"
_RATING_HEADER = "Xếp loại {year}"
_IGNORED = frozenset({"stt", "so_thu_tu", "tt", "dong"})
_TRUE = frozenset({"co", "x", "yes", "y", "true", "dung", "1", "v"})
_FALSE = frozenset({"khong", "no", "n", "false", "sai", "0"})
_NONE_MARK = "khong"


@functools.lru_cache(maxsize=8192)
def _key(header: str) -> str:
    """Normalise a header: no diacritics, lower case, every non-alphanumeric run → ``_``."""
    return re.sub(r"[^a-z0-9]+", "_", fold(str(header))).strip("_")


def _short_path(path: str) -> str:
    for prefix in ("cadre.", "move.", "position."):
        if path.startswith(prefix):
            return path[len(prefix) :]
    return path


def _lookup(columns: Iterable[Column]) -> dict[str, Column]:
    table: dict[str, Column] = {}
    for col in columns:
        plain = col.path.replace("[]", "")
        for name in (col.header, *col.aliases, plain, _short_path(plain)):
            table.setdefault(_key(name), col)
    return table


_FLAT_COLUMNS: Final = (*CADRE_COLUMNS, *MOVE_COLUMNS, AS_OF_COLUMN)
_TARGET_AS_POSITION: Final = {
    c.path: "position." + c.path.removeprefix("move.target.")
    for c in MOVE_COLUMNS
    if c.path.startswith("move.target.")
}
_POSITION_BY_PATH: Final = {c.path: c for c in POSITION_COLUMNS}
_LOOKUPS: Final[dict[LayoutKind, dict[str, Column]]] = {
    "flat": _lookup(_FLAT_COLUMNS),
    "cadre": _lookup((*CADRE_COLUMNS, AS_OF_COLUMN)),
    "position": {
        **{
            k: _POSITION_BY_PATH[_TARGET_AS_POSITION[c.path]]
            for k, c in _lookup(MOVE_COLUMNS).items()
            if c.path in _TARGET_AS_POSITION
        },
        **_lookup(POSITION_COLUMNS),
    },
}
_HEADER_BY_PATH: Final[dict[str, str]] = {
    c.path: c.header for c in (*_FLAT_COLUMNS, *POSITION_COLUMNS)
}


# --------------------------------------------------------------------------- cells


def _is_empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, str):
        return not value.strip()
    return type(value).__name__ in {"NaTType", "NAType"}


def _err(code: str, col: Column, vi: str, en: str, value: Any) -> InputError:
    return InputError(
        code,
        f"Cột «{col.header}»: {vi}",
        f"Column «{col.header}» ({col.path.replace('[]', '')}): {en}",
        field=col.path.replace("[]", ""),
        details={"column": col.header, "value": repr(value)},
    )


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return unicodedata.normalize("NFC", str(value)).strip()


def _date(col: Column, value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        from luanchuyen.dates import parse_vn_date

        text = value.strip()
        # "2024-06-01 00:00:00" or "2024-06-01T00:00:00" as some exports write date cells
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}[ T]00:00(:00)?", text):
            text = text[:10]
        try:
            return parse_vn_date(text, field=col.path)
        except InputError as exc:
            raise _err("invalid_date", col, exc.message_vi, exc.message_en, value) from None
    raise _err(
        "invalid_date",
        col,
        f"{_text(value)!r} không phải là ngày (dd/mm/yyyy)",
        f"{value!r} is not a date (dd/mm/yyyy)",
        value,
    )


def _birth(col: Column, value: Any) -> date | str | int:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise _err("invalid_date", col, "không phải là ngày sinh", "not a date of birth", value)
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        text = value.strip()
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}[ T]00:00(:00)?", text):
            text = text[:10]
        return text
    raise _err(
        "invalid_date",
        col,
        f"{_text(value)!r} không phải là ngày sinh",
        f"{value!r} is not a date of birth",
        value,
    )


def _bool(col: Column, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    key = _key(str(value)) if isinstance(value, str) else ""
    if key in _TRUE or str(value).strip() in {"✓", "✔"}:
        return True
    if key in _FALSE:
        return False
    raise _err(
        "invalid_value",
        col,
        f"giá trị {_text(value)!r} không hợp lệ; ghi «có» hoặc «không» (để trống nếu chưa rõ)",
        f"value {value!r} is not valid; write «có» (yes) or «không» (no), empty if unknown",
        value,
    )


def _int(col: Column, value: Any) -> int:
    if isinstance(value, bool):
        raise _err("invalid_value", col, "cần một số nguyên", "an integer is needed", value)
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"[+-]?\d+(\.0+)?", value.strip()):
        return int(float(value.strip()))
    raise _err(
        "invalid_value",
        col,
        f"{_text(value)!r} không phải là số nguyên",
        f"{value!r} is not an integer",
        value,
    )


@functools.cache
def _enum_fields() -> dict[str, type[CodedEnum]]:
    """Field path → enum class, for the code columns that parse into an enum."""
    from luanchuyen.models import enums as e

    by_leaf: dict[str, type[CodedEnum]] = {
        "gender": e.Gender,
        "level": e.Level,
        "role": e.PostRole,
        "title_code": e.TitleCode,
        "fill_method": e.FillMethod,
        "status": e.PlanningStatus,
        "form": e.DisciplineForm,
        "degree": e.DegreeLevel,
        "required_degree": e.DegreeLevel,
        "political_theory": e.PoliticalTheory,
        "required_political_theory": e.PoliticalTheory,
    }
    out: dict[str, type[CodedEnum]] = {}
    for col in (*_FLAT_COLUMNS, *POSITION_COLUMNS):
        if col.kind == "code" and col.leaf in by_leaf:
            out[col.path] = by_leaf[col.leaf]
    out["cadre.committee_memberships[].role"] = e.CommitteeRole
    out["cadre.disciplines[].kind"] = e.DisciplineKind
    out["move.kind"] = e.MoveKind
    return out


@functools.lru_cache(maxsize=4096)
def _parse_enum(cls: type[CodedEnum], text: str) -> CodedEnum | InputError:
    """Parse an enum cell once per distinct text (large sheets repeat the same values)."""
    try:
        return cls.parse(text)
    except InputError as exc:
        return exc


def _code(col: Column, value: Any) -> Any:
    text = _text(value)
    cls = _enum_fields().get(col.path)
    if cls is None:
        return text
    parsed = _parse_enum(cls, text)
    if isinstance(parsed, InputError):
        raise _err("invalid_enum", col, parsed.message_vi, parsed.message_en, value)
    return parsed


def _cell(col: Column, value: Any) -> Any:
    if hasattr(value, "item") and not isinstance(value, str | date):  # numpy scalars
        value = value.item()
    if col.kind == "date":
        return _date(col, value)
    if col.kind == "birth":
        return _birth(col, value)
    if col.kind == "bool":
        return _bool(col, value)
    if col.kind == "int":
        return _int(col, value)
    if col.kind == "code":
        return _code(col, value)
    return _text(value)


# --------------------------------------------------------------------------- layouts


@dataclass(frozen=True, slots=True)
class Request:
    """One row read from a table: the nested cadre / move / position mappings and its date."""

    cadre: dict[str, Any] | None
    move: dict[str, Any] | None
    position: dict[str, Any] | None
    as_of: date | None


@dataclass(frozen=True, slots=True)
class _Binding:
    index: int
    column: Column
    rating_year: int | None = None
    rating_previous: bool = False


class Layout:
    """The headers of one table resolved to columns; reads rows into nested mappings.

    Build it once per table with :meth:`resolve`, then call :meth:`read` on every row.
    """

    def __init__(
        self,
        kind: LayoutKind,
        headers: Sequence[str],
        bindings: Sequence[_Binding],
        unknown: Sequence[str],
    ) -> None:
        self.kind: LayoutKind = kind
        self.headers: tuple[str, ...] = tuple(str(h) for h in headers)
        self._bindings = tuple(bindings)
        self.unknown: tuple[str, ...] = tuple(unknown)
        self._by_path = {b.column.path: b for b in self._bindings}

    @classmethod
    def resolve(cls, headers: Sequence[Any], kind: LayoutKind = "flat") -> Layout:
        """Match ``headers`` to columns (accents, case and punctuation ignored).

        Unknown headers are kept in :attr:`unknown` and ignored (``STT`` silently).

        Raises:
            InputError: ``invalid_input`` when two headers name the same field.
        """
        table = _LOOKUPS[kind]
        bindings: list[_Binding] = []
        unknown: list[str] = []
        seen: dict[str, str] = {}
        for i, raw in enumerate(headers):
            header = str(raw)
            key = _key(header)
            col = table.get(key)
            binding: _Binding | None = None
            if col is not None:
                binding = _Binding(i, col)
            elif kind != "position" and (m := _RATING_RE.match(key)):
                year = int(m.group(1))
                binding = _Binding(i, Column(header, f"cadre.ratings.{year}", "code", ""), year)
            elif kind != "position" and key == _RATING_PREVIOUS:
                binding = _Binding(
                    i, Column(header, "cadre.ratings.previous", "code", ""), rating_previous=True
                )
            if binding is None:
                if key and key not in _IGNORED and not key.startswith("unnamed"):
                    unknown.append(header)
                continue
            path = binding.column.path
            if path in seen:
                raise InputError(
                    "invalid_input",
                    f"Hai cột «{seen[path]}» và «{header}» cùng chỉ một trường ({path})",
                    f"Columns «{seen[path]}» and «{header}» name the same field ({path})",
                    field=path,
                )
            seen[path] = header
            bindings.append(binding)
        return cls(kind, [str(h) for h in headers], bindings, unknown)

    def matched(self) -> dict[str, Column]:
        """Recognised headers (as written in the table) → their columns."""
        return {self.headers[b.index]: b.column for b in self._bindings}

    @property
    def columns(self) -> tuple[Column, ...]:
        """The recognised columns, in table order."""
        return tuple(b.column for b in self._bindings)

    def header_for(self, path: str) -> str | None:
        """The header of this table (else the canonical one) for a field path, if any.

        ``cadre.planning.0.level`` (a list item) and ``move.target`` (a whole object) are
        understood; a bare ``cadre`` (an error on the whole record) names no column.
        """
        parts: list[str] = []
        for p in path.split("."):
            if p.isdigit() and parts:
                parts[-1] += "[]"
            else:
                parts.append(p)
        generic = ".".join(parts)
        for candidate in (path, generic, generic.replace("[]", "")):
            b = self._by_path.get(candidate)
            if b is not None:
                return b.column.header
            if candidate in _HEADER_BY_PATH:
                return _HEADER_BY_PATH[candidate]
        if len(parts) < 2:
            return None
        starts = (generic + ".", generic + "[].")
        for b in self._bindings:
            if b.column.path.startswith(starts):
                return b.column.header
        for p, h in _HEADER_BY_PATH.items():
            if p.startswith(starts):
                return h
        return None

    def peek(self, values: Sequence[Any], path: str) -> str | None:
        """The raw text of one cell (for labelling a row that failed), or ``None``."""
        b = self._by_path.get(path)
        if b is None or b.index >= len(values) or _is_empty(values[b.index]):
            return None
        return _text(values[b.index])

    def read(self, values: Sequence[Any], *, as_of: date | None = None) -> Request:
        """Read one row (cells in header order) into nested mappings.

        Args:
            values: the row's cells, aligned with the headers.
            as_of: the batch's evaluation date (used when the row has no ``Ngày đánh giá``
                and for ``Xếp loại năm trước``).

        Raises:
            InputError: a cell that cannot be read (bad date, boolean, number, list sizes),
                naming the column in both languages.
        """
        out: dict[str, Any] = {}
        groups: dict[str, list[tuple[Column, Any]]] = {}
        ratings: dict[int, Any] = {}
        rating_seen = False
        previous: tuple[Column, Any] | None = None
        for b in self._bindings:
            raw = values[b.index] if b.index < len(values) else None
            col = b.column
            if b.rating_year is not None or b.rating_previous:
                rating_seen = True
                if _is_empty(raw):
                    continue
                if b.rating_previous:
                    previous = (col, raw)
                elif b.rating_year is not None:
                    ratings[b.rating_year] = _rating(col, raw)
                continue
            if _is_empty(raw):
                continue
            group = col.group
            if group is not None:
                groups.setdefault(group, []).append((col, raw))
            else:
                _put(out, col.path, _cell(col, raw))
        row_as_of = out.pop("as_of", None)
        day = row_as_of if isinstance(row_as_of, date) else as_of
        if previous is not None:
            col, raw = previous
            if day is None:
                raise _err(
                    "missing_field",
                    col,
                    "cần ngày đánh giá để biết «năm trước» là năm nào",
                    "an as-of date is needed to know which year is the previous one",
                    raw,
                )
            ratings.setdefault(day.year - 1, _rating(col, raw))
        if rating_seen and ratings:
            _put(out, "cadre.ratings", dict(sorted(ratings.items())))
        for group, cells in groups.items():
            _put(out, group, _items(cells))
        if self.kind == "position":
            return Request(None, None, out.get("position"), day)
        return Request(out.get("cadre"), out.get("move"), None, day)

    def error_for(self, exc: ValidationError, prefix: str) -> InputError:
        """A pydantic error on this row's cadre/move/position as a coded error naming the column."""
        return self.with_column(input_error_from(exc, prefix))

    def with_column(self, err: LuanChuyenError) -> InputError:
        """Add the column header to an error's messages (when its field maps to a column)."""
        header = self.header_for(err.field) if err.field else None
        if header is None or "column" in err.details:  # unknown, or already named
            return (
                err
                if isinstance(err, InputError)
                else InputError(
                    err.code, err.message_vi, err.message_en, field=err.field, details=err.details
                )
            )
        return InputError(
            err.code,
            f"Cột «{header}»: {err.message_vi}",
            f"Column «{header}»: {err.message_en}",
            field=err.field,
            details={**err.details, "column": header},
        )


def target_header(column: Column) -> str:
    """The flat-layout header (``Cấp đến``…) of a position column (``Cấp``…)."""
    path = "move.target." + column.path.removeprefix("position.")
    return _HEADER_BY_PATH.get(path, column.header)


def _rating(col: Column, value: Any) -> Any:
    from luanchuyen.models import Rating

    parsed = _parse_enum(Rating, _text(value))
    if isinstance(parsed, InputError):
        raise _err("invalid_enum", col, parsed.message_vi, parsed.message_en, value)
    return parsed


def _put(out: dict[str, Any], path: str, value: Any) -> None:
    parts = path.split(".")
    node = out
    for p in parts[:-1]:
        node = node.setdefault(p, {})
    node[parts[-1]] = value


def _split(value: Any) -> list[Any]:
    if isinstance(value, str) and ";" in value:
        return [piece.strip() for piece in value.split(";")]
    return [value]


def _items(cells: list[tuple[Column, Any]]) -> list[dict[str, Any]]:
    """A list group's cells → list items (``;`` separates items; ``không`` = empty list)."""
    if all(isinstance(v, str) and _key(v) == _NONE_MARK for _, v in cells):
        return []
    pieces = [(col, _split(v)) for col, v in cells]
    n = max(len(p) for _, p in pieces)
    for col, p in pieces:
        if len(p) not in (1, n):
            raise _err(
                "invalid_value",
                col,
                f"có {len(p)} mục, các cột cùng nhóm có {n} mục (ngăn cách bằng «;»)",
                f"has {len(p)} items while its group has {n} (separated by «;»)",
                "; ".join(_text(x) for x in p),
            )
    items: list[dict[str, Any]] = [{} for _ in range(n)]
    for col, p in pieces:
        for i in range(n):
            v = p[0] if len(p) == 1 else p[i]
            if not _is_empty(v):
                items[i][col.leaf] = _cell(col, v)
    return items


# --------------------------------------------------------------------------- reading files

_EXCEL = frozenset({".xlsx", ".xlsm"})
_CSV = frozenset({".csv", ".tsv", ".txt"})
_JSONL = frozenset({".jsonl", ".ndjson"})


def _file_error(path: Path, vi: str, en: str) -> InputError:
    return InputError(
        "table_file",
        f"Không đọc được tệp {path}: {vi}",
        f"Cannot read {path}: {en}",
        field=str(path),
    )


def read_table(path: str | os.PathLike[str], *, sheet: str | int | None = None) -> pd.DataFrame:
    """Read a spreadsheet (.xlsx) or a CSV file as raw cells (no type guessing).

    Excel date cells stay dates; CSV cells stay text (``utf-8`` with or without BOM;
    ``,`` or ``;`` separated, tab for ``.tsv``). Entirely empty rows are skipped. The index
    is the line number in the file (the header is line 1), so results can name the line an
    analyst sees in Excel.

    Raises:
        InputError: ``table_file`` when the file is missing, unreadable or of another type.
    """
    import pandas as pd

    p = Path(path)
    suffix = p.suffix.lower()
    if not p.is_file():
        raise _file_error(p, "không tìm thấy tệp", "file not found")
    try:
        if suffix in _EXCEL:
            frame = pd.read_excel(p, sheet_name=sheet or 0, dtype=object, engine="openpyxl")
        elif suffix in _CSV:
            with p.open(encoding="utf-8-sig") as fh:
                first = fh.readline()
            sep = (
                "\t" if suffix == ".tsv" else (";" if first.count(";") > first.count(",") else ",")
            )
            frame = pd.read_csv(p, dtype=str, keep_default_na=False, encoding="utf-8-sig", sep=sep)
        else:
            raise _file_error(
                p,
                f"định dạng {suffix or '(không có đuôi)'} không được hỗ trợ (.xlsx, .csv, .jsonl)",
                f"format {suffix or '(no extension)'} is not supported (.xlsx, .csv, .jsonl)",
            )
    except LuanChuyenError:
        raise
    except (OSError, ValueError, KeyError, UnicodeDecodeError) as exc:
        raise _file_error(p, str(exc), str(exc)) from None
    except Exception as exc:  # openpyxl / zipfile raise many kinds on a corrupt workbook
        raise _file_error(
            p, f"{type(exc).__name__}: {exc}", f"{type(exc).__name__}: {exc}"
        ) from None
    frame.columns = [str(c).strip() for c in frame.columns]
    frame.index = pd.RangeIndex(2, len(frame) + 2, name="line")
    blank = frame.apply(lambda row: all(_is_empty(v) for v in row), axis=1)
    if len(frame) and bool(blank.any()):
        frame = frame.loc[~blank]
    return frame


def records(
    frame: pd.DataFrame, kind: LayoutKind = "flat", *, as_of: date | None = None
) -> list[Request | InputError]:
    """Every row of a table read into nested mappings (an unreadable row → its error).

    >>> import pandas as pd
    >>> rows = records(pd.DataFrame({"Mã cán bộ": ["A1"], "Giới tính": ["Nữ"]}), "cadre")
    >>> rows[0].cadre["id"], rows[0].cadre["gender"].value
    ('A1', 'nu')
    """
    layout = Layout.resolve(list(frame.columns), kind)
    out: list[Request | InputError] = []
    for values in frame.itertuples(index=False, name=None):
        try:
            out.append(layout.read(list(values), as_of=as_of))
        except InputError as exc:
            out.append(layout.with_column(exc))
    return out


def read_jsonl(path: str | os.PathLike[str]) -> list[dict[str, Any] | InputError]:
    """Read JSON Lines: one JSON object per line (blank lines skipped).

    A line that is not a JSON object is returned as an :class:`InputError` in its place,
    so that a batch reports it as an error row instead of losing it.

    Raises:
        InputError: ``table_file`` when the file cannot be read at all.
    """
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise _file_error(p, str(exc), str(exc)) from None
    out: list[dict[str, Any] | InputError] = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            out.append(
                InputError(
                    "invalid_input",
                    f"Dòng {n}: không phải JSON hợp lệ ({exc.msg})",
                    f"Line {n}: not valid JSON ({exc.msg})",
                    field=f"line {n}",
                )
            )
            continue
        if not isinstance(item, dict):
            out.append(
                InputError(
                    "invalid_input",
                    f"Dòng {n}: cần một đối tượng JSON",
                    f"Line {n}: a JSON object is expected",
                    field=f"line {n}",
                )
            )
            continue
        out.append(item)
    return out


def read_requests(
    path: str | os.PathLike[str], *, sheet: str | int | None = None
) -> pd.DataFrame | list[dict[str, Any] | InputError]:
    """Read batch input: a flat table (.xlsx/.csv) or JSON Lines of ``{cadre, move, as_of}``."""
    p = Path(path)
    if p.suffix.lower() in _JSONL:
        return read_jsonl(p)
    return read_table(p, sheet=sheet)


# --------------------------------------------------------------------------- models → cells

#: Display labels for codes that have no Vietnamese label in the enums (each folds back).
_DISPLAY: Final[dict[str, str]] = {
    "cap_truong": "Cấp trưởng",
    "cap_pho": "Cấp phó",
    "khac": "Khác",
    "dang": "Đảng",
    "chinh_quyen": "Chính quyền",
    "thpt": "THPT",
    "trung_cap": "Trung cấp",
    "cao_dang": "Cao đẳng",
    "dai_hoc": "Đại học",
    "thac_si": "Thạc sĩ",
    "tien_si": "Tiến sĩ",
    "so_cap": "Sơ cấp",
    "cao_cap": "Cao cấp",
    "bau_cu": "Bầu cử",
    "bo_nhiem": "Bổ nhiệm",
    "chi_dinh": "Chỉ định",
}
_PLAIN_CODES: Final = frozenset({"rating"})


def display(value: Any) -> Any:
    """A model value as a spreadsheet cell: Vietnamese labels, ``có``/``không``, dates kept.

    >>> from luanchuyen.models import Gender, PostRole
    >>> display(Gender.NU), display(PostRole.CAP_PHO), display(True)
    ('Nữ', 'Cấp phó', 'có')
    """
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, Enum):
        code = str(value.value)
        label = getattr(value, "label_vi", code)
        if label != code:
            return label
        return _DISPLAY.get(code, code)
    return value


def _join(values: list[Any]) -> Any:
    if len(values) == 1:
        return display(values[0])
    parts = []
    for v in values:
        v = display(v)
        parts.append(
            "" if v is None else (v.strftime("%d/%m/%Y") if isinstance(v, date) else str(v))
        )
    return "; ".join(parts)


def _get(model: Any, path: str) -> Any:
    node = model
    for part in path.split("."):
        if node is None:
            return None
        node = getattr(node, part, None)
    return node


def _cells(obj: BaseModel, columns: Sequence[Column], prefix: str) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for col in columns:
        path = col.path.removeprefix(prefix)
        if col.group is not None:
            group = col.group.removeprefix(prefix)
            items = _get(obj, group)
            if items is None:
                row[col.header] = None
            elif not items:
                first = next(c for c in columns if c.group == col.group)
                row[col.header] = "không" if first is col else None
            else:
                values = [getattr(it, col.leaf) for it in items]
                row[col.header] = None if all(v is None for v in values) else _join(values)
        else:
            row[col.header] = display(_get(obj, path))
    return row


def _cadre_cells(cadre: BaseModel) -> dict[str, Any]:
    row = _cells(cadre, CADRE_COLUMNS, "cadre.")
    born = getattr(cadre, "date_of_birth", None)
    precision = getattr(cadre, "birth_date_precision", "day")
    if isinstance(born, date) and precision == "year":
        row["Ngày sinh"] = born.year  # NĐ 135 Đ3.3: only the year is known
    elif isinstance(born, date) and precision == "month":
        row["Ngày sinh"] = f"{born.month:02d}/{born.year}"
    ratings = getattr(cadre, "ratings", None)
    for year, rating in sorted((ratings or {}).items()):
        row[_RATING_HEADER.format(year=year)] = display(rating)
    return row


def _frame(rows: list[dict[str, Any]], order: Sequence[str]) -> pd.DataFrame:
    import pandas as pd

    extra = sorted({k for r in rows for k in r} - set(order))
    columns = [*order, *extra]
    return pd.DataFrame(rows, columns=columns)


def cadres_frame(cadres: Iterable[BaseModel | Mapping[str, Any]]) -> pd.DataFrame:
    """Cadres (models or mappings) as a table in the cadre layout, Vietnamese headers."""
    from luanchuyen.models import Cadre

    rows = [_cadre_cells(c if isinstance(c, Cadre) else Cadre.model_validate(c)) for c in cadres]
    return _frame(rows, [c.header for c in CADRE_COLUMNS])


def positions_frame(positions: Iterable[BaseModel | Mapping[str, Any]]) -> pd.DataFrame:
    """Positions (models or mappings) as a table in the position layout."""
    from luanchuyen.models import Position

    rows = [
        _cells(
            p if isinstance(p, Position) else Position.model_validate(p),
            POSITION_COLUMNS,
            "position.",
        )
        for p in positions
    ]
    return _frame(rows, [c.header for c in POSITION_COLUMNS])


def requests_frame(pairs: Iterable[Sequence[Any]]) -> pd.DataFrame:
    """(cadre, move[, as_of]) triples as a flat table (one row per cadre × move)."""
    from luanchuyen.models import Cadre, Move

    rows: list[dict[str, Any]] = []
    for item in pairs:
        cadre, move = item[0], item[1]
        day = item[2] if len(item) > 2 else None
        c = cadre if isinstance(cadre, Cadre) else Cadre.model_validate(cadre)
        m = move if isinstance(move, Move) else Move.model_validate(move)
        row = _cadre_cells(c)
        row.update(_cells(m, MOVE_COLUMNS, "move."))
        if day is not None:
            row[AS_OF_COLUMN.header] = day
        rows.append(row)
    order = [c.header for c in (*CADRE_COLUMNS, *MOVE_COLUMNS)]
    if any(AS_OF_COLUMN.header in r for r in rows):
        order.append(AS_OF_COLUMN.header)
    return _frame(rows, order)


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
) -> None:
    """Append a sheet to a write-only workbook: bold header, widths, frozen header, dates.

    ``fill(row_index, column_index, value)`` may return a background colour for a cell.
    """
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(title[:31])
    widths = [min(max(len(str(h)), 8), 40) for h in headers]
    for row in rows:
        for i, v in enumerate(row):
            if v is not None and i < len(widths):
                width = 11 if isinstance(v, date) else len(str(v)) + 1
                widths[i] = min(max(widths[i], width), 60)
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="DDEBF7")
    wrap = Alignment(wrap_text=True, vertical="top")
    header_cells = []
    for h in headers:
        cell = WriteOnlyCell(ws, value=h)
        cell.font, cell.fill, cell.alignment = bold, head_fill, wrap
        header_cells.append(cell)
    ws.append(header_cells)
    fills: dict[str, Any] = {}
    for r, row in enumerate(rows):
        out: list[Any] = []
        for c, v in enumerate(row):
            colour = fill(r, c, v) if fill is not None else None
            if colour is None and not isinstance(v, date):
                out.append(v)
                continue
            cell = WriteOnlyCell(ws, value=v)
            if isinstance(v, date):
                cell.number_format = "DD/MM/YYYY"
            if colour is not None:
                cell.fill = fills.setdefault(colour, PatternFill("solid", fgColor=colour))
                cell.font = bold
            out.append(cell)
        ws.append(out)


def _save_workbook(wb: Any, path: Path, stamp: datetime | None) -> None:
    """Save a workbook; with ``stamp`` the bytes are reproducible (fixed times inside)."""
    if stamp is None:
        wb.save(path)
        return
    import io
    import zipfile

    wb.properties.created = stamp
    buffer = io.BytesIO()
    wb.save(buffer)  # openpyxl stamps "modified" with the clock; replaced below
    iso = stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with (
        zipfile.ZipFile(buffer) as zin,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout,
    ):
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>" + iso + rb"\g<2>",
                    data,
                )
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            zout.writestr(fixed, data)


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
        _write_csv(p, headers, records, sep="\t" if suffix == ".tsv" else ",")
    else:
        raise _file_error(p, "chỉ ghi được .xlsx hoặc .csv", "only .xlsx or .csv can be written")
    return p


def _write_csv(p: Path, headers: Sequence[str], rows: Iterable[Sequence[Any]], sep: str) -> None:
    import csv

    with p.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, delimiter=sep)
        writer.writerow(headers)
        for row in rows:
            writer.writerow(
                [
                    "" if v is None else (v.strftime("%d/%m/%Y") if isinstance(v, date) else v)
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
    p = Path(path)
    with p.open("w", encoding="utf-8") as fh:
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
            _write_sheet(wb, sheet.title, sheet.headers, sheet.rows, fill=sheet.fill)
        wb.save(p)
    elif suffix in _CSV:
        results = result_sheet(frame, _plain)
        _write_csv(p, results.headers, results.rows, sep="\t" if suffix == ".tsv" else ",")
        if criteria is not None:
            crit = criteria_sheet(criteria, _plain)
            _write_csv(
                p.with_suffix(".criteria" + suffix),
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
    fields = _enum_fields()
    from luanchuyen.models import Rating

    enums: dict[type[CodedEnum], list[str]] = {Rating: ["Xếp loại <năm>"]}
    for col in (*_FLAT_COLUMNS, *POSITION_COLUMNS):
        cls = fields.get(col.path)
        if cls is not None and col.header not in enums.setdefault(cls, []):
            enums[cls].append(col.header)
    for cls, headers in enums.items():
        codes = ", ".join(
            f"`{m.value}`" + (f" ({display(m)})" if display(m) != m.value else "") for m in cls
        )
        lines.append(f"| {', '.join(headers)} | {codes} |")
    lines.append("")
    return "\n".join(lines)
