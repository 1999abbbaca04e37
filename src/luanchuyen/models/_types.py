"""Private field types shared by the input models: NFC text and lenient Vietnamese dates."""

from __future__ import annotations

import unicodedata
from datetime import date
from typing import Annotated, Any

from pydantic import BeforeValidator, ConfigDict
from pydantic_core import PydanticCustomError

from luanchuyen.dates import to_date
from luanchuyen.errors import InputError

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
    try:
        return to_date(value)  # the one coercion of a date (dates.to_date)
    except InputError:
        if isinstance(value, str):
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
        ) from None


#: Text, normalised to Unicode NFC (Vietnamese may arrive decomposed from spreadsheets).
Text = Annotated[str, BeforeValidator(_nfc)]
#: A calendar date given as ``date``, ``dd/mm/yyyy`` or ``yyyy-mm-dd``.
VnDate = Annotated[date, BeforeValidator(_to_date)]
