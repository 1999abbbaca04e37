"""Errors with stable codes and messages in Vietnamese and English.

Every error the library raises on purpose carries a stable ``code`` (documented in
``docs/errors.md``), the ``field`` or location it concerns, and a message in both
languages. Codes never change meaning; new codes may be added.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from pydantic import ValidationError

__all__ = [
    "ERROR_CODES",
    "EngineError",
    "InputError",
    "LuanChuyenError",
    "RuleFileError",
    "input_error_from",
]

#: Every stable error code, with its meaning in Vietnamese and English.
ERROR_CODES: Final[dict[str, tuple[str, str]]] = {
    "invalid_enum": (
        "Giá trị không thuộc danh mục cho phép",
        "Value is not one of the allowed codes",
    ),
    "invalid_date": ("Ngày không hợp lệ", "Invalid date"),
    "date_order": ("Thứ tự ngày không hợp lệ", "Dates are out of order"),
    "birth_after_as_of": ("Ngày sinh sau ngày đánh giá", "Date of birth is after the as-of date"),
    "implausible_age": ("Tuổi không hợp lý", "Implausible age"),
    "negative_duration": ("Khoảng thời gian âm", "Negative duration"),
    "missing_field": ("Thiếu trường bắt buộc", "A required field is missing"),
    "invalid_value": ("Giá trị không hợp lệ", "Invalid value"),
    "invalid_input": ("Dữ liệu đầu vào không hợp lệ", "Invalid input"),
    "district_level_after_reform": (
        "Cấp huyện không còn tồn tại sau 01/07/2025",
        "The district level no longer exists after 01/07/2025",
    ),
    "case_file": ("Tệp hồ sơ không đọc được", "Case file cannot be read"),
    "rule_file": ("Tệp quy tắc không hợp lệ", "Invalid rule file"),
    "rule_schema": ("Quy tắc sai cấu trúc", "Rule does not match the schema"),
    "unknown_fact": (
        "Quy tắc dùng dữ kiện không tồn tại",
        "Rule uses a fact the library does not derive",
    ),
    "unknown_parameter": ("Quy tắc dùng tham số không tồn tại", "Rule uses an undefined parameter"),
    "type_mismatch": ("Kiểu giá trị không khớp", "Type mismatch"),
    "duplicate_id": ("Trùng mã", "Duplicate id"),
    "parameter_dates": (
        "Mốc thời gian của tham số chồng lấn hoặc sai thứ tự",
        "Parameter dates overlap or are out of order",
    ),
    "no_pack": ("Không tìm thấy bộ quy tắc", "Rule pack not found"),
    "no_regime": (
        "Không có quy tắc hiệu lực tại ngày đánh giá",
        "No rules in force on the as-of date",
    ),
    "unsafe_yaml": ("Tệp YAML chứa thẻ không an toàn", "YAML file contains an unsafe tag"),
    "engine_failure": ("Lỗi bộ máy suy luận", "Rule engine failure"),
    "engine_conflict": (
        "Bộ máy suy luận trả kết quả mâu thuẫn",
        "Rule engine returned contradictory results",
    ),
    "engine_capacity": (
        "Vượt giới hạn phiên của durable-rules",
        "durable-rules session limit reached",
    ),
    "engine_unavailable": ("Không nạp được durable-rules", "durable-rules cannot be imported"),
    "table_file": (
        "Tệp bảng tính (Excel, CSV, JSON Lines) không đọc được",
        "Spreadsheet or data file (Excel, CSV, JSON Lines) cannot be read",
    ),
    "unexpected_error": (
        "Lỗi không mong đợi khi xử lý một dòng dữ liệu",
        "Unexpected error while processing one row",
    ),
}


class LuanChuyenError(Exception):
    """Base class of every error raised on purpose by luanchuyen.

    Attributes:
        code: stable error code (a key of :data:`ERROR_CODES`).
        field: the input field or location concerned, dotted (``cadre.date_of_birth``).
        message_vi: the message in Vietnamese.
        message_en: the message in English.
    """

    def __init__(
        self,
        code: str,
        message_vi: str,
        message_en: str,
        *,
        field: str | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        if code not in ERROR_CODES:  # pragma: no cover - programming error
            raise KeyError(f"undocumented error code {code!r}")
        self.code = code
        self.field = field
        self.message_vi = message_vi
        self.message_en = message_en
        self.details = dict(details or {})
        where = f" [{field}]" if field else ""
        super().__init__(f"{code}{where}: {message_vi} / {message_en}")

    def __reduce__(self) -> tuple[Any, ...]:
        # Errors cross process boundaries (batch workers): rebuild them from their parts.
        return (_rebuild, (type(self), self.__dict__.copy()))

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready description of the error."""
        return {
            "code": self.code,
            "field": self.field,
            "message_vi": self.message_vi,
            "message_en": self.message_en,
            **({"details": self.details} if self.details else {}),
        }


def _rebuild(cls: type[LuanChuyenError], state: dict[str, Any]) -> LuanChuyenError:
    """Recreate a pickled error without calling ``__init__`` again."""
    err = cls.__new__(cls)
    err.__dict__.update(state)
    Exception.__init__(
        err, f"{state.get('code')}: {state.get('message_vi')} / {state.get('message_en')}"
    )
    return err


class InputError(LuanChuyenError, ValueError):
    """Bad input data: a cadre, a position, a move or a case file."""


class RuleFileError(LuanChuyenError, ValueError):
    """A rule pack that cannot be loaded: the file, the rule and the problem are named."""

    def __init__(
        self,
        code: str,
        message_vi: str,
        message_en: str,
        *,
        file: str | None = None,
        rule: str | None = None,
        field: str | None = None,
    ) -> None:
        self.file = file
        self.rule = rule
        loc = ":".join(x for x in (file, rule) if x)
        super().__init__(code, message_vi, message_en, field=field or (loc or None))


class EngineError(LuanChuyenError, RuntimeError):
    """The rule engine failed or returned an impossible result."""


def input_error_from(exc: ValidationError, prefix: str) -> InputError:
    """Turn a pydantic ``ValidationError`` into a bilingual, coded :class:`InputError`."""
    first = exc.errors()[0]
    loc = ".".join(str(x) for x in (prefix, *first["loc"]))
    kind = first["type"]
    code = {
        "missing": "missing_field",
        "invalid_enum": "invalid_enum",
        "invalid_date": "invalid_date",
        "date_order": "date_order",
        "negative_duration": "negative_duration",
        "implausible_age": "implausible_age",
        "extra_forbidden": "invalid_input",
    }.get(kind, "invalid_value")
    ctx = first.get("ctx") or {}
    if "vi" in ctx and "en" in ctx:
        vi, en = str(ctx["vi"]), str(ctx["en"])
    elif kind == "missing":
        vi, en = "thiếu trường bắt buộc", "required field is missing"
    elif kind == "extra_forbidden":
        vi, en = "trường không được khai báo", "unexpected field"
    elif " / " in first["msg"]:
        vi, en = first["msg"].split(" / ", 1)
    else:
        vi = en = first["msg"]
    n = exc.error_count()
    more_vi = f" (và {n - 1} lỗi khác)" if n > 1 else ""
    more_en = f" (and {n - 1} more errors)" if n > 1 else ""
    return InputError(
        code,
        f"{loc}: {vi}{more_vi}",
        f"{loc}: {en}{more_en}",
        field=loc,
        details={"errors": [{"loc": list(e["loc"]), "type": e["type"]} for e in exc.errors()]},
    )
