"""Errors with stable codes and messages in Vietnamese and English.

Every error the library raises on purpose carries a stable ``code`` (documented in
``docs/errors.md``), the ``field`` or location it concerns, and a message in both
languages. Codes never change meaning; new codes may be added.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    pass

__all__ = [
    "ERROR_CODES",
    "EXTRA_OF_MODULE",
    "EngineError",
    "InputError",
    "LuanChuyenError",
    "MissingExtraError",
    "RuleFileError",
    "missing_extra",
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
    "yaml_alias": (
        "Tệp YAML dùng neo hoặc bí danh (&, *), không được phép",
        "YAML file uses an anchor or alias (&, *), which is not allowed",
    ),
    "duplicate_pack": (
        "Hai bộ quy tắc cùng một mã trong một tập quy tắc",
        "Two rule packs with the same id in one rule set",
    ),
    "pack_path_in_data": (
        "Tệp hồ sơ chỉ được gọi bộ quy tắc theo tên, không theo đường dẫn",
        "A case file may name rule packs only by id, never by path",
    ),
    "missing_extra": (
        "Thiếu gói cài đặt bổ sung cho chức năng này",
        "An optional extra needed by this feature is not installed",
    ),
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
    "table_too_large": (
        "Tệp bảng tính vượt giới hạn kích thước (dung lượng, số dòng, số cột, độ dài ô)",
        "Table file over a size limit (bytes, rows, columns, cell length)",
    ),
    "table_encoding": (
        "Bảng mã của tệp không đọc được (TCVN3, VNI…): hãy lưu lại dạng CSV UTF-8",
        "The file's encoding cannot be read (TCVN3, VNI…): save it as CSV UTF-8",
    ),
    "unexpected_error": (
        "Lỗi không mong đợi khi xử lý một dòng dữ liệu",
        "Unexpected error while processing one row",
    ),
    "unauthorized": (
        "Thiếu hoặc sai khóa truy cập (Authorization: Bearer …)",
        "Missing or wrong API key (Authorization: Bearer …)",
    ),
    "not_found": ("Không tìm thấy", "Not found"),
    "method_not_allowed": (
        "Phương thức HTTP không dùng được ở địa chỉ này",
        "HTTP method not allowed on this route",
    ),
    "payload_too_large": ("Dữ liệu gửi lên quá lớn", "Request body too large"),
    "too_many_rows": ("Quá nhiều dòng trong một yêu cầu", "Too many rows in one request"),
    "time_limit": (
        "Yêu cầu vượt quá thời gian xử lý cho phép",
        "The request exceeded its time limit",
    ),
    "server_error": (
        "Lỗi máy chủ không mong đợi (đã ghi nhận, không kèm dữ liệu hồ sơ)",
        "Unexpected server error (logged without record data)",
    ),
    "receipt_mismatch": (
        "Biên nhận của kết luận không khớp khi đánh giá lại (hồ sơ, bộ quy tắc, phiên bản "
        "hoặc kết quả khác)",
        "A decision's receipt does not match on replay (inputs, rules, version or result differ)",
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


#: The optional extra that brings each optional top-level module.
EXTRA_OF_MODULE: Final[dict[str, str]] = {
    "pandas": "analysis",
    "numpy": "analysis",
    "openpyxl": "analysis",
    "matplotlib": "analysis",
    "pytest": "testing",
    "hypothesis": "testing",
    "fastapi": "server",
    "uvicorn": "server",
    "starlette": "server",
    "multipart": "server",
}


class MissingExtraError(LuanChuyenError, ImportError):
    """A feature needs an optional dependency that is not installed; names the extra."""

    def __init__(self, module: str, extra: str, *, feature: str | None = None) -> None:
        self.module = module
        self.extra = extra
        what_vi = f" cho {feature}" if feature else ""
        what_en = f" for {feature}" if feature else ""
        super().__init__(
            "missing_extra",
            f"cần gói '{module}'{what_vi}; cài bằng: pip install 'luanchuyen[{extra}]'",
            f"'{module}' is needed{what_en}; install it with: pip install 'luanchuyen[{extra}]'",
            field=module,
        )


def missing_extra(exc: ModuleNotFoundError) -> MissingExtraError | None:
    """The :class:`MissingExtraError` for an optional module that failed to import, if any."""
    top = (exc.name or "").split(".")[0]
    extra = EXTRA_OF_MODULE.get(top)
    return MissingExtraError(top, extra) if extra is not None else None
