"""Mapping → model or :class:`~luanchuyen.errors.InputError`: the one place it is done.

Every entry point that takes plain data (the Python API, case files, batch rows, the
command line) validates it here, so that a bad input gives the same coded, bilingual
error naming the same field wherever it came in.

>>> from luanchuyen.models import Move
>>> validate_model(Move, {"kind": "luan_chuyen"}, "move")
Traceback (most recent call last):
...
luanchuyen.errors.InputError: missing_field [move.target]: move.target: thiếu trường bắt buộc / move.target: required field is missing
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from luanchuyen.errors import ERROR_CODES, InputError

__all__ = ["error_code_of", "error_messages", "input_error_from", "validate_model"]

M = TypeVar("M", bound=BaseModel)

#: Pydantic error types that are not themselves error codes, and the code they map to.
_CODE_OF_TYPE = {
    "missing": "missing_field",
    "extra_forbidden": "invalid_input",
    "json_invalid": "invalid_input",
}
#: Vietnamese for pydantic's own error types (its messages are English only).
_PYDANTIC_VI: dict[str, str] = {
    "int_parsing": "cần một số nguyên",
    "int_type": "cần một số nguyên",
    "int_from_float": "cần một số nguyên",
    "float_parsing": "cần một số",
    "float_type": "cần một số",
    "bool_parsing": "cần giá trị có/không (true/false)",
    "bool_type": "cần giá trị có/không (true/false)",
    "string_type": "cần một chuỗi ký tự",
    "dict_type": "cần một đối tượng (các trường và giá trị)",
    "model_type": "cần một đối tượng (các trường và giá trị)",
    "model_attributes_type": "cần một đối tượng (các trường và giá trị)",
    "list_type": "cần một danh sách",
    "tuple_type": "cần một danh sách",
    "literal_error": "giá trị không thuộc danh sách cho phép ({expected})",
    "enum": "giá trị không thuộc danh sách cho phép ({expected})",
    "greater_than": "phải lớn hơn {gt}",
    "greater_than_equal": "phải lớn hơn hoặc bằng {ge}",
    "less_than": "phải nhỏ hơn {lt}",
    "less_than_equal": "phải nhỏ hơn hoặc bằng {le}",
    "string_too_short": "chuỗi quá ngắn (tối thiểu {min_length} ký tự)",
    "string_too_long": "chuỗi quá dài (tối đa {max_length} ký tự)",
    "too_short": "quá ít phần tử (tối thiểu {min_length})",
    "too_long": "quá nhiều phần tử (tối đa {max_length})",
    "date_parsing": "ngày không hợp lệ",
    "date_type": "ngày không hợp lệ",
    "date_from_datetime_parsing": "ngày không hợp lệ",
    "date_from_datetime_inexact": "ngày không được kèm giờ",
    "string_pattern_mismatch": "không đúng khuôn dạng",
    "union_tag_invalid": "loại đối tượng không hợp lệ",
    "json_invalid": "không phải JSON hợp lệ",
}


def _vi_message(kind: str, ctx: Mapping[str, Any]) -> str:
    template = _PYDANTIC_VI.get(kind, "giá trị không hợp lệ")
    try:
        return template.format(**{k: str(v) for k, v in ctx.items()})
    except (KeyError, IndexError):
        return "giá trị không hợp lệ"


def error_code_of(kind: str) -> str:
    """The error code of a pydantic error type (``missing`` → ``missing_field``; a type that
    is itself an error code keeps it; anything else → ``invalid_value``)."""
    return _CODE_OF_TYPE.get(kind, kind if kind in ERROR_CODES else "invalid_value")


def error_messages(error: Mapping[str, Any]) -> tuple[str, str]:
    """The Vietnamese and English messages of one pydantic error (its ``vi``/``en`` context,
    our ``"vi / en"`` messages, or pydantic's English with a Vietnamese one beside it)."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if "vi" in ctx and "en" in ctx:
        return str(ctx["vi"]), str(ctx["en"])
    if kind == "missing":
        return "thiếu trường bắt buộc", "required field is missing"
    if kind == "extra_forbidden":
        return "trường không được khai báo", "unexpected field"
    if " / " in error["msg"]:
        vi, en = error["msg"].split(" / ", 1)
        return vi, en
    return _vi_message(kind, ctx), str(error["msg"])


def input_error_from(exc: ValidationError | Sequence[Mapping[str, Any]], prefix: str) -> InputError:
    """Turn a pydantic ``ValidationError`` (or its ``errors()`` list) into a coded :class:`InputError`.

    The first error decides the code and the field (``prefix.loc``); the count of the
    others is added to the message and every one is kept in ``details``. A custom error
    whose type is an error code (``invalid_date``, ``pack_path_in_data`` …) keeps it; its
    ``vi``/``en`` context gives the two messages; pydantic's own English message gets a
    Vietnamese one beside it. An empty ``prefix`` leaves the location as pydantic gives it.
    """
    errors = exc.errors() if isinstance(exc, ValidationError) else list(exc)
    first = errors[0]
    loc = ".".join(str(x) for x in ((prefix,) if prefix else ()) + tuple(first["loc"]))
    code = error_code_of(first["type"])
    vi, en = error_messages(first)
    n = len(errors)
    more_vi = f" (và {n - 1} lỗi khác)" if n > 1 else ""
    more_en = f" (and {n - 1} more errors)" if n > 1 else ""
    return InputError(
        code,
        f"{loc}: {vi}{more_vi}",
        f"{loc}: {en}{more_en}",
        field=loc,
        details={"errors": [{"loc": list(e["loc"]), "type": e["type"]} for e in errors]},
    )


def validate_model(cls: type[M], value: Any, prefix: str) -> M:
    """``value`` as a ``cls`` (returned as is when it already is one), else an InputError.

    Raises:
        InputError: ``missing_field`` for ``None``, else the code of the first problem,
            with the field named ``prefix.loc``.
    """
    if isinstance(value, cls):
        return value
    if value is None:
        raise InputError(
            "missing_field",
            f"{prefix}: thiếu dữ liệu",
            f"{prefix}: data is missing",
            field=prefix,
        )
    try:
        return cls.model_validate(value)
    except ValidationError as exc:
        raise input_error_from(exc, prefix) from None
