"""Calendar arithmetic and Vietnamese date parsing: pure, no models, no law.

Everything here is a pure function of its arguments: nothing reads the wall clock.
Callers pass the reference date explicitly.

Conventions (see ``law-brief.md`` §2.8 and §3):

* **Month arithmetic clamps the day** to the length of the target month
  (31/05 + 1 month = 30/06; 29/02/2024 + 12 months = 28/02/2025).
* **Completed months.** ``m`` months are completed from ``start`` to ``end`` exactly when
  ``add_months(start, m) <= end``. For days up to the 28th this is the usual
  ``(end.y - start.y)*12 + (end.m - start.m) - (1 if end.day < start.day else 0)``; for a start
  late in the month it counts the month as completed on the last day of a shorter month
  (31/01 -> 28/02 is one month, 30/11 -> 31/12 is one month).
* **Parsing.** :func:`to_date` is the one coercion of a date argument (``date``,
  ``datetime``, pandas ``Timestamp``, ``dd/mm/yyyy``, ``yyyy-mm-dd``); the retirement roadmap
  lives in :mod:`luanchuyen.retirement_law`.
"""

from __future__ import annotations

import re
import unicodedata
from calendar import monthrange
from datetime import date, datetime
from typing import Final, Literal

from luanchuyen.errors import InputError

__all__ = [
    "BirthPrecision",
    "add_months",
    "age_months",
    "appointment_end",
    "as_int",
    "calendar_range_error",
    "completed_months",
    "date_reaching_months",
    "earliest_date_months_at_least",
    "first_day_of_next_month",
    "format_vn",
    "is_under",
    "last_day_of_month",
    "parse_birth_date",
    "parse_vn_date",
    "terms",
    "to_date",
]

#: How precisely a date of birth is known.
BirthPrecision = Literal["day", "month", "year"]

_DMY_RE: Final = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})", re.ASCII)
_ISO_RE: Final = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)
_MY_RE: Final = re.compile(r"(\d{1,2})/(\d{4})", re.ASCII)
_YM_RE: Final = re.compile(r"(\d{4})-(\d{2})", re.ASCII)
_Y_RE: Final = re.compile(r"\d{4}", re.ASCII)


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------


def format_vn(d: date) -> str:
    """Format a date the Vietnamese way, ``dd/mm/yyyy``.

    >>> format_vn(date(2025, 1, 5))
    '05/01/2025'
    """
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"


def as_int(value: object, field: str) -> int:
    """Return ``value`` as an int (bool rejected) or raise :class:`InputError` naming ``field``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError(
            "invalid_value",
            f"'{field}' phải là số nguyên, nhận được {value!r}",
            f"'{field}' must be an integer, got {value!r}",
            field=field,
        )
    return value


def calendar_range_error(field: str, detail: object) -> InputError:
    """The error for date arithmetic that leaves years 1–9999 (code ``invalid_date``)."""
    return InputError(
        "invalid_date",
        f"Kết quả tính ngày vượt ngoài phạm vi lịch (năm 1–9999) ({field}: {detail})",
        f"Date arithmetic left the supported calendar range, years 1–9999 ({field}: {detail})",
        field=field,
    )


# --------------------------------------------------------------------------------------------
# month arithmetic
# --------------------------------------------------------------------------------------------


def add_months(d: date, n: int) -> date:
    """Add ``n`` calendar months to ``d``, clamping the day to the target month's length.

    Args:
        d: the starting date.
        n: number of months to add; may be negative.

    Returns:
        The date ``n`` months later (earlier if ``n < 0``). 31/05 + 1 month is 30/06 and
        29/02/2024 + 12 months is 28/02/2025.

    Raises:
        InputError: (a ``ValueError``) if the result falls outside years 1–9999; the field is
            ``n``.
    """
    # Plain integer arithmetic: the same result as ``d + relativedelta(months=n)`` (tested
    # against it), about ten times faster, and this is on every evaluation's path.
    y, m0 = divmod(d.year * 12 + d.month - 1 + n, 12)
    if not 1 <= y <= 9999:
        raise calendar_range_error("n", f"{format_vn(d)} + {n}")
    day = d.day
    if day > 28:
        day = min(day, monthrange(y, m0 + 1)[1])
    return date(y, m0 + 1, day)


def last_day_of_month(d: date) -> date:
    """Return the last day of the month containing ``d``.

    Args:
        d: any date.

    Returns:
        The last day of ``d``'s month (29/02 in leap years).
    """
    return d.replace(day=monthrange(d.year, d.month)[1])


def first_day_of_next_month(d: date) -> date:
    """Return the first day of the month after the one containing ``d``.

    Args:
        d: any date.

    Returns:
        Day 1 of the following month.

    Raises:
        InputError: (a ``ValueError``) if ``d`` is in December 9999.
    """
    if d.month == 12:
        if d.year == 9999:
            raise calendar_range_error("d", format_vn(d))
        return date(d.year + 1, 1, 1)
    return date(d.year, d.month + 1, 1)


def completed_months(start: date, end: date) -> int:
    """Count the calendar months completed from ``start`` to ``end``.

    ``m`` months are completed exactly when ``add_months(start, m) <= end``; the result is the
    largest such ``m``. For start days up to the 28th this equals
    ``(end.y - start.y)*12 + (end.m - start.m) - (1 if end.day < start.day else 0)``. A month
    that ends before the start day comes round counts as completed on its last day, so
    31/01 -> 28/02 is 1 month, 31/01/2024 -> 29/02/2024 is 1 month and 30/11 -> 31/12 is 1.

    Args:
        start: the first date (for example a date of birth).
        end: the later date (for example the reference date).

    Returns:
        The number of completed months, ``>= 0``.

    Raises:
        InputError: (a ``ValueError``, code ``date_order``) if ``end`` is before ``start``.
    """
    if end < start:
        raise InputError(
            "date_order",
            f"'end' ({format_vn(end)}) trước 'start' ({format_vn(start)})",
            f"'end' ({format_vn(end)}) is before 'start' ({format_vn(start)})",
            field="end",
        )
    months = (end.year - start.year) * 12 + (end.month - start.month)
    # add_months(start, months) lies in end's month, on day min(start.day, length of that
    # month); it is after ``end`` exactly when end.day < start.day and end is not the last day.
    if end.day < start.day and end.day != monthrange(end.year, end.month)[1]:
        months -= 1
    return months


# --------------------------------------------------------------------------------------------
# ages, remaining time, terms
# --------------------------------------------------------------------------------------------


def age_months(date_of_birth: date, on: date) -> int:
    """Age in completed months on a date: ``completed_months(date_of_birth, on)``.

    Args:
        date_of_birth: the date of birth.
        on: the reference date.

    Returns:
        The age in completed months.

    Raises:
        InputError: (code ``date_order``) if ``on`` is before ``date_of_birth``.
    """
    return completed_months(date_of_birth, on)


def terms(months: int, term_months: int = 60) -> int:
    """Whole terms (nhiệm kỳ) that fit in ``months``.

    Args:
        months: a number of months; negative values give 0.
        term_months: length of one term in months (60 = 5 years by default).

    Returns:
        ``months // term_months``, never negative.

    Raises:
        InputError: if ``term_months`` is not a positive integer.
    """
    length = as_int(term_months, "term_months")
    if length <= 0:
        raise InputError(
            "invalid_value",
            f"'term_months' phải là số dương, nhận được {length}",
            f"'term_months' must be positive, got {length}",
            field="term_months",
        )
    return max(0, as_int(months, "months") // length)


def is_under(age_limit_years: int, date_of_birth: date, on: date) -> bool:
    """Whether a person is under an age limit on a date.

    "Dưới 40 tuổi" means fewer than ``40*12`` completed months: a person born 15/03/1985 is
    under 40 up to and including 14/03/2025 and not under 40 from 15/03/2025.

    Args:
        age_limit_years: the limit in whole years.
        date_of_birth: the date of birth.
        on: the reference date.

    Returns:
        ``age_months(date_of_birth, on) < age_limit_years * 12``.
    """
    return age_months(date_of_birth, on) < as_int(age_limit_years, "age_limit_years") * 12


def appointment_end(appointed_on: date, years: int = 5) -> date:
    """The date an appointment term ends.

    Returns ``add_months(appointed_on, 12 * years)``: the anniversary date itself, on which the
    term of ``years`` full years is completed (``completed_months(appointed_on, result)`` is
    exactly ``12 * years``). It is **not** the day before the anniversary; callers that need
    the last day in office subtract one day.

    Args:
        appointed_on: the date the appointment took effect.
        years: the length of the term in years (5 by default).

    Returns:
        The anniversary date ``years`` years later (29/02 maps to 28/02 in common years).

    Raises:
        InputError: if ``years`` is not a positive integer.
    """
    n = as_int(years, "years")
    if n <= 0:
        raise InputError(
            "invalid_value",
            f"'years' phải là số dương, nhận được {n}",
            f"'years' must be positive, got {n}",
            field="years",
        )
    return add_months(appointed_on, 12 * n)


def date_reaching_months(start: date, months: int) -> date:
    """The earliest date on which ``months`` months are completed since ``start``.

    Equal to ``add_months(start, months)``; for example the day a child born on ``start``
    reaches 36 months.

    Args:
        start: the starting date.
        months: a number of months, ``>= 0``.

    Returns:
        The earliest ``d`` with ``completed_months(start, d) >= months``.

    Raises:
        InputError: if ``months`` is negative.
    """
    n = as_int(months, "months")
    if n < 0:
        raise InputError(
            "negative_duration",
            f"'months' không được âm, nhận được {n}",
            f"'months' must not be negative, got {n}",
            field="months",
        )
    return add_months(start, n)


def earliest_date_months_at_least(start: date, months: int, not_before: date) -> date:
    """The earliest date, not before ``not_before``, with ``months`` months completed.

    Args:
        start: the starting date.
        months: a number of months, ``>= 0``.
        not_before: the earliest acceptable date.

    Returns:
        ``max(not_before, date_reaching_months(start, months))``.
    """
    return max(not_before, date_reaching_months(start, months))


# --------------------------------------------------------------------------------------------
# parsing
# --------------------------------------------------------------------------------------------


def _bad_date(text: object, field: str, reason_vi: str, reason_en: str) -> InputError:
    return InputError(
        "invalid_date",
        f"'{field}': ngày {text!r} không hợp lệ ({reason_vi})",
        f"'{field}': invalid date {text!r} ({reason_en})",
        field=field,
    )


def _make_date(year: int, month: int, day: int, text: object, field: str) -> date:
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise _bad_date(
            text, field, "ngày không tồn tại trong lịch", f"no such calendar date: {exc}"
        ) from exc


def _clean(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def parse_vn_date(text: str, *, field: str = "date") -> date:
    """Parse a date written ``dd/mm/yyyy``, ``d/m/yyyy`` or ``yyyy-mm-dd``.

    Args:
        text: the text to parse; surrounding spaces are ignored.
        field: the field name to put in error messages.

    Returns:
        The date.

    Raises:
        InputError: (a ``ValueError``, code ``invalid_date``) with a Vietnamese and English
            message for any other format or for an impossible date such as 31/02/2024.
    """
    if not isinstance(text, str):
        raise _bad_date(
            text,
            field,
            "cần chuỗi dạng dd/mm/yyyy hoặc yyyy-mm-dd",
            "expected a string dd/mm/yyyy or yyyy-mm-dd",
        )
    s = _clean(text)
    if m := _DMY_RE.fullmatch(s):
        return _make_date(int(m[3]), int(m[2]), int(m[1]), text, field)
    if m := _ISO_RE.fullmatch(s):
        return _make_date(int(m[1]), int(m[2]), int(m[3]), text, field)
    raise _bad_date(
        text,
        field,
        "định dạng hợp lệ: dd/mm/yyyy, d/m/yyyy, yyyy-mm-dd",
        "accepted formats: dd/mm/yyyy, d/m/yyyy, yyyy-mm-dd",
    )


def parse_birth_date(
    value: date | str | int, *, field: str = "date_of_birth"
) -> tuple[date, BirthPrecision]:
    """Parse a date of birth that may be known only to the month or the year.

    Accepted forms:

    * a :class:`date` (a ``datetime`` is reduced to its date) -> precision ``"day"``;
    * a full date string accepted by :func:`parse_vn_date` -> ``"day"``;
    * ``"mm/yyyy"``, ``"m/yyyy"`` or ``"yyyy-mm"`` -> day 01, precision ``"month"``;
    * ``"yyyy"`` or an ``int`` year -> 01/01 of that year, precision ``"year"``
      (Nghị định 135/2020 Điều 3.3).

    Args:
        value: the value to parse.
        field: the field name to put in error messages.

    Returns:
        ``(date, precision)``.

    Raises:
        InputError: (a ``ValueError``, code ``invalid_date``) for anything else.
    """
    if isinstance(value, datetime):
        return value.date(), "day"
    if isinstance(value, date):
        return value, "day"
    if isinstance(value, int) and not isinstance(value, bool):
        return _make_date(value, 1, 1, value, field), "year"
    if isinstance(value, str):
        s = _clean(value)
        if _Y_RE.fullmatch(s):
            return _make_date(int(s), 1, 1, value, field), "year"
        if m := _MY_RE.fullmatch(s):
            return _make_date(int(m[2]), int(m[1]), 1, value, field), "month"
        if m := _YM_RE.fullmatch(s):
            return _make_date(int(m[1]), int(m[2]), 1, value, field), "month"
        if _DMY_RE.fullmatch(s) or _ISO_RE.fullmatch(s):
            return parse_vn_date(s, field=field), "day"
    raise _bad_date(
        value,
        field,
        "định dạng hợp lệ: dd/mm/yyyy, yyyy-mm-dd, mm/yyyy, yyyy",
        "accepted formats: dd/mm/yyyy, yyyy-mm-dd, mm/yyyy, yyyy",
    )


def to_date(value: object, field: str = "date") -> date:
    """Coerce a date argument: the one coercion used by every date of the API and the CLI.

    Accepts a :class:`date`, a :class:`datetime` (a pandas ``Timestamp`` is one; the
    date part is kept) and the strings ``dd/mm/yyyy`` (``d/m/yyyy``) and ``yyyy-mm-dd``.

    >>> to_date("15/01/2025"), to_date("2025-01-15"), to_date(datetime(2025, 1, 15, 9, 30))
    (datetime.date(2025, 1, 15), datetime.date(2025, 1, 15), datetime.date(2025, 1, 15))

    Raises:
        InputError: (a ``ValueError``, code ``invalid_date``) naming ``field`` for anything
            else — another type (a number, ``None``, ``NaT``), another format, or a day
            that does not exist such as 31/02/2024.
    """
    if isinstance(value, datetime):
        if value != value:  # pragma: no cover - NaT is not a datetime instance in pandas 2
            raise _bad_date(value, field, "ngày trống", "missing date")
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        return parse_vn_date(value, field=field)
    raise InputError(
        "invalid_date",
        f"'{field}' phải là một ngày (date, datetime, Timestamp hoặc chuỗi dd/mm/yyyy, "
        f"yyyy-mm-dd), nhận được {type(value).__name__}",
        f"'{field}' must be a date (date, datetime, Timestamp or a dd/mm/yyyy or yyyy-mm-dd "
        f"string), got {type(value).__name__}",
        field=field,
    )
