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

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from luanchuyen.errors import ERROR_CODES, InputError

__all__ = ["input_error_from", "validate_model"]

M = TypeVar("M", bound=BaseModel)

#: Pydantic error types that are not themselves error codes, and the code they map to.
_CODE_OF_TYPE = {
    "missing": "missing_field",
    "extra_forbidden": "invalid_input",
}


def input_error_from(exc: ValidationError, prefix: str) -> InputError:
    """Turn a pydantic ``ValidationError`` into a bilingual, coded :class:`InputError`.

    The first error decides the code and the field (``prefix.loc``); the count of the
    others is added to the message and every one is kept in ``details``. A custom error
    whose type is an error code (``invalid_date``, ``pack_path_in_data`` …) keeps it; its
    ``vi``/``en`` context gives the two messages.
    """
    first = exc.errors()[0]
    loc = ".".join(str(x) for x in (prefix, *first["loc"]))
    kind = first["type"]
    code = _CODE_OF_TYPE.get(kind, kind if kind in ERROR_CODES else "invalid_value")
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
