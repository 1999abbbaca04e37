"""Private field types shared by the input models: NFC text and lenient Vietnamese dates."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BeforeValidator, ConfigDict
from pydantic_core import PydanticCustomError

MODEL_CONFIG = ConfigDict(
    frozen=True,
    extra="forbid",
    str_strip_whitespace=True,
    validate_default=True,
    use_enum_values=False,
)


def _nfc(value: Any) -> Any:
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value).strip()
    return value


def _to_date(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        from luanchuyen.dates import parse_vn_date

        try:
            return parse_vn_date(value)
        except ValueError:
            raise PydanticCustomError(
                "invalid_date",
                "Ngày '{value}' không hợp lệ (dùng dd/mm/yyyy, yyyy-mm-dd; ngày sinh có thể là "
                "yyyy hoặc mm/yyyy) / Invalid date '{value}' (use dd/mm/yyyy or yyyy-mm-dd; a "
                "birth date may be yyyy or mm/yyyy)",
                {"value": value},
            ) from None
    raise PydanticCustomError(
        "invalid_date",
        "Ngày '{value}' không hợp lệ / Invalid date '{value}'",
        {"value": repr(value)},
    )


#: Text, normalised to Unicode NFC (Vietnamese may arrive decomposed from spreadsheets).
Text = Annotated[str, BeforeValidator(_nfc)]
#: A calendar date given as ``date``, ``dd/mm/yyyy`` or ``yyyy-mm-dd``.
VnDate = Annotated[date, BeforeValidator(_to_date)]
