"""Retirement law (module `retirement_law`: `luanchuyen.retirement` is the function): the Nghị định 135/2020 roadmap, the retirement dates, the service time left.

Conventions (see ``law-brief.md`` §3):

* **Retirement** follows Bộ luật Lao động 2019 Điều 169 and Nghị định 135/2020/NĐ-CP: the age is
  the one in force in the calendar year in which it is reached (Điều 4), the retirement date is
  the last day of the month in which it is reached (Điều 3.1), and the pension starts on the first
  day of the following month (Điều 3.2). When only the birth year is known, 01/01 of that year is
  used (Điều 3.3, see :func:`parse_birth_date`).
* **Remaining service time** follows Hướng dẫn 06-HD/BTCTW: retirement age in months minus
  the age in completed months on the reference date. It ignores the part-month between reaching
  the age and the end of that month, and it is not clamped at zero.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date
from typing import Final

from luanchuyen.dates import (
    add_months,
    age_months,
    as_int,
    calendar_range_error,
    first_day_of_next_month,
    format_vn,
    last_day_of_month,
    to_date,
)
from luanchuyen.errors import InputError
from luanchuyen.models.enums import Gender, parse_gender

__all__ = [
    "Retirement",
    "remaining_service_months",
    "retirement",
    "statutory_age_for_month",
    "statutory_retirement_age_months",
]

#: First calendar year of the Bộ luật Lao động 2019 roadmap (Nghị định 135 Điều 4).
_ROADMAP_START_YEAR: Final = 2021
#: (age before 2021, monthly step per year, cap), in months.
_ROADMAP: Final[dict[Gender, tuple[int, int, int]]] = {
    Gender.NAM: (720, 3, 744),  # 60y0m; +3 months a year from 2021; 62y0m from 2028
    Gender.NU: (660, 4, 720),  # 55y0m; +4 months a year from 2021; 60y0m from 2035
}
#: Bounds for ``override_age_months`` (1 month to 100 years).
_OVERRIDE_MIN: Final = 1
_OVERRIDE_MAX: Final = 1200


# --------------------------------------------------------------------------------------------
# retirement (Bộ luật Lao động 2019 Điều 169; Nghị định 135/2020/NĐ-CP)
# --------------------------------------------------------------------------------------------


def statutory_retirement_age_months(gender: Gender | str, year_reached: int) -> int:
    """Return the normal retirement age, in months, in force in a calendar year.

    Nghị định 135/2020/NĐ-CP Điều 4: men 60y0m before 2021, then +3 months a year up to 62y0m
    (from 2028); women 55y0m before 2021, then +4 months a year up to 60y0m (from 2035).

    Args:
        gender: :class:`Gender` or one of its aliases (``"nam"``, ``"nữ"``, ``"male"``, ...).
        year_reached: the calendar year in which the age is reached.

    Returns:
        The age in months.

    Raises:
        InputError: if ``gender`` is not recognised or ``year_reached`` is not an integer.
    """
    base, step, cap = _ROADMAP[parse_gender(gender)]
    year = as_int(year_reached, "year_reached")
    if year < _ROADMAP_START_YEAR:
        return base
    return min(base + step * (year - _ROADMAP_START_YEAR + 1), cap)


@dataclass(frozen=True, slots=True)
class Retirement:
    """When a person reaches retirement age and retires.

    Attributes:
        gender: the person's gender.
        date_of_birth: the date of birth used (01/01 when only the year is known).
        age_months: the retirement age in months.
        reach_date: the day the age is reached, ``add_months(date_of_birth, age_months)``.
        retirement_date: last day of the month of ``reach_date`` (Nghị định 135 Điều 3.1).
        pension_start: first day of the following month (Nghị định 135 Điều 3.2).
        overridden: ``True`` if the age came from ``override_age_months`` instead of the
            statutory roadmap.
    """

    gender: Gender
    date_of_birth: date
    age_months: int
    reach_date: date
    retirement_date: date
    pension_start: date
    overridden: bool

    @property
    def age_years_months(self) -> tuple[int, int]:
        """The retirement age as ``(years, months)``, for example ``(61, 6)``."""
        years, months = divmod(self.age_months, 12)
        return years, months

    def __str__(self) -> str:
        """Vietnamese summary, for example ``"61 năm 6 tháng; nghỉ hưu 31/08/2026"``."""
        years, months = self.age_years_months
        return f"{years} năm {months} tháng; nghỉ hưu {format_vn(self.retirement_date)}"


def _statutory_age_for(gender: Gender, dob: date) -> int:
    """The statutory age for ``dob``: it depends only on the birth month (Phụ lục I)."""
    return statutory_age_for_month(gender, dob.year, dob.month)


@functools.lru_cache(maxsize=4096)
def statutory_age_for_month(gender: Gender, year_of_birth: int, month_of_birth: int) -> int:
    """The statutory age in force in the year it is reached, for ``dob``.

    Scans candidate years upward and returns the age of the **first** year ``y`` for which
    ``add_months(dob, age(y))`` falls in ``y``. A second such year can exist (a man born in
    09/1961 reaches 60y3m in 12/2021 and would reach 60y6m in 03/2022); the first one is the
    moment the person first reaches the age in force, which matches Phụ lục I of Nghị định 135.
    """
    dob = date(year_of_birth, month_of_birth, 1)  # the reach year does not depend on the day
    base, _step, cap = _ROADMAP[gender]
    # The age lies between base and cap, so the year reached lies in this window, and at
    # least one year in it is a fixed point (year - reach_year moves up by 0 or 1 a year,
    # from <= 0 at the start of the window to >= 1 at its end).
    for year in range(dob.year + base // 12, dob.year + cap // 12 + 2):
        age = statutory_retirement_age_months(gender, year)
        if add_months(dob, age).year == year:
            return age
    raise AssertionError(f"no retirement year found for {dob}")  # pragma: no cover


def retirement(
    gender: Gender | str,
    date_of_birth: date,
    *,
    override_age_months: int | None = None,
) -> Retirement:
    """Compute the retirement age and dates for a person (law-brief §3.4).

    Args:
        gender: :class:`Gender` or one of its aliases.
        date_of_birth: the date of birth; use 01/01 of the year when only the year is known
            (Nghị định 135 Điều 3.3; :func:`parse_birth_date` does this).
        override_age_months: a retirement age in months to use instead of the statutory
            roadmap (later retirement under Nghị định 83/2022, early retirement, armed forces,
            ...). Must be between 1 and 1200.

    Returns:
        A :class:`Retirement`.

    Raises:
        InputError: (a ``ValueError``) for an unknown gender, a ``date_of_birth`` that is not a
            date, an ``override_age_months`` outside 1..1200, or dates beyond year 9999.
    """
    g = parse_gender(gender)
    dob = to_date(date_of_birth, "date_of_birth")
    overridden = override_age_months is not None
    if override_age_months is not None:
        age = as_int(override_age_months, "override_age_months")
        if not _OVERRIDE_MIN <= age <= _OVERRIDE_MAX:
            raise InputError(
                "invalid_value",
                f"'override_age_months' phải từ {_OVERRIDE_MIN} đến {_OVERRIDE_MAX}, "
                f"nhận được {age}",
                f"'override_age_months' must be between {_OVERRIDE_MIN} and {_OVERRIDE_MAX}, "
                f"got {age}",
                field="override_age_months",
            )
    return _retirement(g, dob, age if overridden else None)


@functools.lru_cache(maxsize=65_536)
def _retirement(g: Gender, dob: date, override: int | None) -> Retirement:
    """:func:`retirement` once its arguments are checked (cached: a province has many
    cadres born on the same day, and a cross product meets each cadre many times)."""
    try:
        age = _statutory_age_for(g, dob) if override is None else override
        reach = add_months(dob, age)
        retirement_date = last_day_of_month(reach)
        pension_start = first_day_of_next_month(retirement_date)
    except InputError as exc:  # only near year 9999
        raise calendar_range_error("date_of_birth", format_vn(dob)) from exc
    return Retirement(
        gender=g,
        date_of_birth=dob,
        age_months=age,
        reach_date=reach,
        retirement_date=retirement_date,
        pension_start=pension_start,
        overridden=override is not None,
    )


def remaining_service_months(
    gender: Gender | str,
    date_of_birth: date,
    on: date,
    *,
    override_age_months: int | None = None,
) -> int:
    """Working time left on a date, in months, by the Hướng dẫn 06-HD/BTCTW method.

    Retirement age in months minus the age in completed months on ``on``. A man born
    10/02/1965 (retirement age 61y6m) has 60 months left on 10/08/2021 (the official example).
    The result is negative after the retirement age has been reached; it is not clamped.

    Args:
        gender: :class:`Gender` or one of its aliases.
        date_of_birth: the date of birth.
        on: the reference date.
        override_age_months: see :func:`retirement`.

    Returns:
        The remaining months (may be zero or negative).

    Raises:
        InputError: as :func:`retirement`, or if ``on`` is before ``date_of_birth``.
    """
    ret = retirement(gender, date_of_birth, override_age_months=override_age_months)
    return ret.age_months - age_months(ret.date_of_birth, to_date(on, "on"))
