"""Đọc ô / cells as people write them: dates, yes/no, numbers, codes, ratings, discipline.

Every parser takes the :class:`~luanchuyen.records.columns.Column` it reads (to name it in an error)
and a list where it appends :class:`Note` s (a date known only to the month, …). A cell that
cannot be read raises an :class:`~luanchuyen.errors.InputError` with a stable code naming the
column; an empty cell never reaches a parser (empty = unknown).

Dates (``architecture.md``, "Ambiguous dates"): ``dd/mm/yyyy``, ``d/m/yyyy``, ``dd.mm.yyyy``,
``dd-mm-yyyy``, ``yyyy-mm-dd``, ``ngày 20 tháng 8 năm 1983``, Excel serial numbers and Excel
date cells are precise to the day; a month and year (``8/2023``, ``tháng 8/2023``,
``T8/2023``, ``2023-08``) is read as day 01 of that month and a year alone (``2023``,
``năm 2023``) as 01/01 of that year, and the convention used is recorded as a note
(``date_month_only``, ``date_year_only``).
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Final, Literal

from luanchuyen.errors import InputError
from luanchuyen.models.enums import CodedEnum, DisciplineForm, DisciplineKind, Rating, fold
from luanchuyen.records.columns import Column, enum_for, header_key

__all__ = [
    "NOTE_CODES",
    "DatePrecision",
    "Note",
    "cell_error",
    "is_empty",
    "parse_bool",
    "parse_cell",
    "parse_date",
    "parse_discipline",
    "parse_rating",
    "text",
]

DatePrecision = Literal["day", "month", "year"]

#: Every note (warning) a reader attaches to a row, with its meaning in Vietnamese and English.
NOTE_CODES: Final[dict[str, tuple[str, str]]] = {
    "date_month_only": (
        "Ngày chỉ có tháng và năm: lấy ngày 01 của tháng",
        "Date known to the month only: day 01 of the month is used",
    ),
    "date_year_only": (
        "Ngày chỉ có năm: lấy ngày 01/01 của năm",
        "Date known to the year only: 01/01 of the year is used",
    ),
    "title_unknown": (
        "Không nhận ra chức danh: mã chức danh để chưa rõ",
        "Title not recognised: the title code stays unknown",
    ),
    "title_several": (
        "Ô ghi nhiều chức vụ: dùng chức vụ cao nhất",
        "The cell holds several posts: the highest is used",
    ),
    "group_incomplete": (
        "Nhóm ô điền chưa đủ: phần còn thiếu để chưa rõ",
        "A group of cells is partly filled: the missing part stays unknown",
    ),
    "id_from_stt": (
        "Không có cột Mã cán bộ: dùng số thứ tự (STT) làm mã",
        "No cadre id column: the STT number is the id",
    ),
    "id_from_row": (
        "Không có cột Mã cán bộ: dùng số dòng làm mã",
        "No cadre id column: the row number is the id",
    ),
    "row_skipped": (
        "Dòng tiêu đề nhóm hoặc chân bảng: bỏ qua",
        "A heading or footer row inside the table: skipped",
    ),
}


@dataclass(frozen=True, slots=True)
class Note:
    """A warning on one cell: what was read and which convention was used.

    Attributes:
        code: a key of :data:`NOTE_CODES`.
        column: the header of the cell's column (as the table writes it), if any.
        value: the cell as written.
        message_vi: the note in Vietnamese.
        message_en: the note in English.
        row: the row as the user sees it (set by the layout), if known.
        sheet: the sheet, if known.
    """

    code: str
    column: str | None
    value: str | None
    message_vi: str
    message_en: str
    row: Any = None
    sheet: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready description."""
        return {
            "code": self.code,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "message_vi": self.message_vi,
            "message_en": self.message_en,
        }


def note(code: str, col: Column | None, value: Any, vi: str = "", en: str = "") -> Note:
    """A note of ``code`` on a cell of ``col`` (the code's meaning, then ``vi``/``en``)."""
    base_vi, base_en = NOTE_CODES[code]
    return Note(
        code,
        col.header if col is not None else None,
        None if value is None else text(value),
        base_vi + (f" ({vi})" if vi else ""),
        base_en + (f" ({en})" if en else ""),
    )


def is_empty(value: Any) -> bool:
    """``None``, NaN, NaT, NA or a blank string: an unknown cell."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, str):
        return not value.strip()
    return type(value).__name__ in {"NaTType", "NAType"}


def cell_error(code: str, col: Column, vi: str, en: str, value: Any) -> InputError:
    """A coded error on a cell of ``col`` (both messages name the column)."""
    return InputError(
        code,
        f"Cột «{col.header}»: {vi}",
        f"Column «{col.header}» ({col.field}): {en}",
        field=col.field,
        details={"column": col.header, "value": _shown(value)},
    )


def _shown(value: Any) -> str:
    s = repr(value)
    return s if len(s) <= 200 else s[:200] + "…"


def text(value: Any) -> str:
    """A cell as text: NFC, trimmed; whole floats without ``.0``; dates ``dd/mm/yyyy``."""
    if type(value) is str and value.isascii():  # NFC leaves ASCII as it is
        return value.strip()
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")
    return unicodedata.normalize("NFC", str(value)).strip()


# --------------------------------------------------------------------------- dates

_EXCEL_EPOCH: Final = date(1899, 12, 30)  # serial 1 = 01/01/1900 (Excel's 1900 leap-year bug)
_SERIAL_MIN, _SERIAL_MAX = 2_958, 109_575  # 1908-02-05 .. 2199-12-31: never mistaken for a year
_SEP = r"\s*[/.\-]\s*"
_DMY = re.compile(rf"(\d{{1,2}}){_SEP}(\d{{1,2}}){_SEP}(\d{{4}})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_WORDS_DMY = re.compile(r"ngay_?(\d{1,2})_?thang_?(\d{1,2})_?nam_?(\d{4})")
_MY = re.compile(rf"(?:thang|t)?\s*(\d{{1,2}}){_SEP}(\d{{4}})")
_WORDS_MY = re.compile(r"thang_?(\d{1,2})_?(?:nam_?)?(\d{4})")
_ISO_MY = re.compile(r"(\d{4})-(\d{1,2})")
_Y = re.compile(r"(?:nam\s*)?((?:1[89]|2[01])\d{2})")


def _make(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


@functools.lru_cache(maxsize=16384)
def _date_text(raw: str) -> tuple[date, DatePrecision] | str:
    """Parse a date written as text; on failure the reason (English) is returned."""
    s = unicodedata.normalize("NFKC", raw).strip().lower()
    folded = fold(s)
    for pattern, order, precision in (
        (_DMY, (3, 2, 1), "day"),
        (_ISO, (1, 2, 3), "day"),
    ):
        if m := pattern.fullmatch(s):
            d = _make(int(m[order[0]]), int(m[order[1]]), int(m[order[2]]))
            return (d, precision) if d else "no such calendar date"  # type: ignore[return-value]
    if m := _WORDS_DMY.fullmatch(folded):
        d = _make(int(m[3]), int(m[2]), int(m[1]))
        return (d, "day") if d else "no such calendar date"
    for pattern, ym in ((_MY, (2, 1)), (_ISO_MY, (1, 2))):
        if m := pattern.fullmatch(s):
            d = _make(int(m[ym[0]]), int(m[ym[1]]), 1)
            return (d, "month") if d else "no such month"
    if m := _WORDS_MY.fullmatch(folded):
        d = _make(int(m[2]), int(m[1]), 1)
        return (d, "month") if d else "no such month"
    if m := _Y.fullmatch(s.replace("năm", "nam")):
        return date(int(m[1]), 1, 1), "year"
    if s.isdigit():
        return _serial(int(s)) or "a number that is neither a year nor an Excel date serial"
    return "not a date"


def _serial(n: int) -> tuple[date, DatePrecision] | None:
    if 1800 <= n <= 2199:
        return date(n, 1, 1), "year"
    if _SERIAL_MIN <= n <= _SERIAL_MAX:
        return _EXCEL_EPOCH + timedelta(days=n), "day"
    return None


def parse_date(col: Column, value: Any) -> tuple[date, DatePrecision]:
    """A date cell → ``(date, precision)`` (see the module text for the accepted forms).

    Raises:
        InputError: ``invalid_date`` naming the column.
    """
    if isinstance(value, datetime):
        return value.date(), "day"
    if isinstance(value, date):
        return value, "day"
    if isinstance(value, bool):
        raise _bad_date(col, value, "a yes/no value")
    if isinstance(value, int | float) and float(value).is_integer():
        got = _serial(int(value))
        if got is None:
            raise _bad_date(col, value, "neither a year nor an Excel date serial")
        return got
    if isinstance(value, float):
        got = _serial(int(value))  # an Excel date-time serial: the day part
        if got is None or got[1] != "day":
            raise _bad_date(col, value, "not an Excel date serial")
        return got
    if isinstance(value, str):
        got_text = _date_text(value)
        if isinstance(got_text, str):
            raise _bad_date(col, value, got_text)
        return got_text
    raise _bad_date(col, value, "not a date")


def _bad_date(col: Column, value: Any, why: str) -> InputError:
    return cell_error(
        "invalid_date",
        col,
        f"{text(value)!r} không phải là ngày (dd/mm/yyyy, mm/yyyy hoặc yyyy)",
        f"{value!r} is not a date (dd/mm/yyyy, mm/yyyy or yyyy): {why}",
        value,
    )


def dated(col: Column, value: Any, notes: list[Note]) -> date:
    """A date cell; a month- or year-only date adds its note."""
    day, precision = parse_date(col, value)
    if precision == "month":
        notes.append(note("date_month_only", col, value, day.strftime("%d/%m/%Y")))
    elif precision == "year":
        notes.append(note("date_year_only", col, value, day.strftime("%d/%m/%Y")))
    return day


# --------------------------------------------------------------------------- yes / no, numbers

_TRUE: Final = frozenset(
    {"co", "x", "yes", "y", "true", "dung", "1", "v", "ok", "dat", "du", "co_du", "la", "roi", "da"}
)
_FALSE: Final = frozenset(
    {"khong", "no", "n", "false", "sai", "0", "k", "ko", "khong_co", "khong_du", "khong_dat",
     "chua", "chua_du", "chua_dat"}
)  # fmt: skip
_TICKS: Final = frozenset({"✓", "✔", "☑", "✅", "√", "☒", "✗✓"})


def parse_bool(col: Column, value: Any) -> bool:
    """``có``/``không`` and every usual form (``x``, ``✓``, ``1``/``0``, ``yes``/``no``…)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    raw = text(value)
    if raw in _TICKS:
        return True
    key = header_key(raw)
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise cell_error(
        "invalid_value",
        col,
        f"giá trị {raw!r} không hợp lệ; ghi «có» hoặc «không» (để trống nếu chưa rõ)",
        f"value {value!r} is not valid; write «có» (yes) or «không» (no), empty if unknown",
        value,
    )


def parse_int(col: Column, value: Any) -> int:
    """A whole number (``3``, ``3.0``, ``"3"``)."""
    if isinstance(value, bool):
        raise cell_error("invalid_value", col, "cần một số nguyên", "an integer is needed", value)
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"[+-]?\d+(\.0+)?", value.strip()):
        return int(float(value.strip()))
    raise cell_error(
        "invalid_value", col, f"{text(value)!r} không phải là số nguyên",
        f"{value!r} is not an integer", value,
    )  # fmt: skip


def parse_allowance(col: Column, value: Any) -> int:
    """A position allowance: a coefficient (``0,3``, ``0.45``, ``1,25``) or the value × 100."""
    if isinstance(value, bool):
        raise cell_error("invalid_value", col, "cần hệ số phụ cấp", "an allowance is needed", value)
    if isinstance(value, int):
        return value
    number: float | None = None
    if isinstance(value, float):
        number = value
    elif isinstance(value, str):
        s = value.strip().replace(",", ".")
        if re.fullmatch(r"\d+(\.\d+)?", s):
            if "." not in s:
                return int(s)
            number = float(s)
    if number is None or number < 0:
        raise cell_error(
            "invalid_value", col, f"{text(value)!r} không phải là hệ số phụ cấp (ví dụ 0,3)",
            f"{value!r} is not an allowance coefficient (e.g. 0.3)", value,
        )  # fmt: skip
    return round(number * 100) if not number.is_integer() or number < 2 else int(number)


# --------------------------------------------------------------------------- codes


@functools.lru_cache(maxsize=4096)
def _parse_enum(cls: type[CodedEnum], raw: str) -> CodedEnum | InputError:
    try:
        return cls.parse(raw)
    except InputError as exc:
        return exc


def parse_code(col: Column, value: Any) -> Any:
    """An enum cell (code, label or alias) → the member; a free text column → the text."""
    raw = text(value)
    cls = enum_for(col.path)
    if cls is None:
        return raw
    parsed = _parse_enum(cls, raw)
    if isinstance(parsed, InputError):
        raise cell_error("invalid_enum", col, parsed.message_vi, parsed.message_en, value)
    return parsed


#: Ratings as boards write them: the full wording, its initials, or the short word.
_RATING_WORDS: Final[dict[str, Rating]] = {
    "htxsnv": Rating.HTXS, "htxs": Rating.HTXS, "xuat_sac": Rating.HTXS,
    "hoan_thanh_xuat_sac": Rating.HTXS, "xs": Rating.HTXS,
    "httnv": Rating.HTT, "htt": Rating.HTT, "hoan_thanh_tot": Rating.HTT, "tot": Rating.HTT,
    "htnv": Rating.HT, "ht": Rating.HT, "hoan_thanh": Rating.HT,
    "khtnv": Rating.KHT, "kht": Rating.KHT, "khong_hoan_thanh": Rating.KHT,
}  # fmt: skip


def parse_rating(col: Column, value: Any) -> Rating:
    """``Hoàn thành xuất sắc nhiệm vụ``, ``HTXSNV``, ``HTXS``, ``Xuất sắc``… → :class:`Rating`."""
    raw = text(value)
    key = header_key(raw)
    key = re.sub(r"_(nhiem_vu|nv)$", "_nhiem_vu", key)
    found = _RATING_WORDS.get(key) or _RATING_WORDS.get(key.removesuffix("_nhiem_vu"))
    if found is not None:
        return found
    parsed = _parse_enum(Rating, raw)
    if isinstance(parsed, InputError):
        raise cell_error("invalid_enum", col, parsed.message_vi, parsed.message_en, value)
    assert isinstance(parsed, Rating)
    return parsed


# --------------------------------------------------------------------------- discipline

_FORM_WORDS: Final[tuple[tuple[str, DisciplineForm], ...]] = tuple(
    sorted(
        (
            *((fold(m.label_vi).replace("_", " "), m) for m in DisciplineForm),
            *((fold(k).replace("_", " "), DisciplineForm(v)) for k, v in DisciplineForm.__aliases__.items()),
            ("ha bac", DisciplineForm.HA_BAC_LUONG),
        ),
        key=lambda kv: -len(kv[0]),
    )
)  # fmt: skip
_SYSTEM_WORDS: Final[tuple[tuple[str, DisciplineKind], ...]] = (
    ("ve dang", DisciplineKind.DANG),
    ("dang", DisciplineKind.DANG),
    ("chinh quyen", DisciplineKind.CHINH_QUYEN),
    ("hanh chinh", DisciplineKind.CHINH_QUYEN),
    ("ve chinh quyen", DisciplineKind.CHINH_QUYEN),
    ("nha nuoc", DisciplineKind.CHINH_QUYEN),
)
_NOISE = re.compile(r"^(?:ky luat|hinh thuc|kl)\s+")


def _spaced(raw: str) -> str:
    s = unicodedata.normalize("NFD", raw.lower()).replace("đ", "d")
    s = "".join(ch for ch in s if unicodedata.category(ch) != "Mn")
    return re.sub(r"\s+", " ", re.sub(r"[(),:;]", " ", s)).strip()


def parse_discipline(col: Column, value: Any, notes: list[Note]) -> dict[str, Any]:
    """A discipline cell → ``{form, kind?, decision_date?}``.

    ``Khiển trách``, ``Khiển trách (2023)``, ``Cảnh cáo Đảng 8/2023``, ``Cách chức chính
    quyền 15/03/2022``: the form first, then optionally the system (Đảng / chính quyền) and the
    decision date; a date known only to the month or the year adds its note.

    Raises:
        InputError: ``invalid_enum`` for an unknown form, ``invalid_date`` for a bad date.
    """
    raw = text(value)
    s = _NOISE.sub("", _spaced(raw))
    form: DisciplineForm | None = None
    for word, member in _FORM_WORDS:
        if s == word or s.startswith(word + " "):
            form, s = member, s[len(word) :].strip()
            break
    if form is None:
        parsed = parse_code(col, raw)  # a code or alias written alone, or a precise error
        return {"form": parsed}
    out: dict[str, Any] = {"form": form}
    for word, kind in _SYSTEM_WORDS:
        if s == word or s.startswith(word + " "):
            out["kind"] = kind
            s = s[len(word) :].strip()
            break
    s = re.sub(r"^(?:nam|ngay|thang|tu)\s+", "", s).strip()
    if s:
        day, precision = parse_date(col, s.replace(" ", "") if "/" in s or "." in s else s)
        out["decision_date"] = day
        if precision == "month":
            notes.append(note("date_month_only", col, value, day.strftime("%d/%m/%Y")))
        elif precision == "year":
            notes.append(note("date_year_only", col, value, day.strftime("%d/%m/%Y")))
    return out


# --------------------------------------------------------------------------- dispatch

_PARSERS: Final[dict[str, Callable[[Column, Any], Any]]] = {
    "bool": parse_bool,
    "int": parse_int,
    "allowance": parse_allowance,
    "code": parse_code,
}


def parse_cell(col: Column, value: Any, notes: list[Note]) -> Any:
    """One non-empty cell of ``col`` → its model value (notes appended to ``notes``).

    Dates of birth come back as ``(date, precision)``; discipline cells as a mapping.
    """
    if hasattr(value, "item") and not isinstance(value, str | date):  # numpy scalars
        value = value.item()
    kind = col.kind
    if kind == "date":
        return dated(col, value, notes)
    if kind == "birth":
        return parse_date(col, value)
    if kind == "discipline":
        return parse_discipline(col, value, notes)
    parser = _PARSERS.get(kind)
    if parser is not None:
        return parser(col, value)
    return text(value)
