"""Coded JSON errors for the service: never a traceback, never a record in a log line."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi.responses import JSONResponse

from luanchuyen.errors import EngineError, InputError, LuanChuyenError, RuleFileError

__all__ = ["HttpError", "error_response", "status_of", "validation_error"]

log = logging.getLogger("luanchuyen.server")


class HttpError(LuanChuyenError):
    """An error with its HTTP status (401, 404, 413, 503…)."""

    def __init__(
        self,
        status: int,
        code: str,
        message_vi: str,
        message_en: str,
        *,
        field: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(code, message_vi, message_en, field=field)
        self.status = status
        self.headers = dict(headers or {})


def status_of(exc: LuanChuyenError) -> int:
    """The HTTP status of a library error: 400 for a request that cannot be read or names
    an unknown pack, 422 for input that reads but is invalid, 500 for an engine failure."""
    if isinstance(exc, HttpError):
        return exc.status
    if isinstance(exc, EngineError):
        return 500
    if isinstance(exc, RuleFileError):
        return 400
    if isinstance(exc, InputError) and (
        exc.code in {"case_file", "table_file"}
        or (exc.code == "invalid_input" and exc.field in {None, "body"})
    ):
        return 400
    return 422


def error_response(exc: LuanChuyenError) -> JSONResponse:
    """The JSON body ``{code, field, message_vi, message_en}`` with its status."""
    status = status_of(exc)
    body = exc.to_dict()
    body.pop("details", None)  # may quote input values: not sent back, never logged
    headers = exc.headers if isinstance(exc, HttpError) else None
    return JSONResponse(body, status_code=status, headers=headers)


def validation_error(errors: Sequence[Mapping[str, Any]]) -> InputError:
    """A FastAPI validation error (``loc`` starting with ``body``/``query``) as a coded error."""
    from luanchuyen.models.validate import input_error_from

    if any(e.get("type") == "json_invalid" for e in errors):
        return InputError(
            "invalid_input",
            "Nội dung gửi lên không phải JSON hợp lệ",
            "The request body is not valid JSON",
            field="body",
        )
    cleaned = []
    for e in errors:
        loc = tuple(e.get("loc", ()))
        if loc and loc[0] in {"body", "query", "path", "header"}:
            loc = loc[1:]
        cleaned.append({**e, "loc": loc or ("body",)})
    return input_error_from(cleaned, "")


def from_http_exception(status: int) -> HttpError:
    """A coded error for the framework's own answers (no route, wrong method…)."""
    if status == 404:
        return HttpError(404, "not_found", "Không có địa chỉ này", "No such route")
    if status == 405:
        return HttpError(
            405, "method_not_allowed", "Phương thức không dùng được ở địa chỉ này",
            "Method not allowed on this route",
        )  # fmt: skip
    return HttpError(
        status if 400 <= status < 500 else 400,
        "invalid_input",
        "Yêu cầu không đọc được",
        "The request cannot be read",
        field="body",
    )


def unexpected(exc: BaseException, where: str) -> HttpError:
    """Log an unexpected failure by its type only (no message: it might quote a record)."""
    log.error("unexpected %s in %s", type(exc).__name__, where)
    return HttpError(
        500,
        "server_error",
        "Lỗi máy chủ không mong đợi; dữ liệu gửi lên không được ghi lại",
        "Unexpected server error; the data sent was not logged",
    )
