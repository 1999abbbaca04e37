"""Private field types shared by the input models: NFC text and lenient Vietnamese dates.

Text is refused when it holds bidirectional-override controls (U+202A–U+202E, U+2066–U+2069:
they make a name display differently from what it is) or when it is made only of invisible
characters (zero-width spaces and joiners, word joiners, byte-order marks). Dates outside
01/01/1800–31/12/2199 are refused: no cadre record holds one, and date arithmetic near the
calendar's end (31/12/9999) would overflow.
"""

from __future__ import annotations

import re
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


#: Input dates are accepted within these bounds (inclusive).
DATE_MIN, DATE_MAX = date(1800, 1, 1), date(2199, 12, 31)
_BIDI = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))
_INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e")
_BIDI_FOUND = re.compile("[" + "".join(sorted(_BIDI)) + "]").search


def _nfc(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    if value.isascii():  # NFC leaves ASCII as it is; no control or invisible one is ASCII
        return value.strip()
    text = unicodedata.normalize("NFC", value).strip()
    if _BIDI_FOUND(text):
        raise PydanticCustomError(
            "invalid_value",
            "Văn bản chứa ký tự điều khiển hướng chữ (U+202A–U+202E, U+2066–U+2069) / "
            "Text holds a bidirectional control character (U+202A–U+202E, U+2066–U+2069)",
        )
    # (stripped, a text starts with a visible character unless it is made only of invisible
    # ones and white space: the first character decides almost always)
    if text and text[0] in _INVISIBLE and all(ch in _INVISIBLE or ch.isspace() for ch in text):
        raise PydanticCustomError(
            "invalid_value",
            "Văn bản chỉ gồm ký tự vô hình (khoảng trắng độ rộng 0) / "
            "Text is made only of invisible characters (zero-width spaces)",
        )
    return text


def _in_range(value: date) -> date:
    if not DATE_MIN <= value <= DATE_MAX:
        raise PydanticCustomError(
            "invalid_date",
            "Ngày {value} nằm ngoài khoảng 01/01/1800–31/12/2199 / "
            "Date {value} is outside 01/01/1800–31/12/2199",
            {"value": value.strftime("%d/%m/%Y")},
        )
    return value


def _to_date(value: Any) -> Any:
    if type(value) is date:  # to_date's own first case, without the calls
        return _in_range(value)
    try:
        parsed = to_date(value)  # the one coercion of a date (dates.to_date)
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
    return _in_range(parsed)


#: Text, normalised to Unicode NFC (Vietnamese may arrive decomposed from spreadsheets).
Text = Annotated[str, BeforeValidator(_nfc)]
#: A calendar date given as ``date``, ``dd/mm/yyyy`` or ``yyyy-mm-dd``.
VnDate = Annotated[date, BeforeValidator(_to_date)]
