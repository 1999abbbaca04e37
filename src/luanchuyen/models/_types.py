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
from collections.abc import Sequence
from datetime import date
from typing import Annotated, Any, Final, Literal

from annotated_types import MinLen
from pydantic import BeforeValidator, ConfigDict
from pydantic.fields import FieldInfo
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


# --------------------------------------------------------------------------- settled values
# A table reader validates many values of one field at once (records.coded). When every value
# is already what the field's validator would make of it, the validator would hand each back
# as it is: these say when, for the two types above, so that no call a value is needed.

_TEXT_VALIDATOR: Final = BeforeValidator(_nfc)
_DATE_VALIDATOR: Final = BeforeValidator(_to_date)
_TEXT_FORMS: Final = ([_TEXT_VALIDATOR], [MinLen(1), _TEXT_VALIDATOR])


def settled_kind(info: FieldInfo) -> Literal["text", "date"] | None:
    """``"text"`` for a model field typed :data:`Text` (``Text | None``, or ``Text`` of at
    least one character), ``"date"`` for :data:`VnDate` (or ``VnDate | None``), ``None``
    for any other field (another type, another constraint)."""
    annotation, metadata = info.annotation, list(info.metadata)
    if (annotation is str and metadata in _TEXT_FORMS) or (
        annotation == Text | None and not metadata
    ):
        return "text"
    if (annotation is date and metadata == [_DATE_VALIDATOR]) or (
        annotation == VnDate | None and not metadata
    ):
        return "date"
    return None


def settled(kind: Literal["text", "date"], values: Sequence[Any]) -> bool:
    """Whether a field of :func:`settled_kind` ``kind`` returns every one of ``values`` as
    it is (each loop at C speed).

    Text: exact ``str``, ASCII (its own NFC; no bidirectional control and no invisible
    character is ASCII), not empty, nothing that ``strip()`` removes (``_nfc``'s strip, and
    the models' ``str_strip_whitespace``, whose white space is within Python's). Date: exact
    ``date`` (not a ``datetime``), within :data:`DATE_MIN`–:data:`DATE_MAX`.
    """
    if kind == "text":
        return (
            set(map(type, values)) <= {str}
            and all(map(str.isascii, values))
            and all(values)
            and all(map(str.__eq__, values, map(str.strip, values)))
        )
    return set(map(type, values)) <= {date} and (
        not values or (min(values) >= DATE_MIN and max(values) <= DATE_MAX)
    )
