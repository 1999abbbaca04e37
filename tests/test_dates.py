"""Tests for luanchuyen.dates: law-brief §3.5 vectors, §3.3 cohorts, edge cases, parsing.

The retirement roadmap is also checked against an independent implementation written from the
§3.2 "year reached" table with a month-by-month scan (no code shared with the library).
"""

from __future__ import annotations

import dataclasses
import inspect
from calendar import monthrange
from datetime import date, datetime, timedelta

import pytest

from luanchuyen import dates
from luanchuyen import retirement_law as retirement_module
from luanchuyen.dates import (
    add_months,
    age_months,
    appointment_end,
    completed_months,
    date_reaching_months,
    earliest_date_months_at_least,
    first_day_of_next_month,
    is_under,
    last_day_of_month,
    parse_birth_date,
    parse_vn_date,
    terms,
)
from luanchuyen.errors import InputError
from luanchuyen.models.enums import Gender
from luanchuyen.retirement_law import (
    Retirement,
    remaining_service_months,
    retirement,
    statutory_retirement_age_months,
)

M = Gender.NAM
F = Gender.NU


def d(text: str) -> date:
    """dd/mm/yyyy -> date, written independently of the library's parser."""
    day, month, year = (int(x) for x in text.split("/"))
    return date(year, month, day)


def month_end(year: int, month: int) -> date:
    return date(year, month, monthrange(year, month)[1])


# --------------------------------------------------------------------------------------------
# §3.5 test vectors
# --------------------------------------------------------------------------------------------

# gender, dob, (years, months), reach, retirement date, pension start (None = not given)
VECTORS = [
    (M, "15/01/1961", (60, 3), "15/04/2021", "30/04/2021", "01/05/2021"),
    (M, "30/09/1961", (60, 3), "30/12/2021", "31/12/2021", "01/01/2022"),
    (M, "01/10/1961", (60, 6), "01/04/2022", "30/04/2022", "01/05/2022"),
    (M, "01/04/1963", (61, 0), "01/04/2024", "30/04/2024", "01/05/2024"),
    (M, "10/02/1965", (61, 6), "10/08/2026", "31/08/2026", None),
    (M, "01/04/1966", (62, 0), "01/04/2028", "30/04/2028", None),
    (F, "01/01/1966", (55, 4), "01/05/2021", "31/05/2021", "01/06/2021"),
    (F, "31/08/1966", (55, 4), "31/12/2021", "31/12/2021", None),
    (F, "01/09/1966", (55, 8), "01/05/2022", "31/05/2022", None),
    (F, "01/05/1967", (56, 0), "01/05/2023", "31/05/2023", None),
]


@pytest.mark.parametrize(("gender", "dob", "age", "reach", "ret", "pension"), VECTORS)
def test_law_brief_vectors(
    gender: Gender, dob: str, age: tuple[int, int], reach: str, ret: str, pension: str | None
) -> None:
    r = retirement(gender, d(dob))
    assert r.age_years_months == age
    assert r.age_months == age[0] * 12 + age[1]
    assert r.reach_date == d(reach)
    assert r.retirement_date == d(ret)
    if pension is not None:
        assert r.pension_start == d(pension)
    assert r.pension_start == r.retirement_date + timedelta(days=1)
    assert r.gender is gender
    assert r.date_of_birth == d(dob)
    assert r.overridden is False


def test_hd06_official_example() -> None:
    dob = d("10/02/1965")
    assert age_months(dob, d("10/08/2021")) == 56 * 12 + 6
    assert remaining_service_months(M, dob, d("10/08/2021")) == 60
    assert terms(remaining_service_months(M, dob, d("10/08/2021"))) == 1


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        ("10/07/2021", 61),
        ("09/08/2021", 61),
        ("10/08/2021", 60),
        ("31/08/2021", 60),
        ("09/09/2021", 60),
        ("10/09/2021", 59),
        ("09/08/2026", 1),
        ("10/08/2026", 0),
        ("31/08/2026", 0),
        ("10/09/2026", -1),  # not clamped after retirement
    ],
)
def test_hd06_neighbours(on: str, expected: int) -> None:
    assert remaining_service_months("nam", d("10/02/1965"), d(on)) == expected


def test_str_and_age_years_months() -> None:
    r = retirement(M, d("10/02/1965"))
    assert str(r) == "61 năm 6 tháng; nghỉ hưu 31/08/2026"
    assert str(retirement(M, d("01/04/1966"))) == "62 năm 0 tháng; nghỉ hưu 30/04/2028"


def test_retirement_is_frozen_with_slots() -> None:
    r = retirement(F, d("01/01/1966"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.age_months = 1  # type: ignore[misc]
    assert not hasattr(r, "__dict__")
    assert [f.name for f in dataclasses.fields(Retirement)] == [
        "gender",
        "date_of_birth",
        "age_months",
        "reach_date",
        "retirement_date",
        "pension_start",
        "overridden",
    ]


# --------------------------------------------------------------------------------------------
# §3.3 cohort tables (birth month -> age), both genders
# --------------------------------------------------------------------------------------------

# (first birth month, last birth month, years, months, first retirement month, last one)
MEN_BANDS = [
    ((1961, 1), (1961, 9), 60, 3, (2021, 4), (2021, 12)),
    ((1961, 10), (1962, 6), 60, 6, (2022, 4), (2022, 12)),
    ((1962, 7), (1963, 3), 60, 9, (2023, 4), (2023, 12)),
    ((1963, 4), (1963, 12), 61, 0, (2024, 4), (2024, 12)),
    ((1964, 1), (1964, 9), 61, 3, (2025, 4), (2025, 12)),
    ((1964, 10), (1965, 6), 61, 6, (2026, 4), (2026, 12)),
    ((1965, 7), (1966, 3), 61, 9, (2027, 4), (2027, 12)),
]
WOMEN_BANDS = [
    ((1966, 1), (1966, 8), 55, 4),
    ((1966, 9), (1967, 4), 55, 8),
    ((1967, 5), (1967, 12), 56, 0),
    ((1968, 1), (1968, 8), 56, 4),
    ((1968, 9), (1969, 4), 56, 8),
    ((1969, 5), (1969, 12), 57, 0),
    ((1970, 1), (1970, 8), 57, 4),
    ((1970, 9), (1971, 4), 57, 8),
    ((1971, 5), (1971, 12), 58, 0),
    ((1972, 1), (1972, 8), 58, 4),
    ((1972, 9), (1973, 4), 58, 8),
    ((1973, 5), (1973, 12), 59, 0),
    ((1974, 1), (1974, 8), 59, 4),
    ((1974, 9), (1975, 4), 59, 8),
]


def _cohort_cases() -> list[tuple[Gender, date, int]]:
    cases: list[tuple[Gender, date, int]] = []
    bands = [(M, b[0], b[1], b[2], b[3]) for b in MEN_BANDS]
    bands += [(F, b[0], b[1], b[2], b[3]) for b in WOMEN_BANDS]
    for gender, first, last, years, months in bands:
        for year, month in (first, last):
            for day in (1, monthrange(year, month)[1]):
                cases.append((gender, date(year, month, day), years * 12 + months))
    # Outside the roadmap bands.
    cases += [
        (M, date(1960, 12, 1), 720),
        (M, date(1960, 12, 31), 720),
        (M, date(1955, 6, 15), 720),
        (M, date(1966, 4, 1), 744),
        (M, date(1980, 1, 31), 744),
        (F, date(1965, 12, 1), 660),
        (F, date(1965, 12, 31), 660),
        (F, date(1960, 3, 3), 660),
        (F, date(1975, 5, 1), 720),
        (F, date(1975, 5, 31), 720),
        (F, date(1990, 7, 4), 720),
    ]
    return cases


@pytest.mark.parametrize(("gender", "dob", "expected"), _cohort_cases())
def test_cohort_boundaries(gender: Gender, dob: date, expected: int) -> None:
    assert retirement(gender, dob).age_months == expected


@pytest.mark.parametrize(("first", "last", "years", "months", "ret_first", "ret_last"), MEN_BANDS)
def test_men_band_retirement_months(
    first: tuple[int, int],
    last: tuple[int, int],
    years: int,
    months: int,
    ret_first: tuple[int, int],
    ret_last: tuple[int, int],
) -> None:
    r1 = retirement(M, date(*first, 1))
    r2 = retirement(M, month_end(*last))
    assert (r1.retirement_date.year, r1.retirement_date.month) == ret_first
    assert (r2.retirement_date.year, r2.retirement_date.month) == ret_last


def test_cohort_examples_from_brief() -> None:
    assert retirement(M, d("30/09/1961")).age_years_months == (60, 3)
    assert retirement(M, d("01/10/1961")).age_years_months == (60, 6)
    assert retirement(F, d("31/08/1966")).age_years_months == (55, 4)
    assert retirement(F, d("01/09/1966")).age_years_months == (55, 8)
    assert retirement(F, d("30/04/1975")).age_years_months == (59, 8)
    assert retirement(F, d("01/05/1975")).age_years_months == (60, 0)
    assert retirement(M, d("31/12/1960")).age_years_months == (60, 0)
    assert retirement(F, d("31/12/1965")).age_years_months == (55, 0)


def test_last_band_month_has_two_candidate_years_first_wins() -> None:
    # A man born 15/09/1961 reaches 60y3m on 15/12/2021 (2021 age) and would reach 60y6m on
    # 15/03/2022 (2022 age): two "fixed points". The first one is the law (Phụ lục I).
    assert add_months(d("15/09/1961"), 723).year == 2021
    assert add_months(d("15/09/1961"), 726).year == 2022
    r = retirement(M, d("15/09/1961"))
    assert r.age_months == 723
    assert r.retirement_date == d("31/12/2021")


# --------------------------------------------------------------------------------------------
# statutory age by year
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("gender", "year", "expected"),
    [
        (M, 1990, 720),
        (M, 2020, 720),
        (M, 2021, 723),
        (M, 2024, 732),
        (M, 2027, 741),
        (M, 2028, 744),
        (M, 2100, 744),
        (F, 2020, 660),
        (F, 2021, 664),
        (F, 2023, 672),
        (F, 2034, 716),
        (F, 2035, 720),
        (F, 2060, 720),
        ("nam", 2022, 726),
        ("male", 2022, 726),
        ("NỮ", 2022, 668),
        ("f", 2022, 668),
    ],
)
def test_statutory_age(gender: Gender | str, year: int, expected: int) -> None:
    assert statutory_retirement_age_months(gender, year) == expected


def test_statutory_age_bad_inputs() -> None:
    with pytest.raises(InputError) as exc:
        statutory_retirement_age_months("x", 2021)
    assert exc.value.field == "gender"
    with pytest.raises(InputError) as exc:
        statutory_retirement_age_months(M, "2021")  # type: ignore[arg-type]
    assert exc.value.field == "year_reached"


# --------------------------------------------------------------------------------------------
# leap days and month ends
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("gender", "dob", "reach", "ret"),
    [
        # 29/02/1980 + 62y (man) -> 2042 is not a leap year: clamp to 28/02.
        (M, "29/02/1980", "28/02/2042", "28/02/2042"),
        # 29/02/1976 + 62y -> 2038 (not leap).
        (M, "29/02/1976", "28/02/2038", "28/02/2038"),
        # Woman born 29/02/1968, 56y4m -> 29/06/2024 (no clamp needed).
        (F, "29/02/1968", "29/06/2024", "30/06/2024"),
        # Woman born 29/02/1980, 60y -> 29/02/2040 (leap year).
        (F, "29/02/1980", "29/02/2040", "29/02/2040"),
        # Man born 31/05/1963, 61y0m -> 31/05/2024.
        (M, "31/05/1963", "31/05/2024", "31/05/2024"),
        # Man born 31/12/1961, 60y6m -> 30/06/2022 (clamped), retirement 30/06/2022.
        (M, "31/12/1961", "30/06/2022", "30/06/2022"),
        # Man born 31/01/1961, 60y3m -> 30/04/2021.
        (M, "31/01/1961", "30/04/2021", "30/04/2021"),
        # Woman born 31/10/1966, 55y8m -> 30/06/2022.
        (F, "31/10/1966", "30/06/2022", "30/06/2022"),
        # Woman born 30/06/1972, 58y4m -> 30/10/2030.
        (F, "30/06/1972", "30/10/2030", "31/10/2030"),
        # Woman born 31/10/1972, 58y8m -> 30/06/2031 (clamped).
        (F, "31/10/1972", "30/06/2031", "30/06/2031"),
    ],
)
def test_leap_day_and_month_end_births(gender: Gender, dob: str, reach: str, ret: str) -> None:
    r = retirement(gender, d(dob))
    assert r.reach_date == d(reach)
    assert r.retirement_date == d(ret)
    assert r.retirement_date == month_end(r.retirement_date.year, r.retirement_date.month)
    # The reach date is exactly when the age is completed.
    assert age_months(r.date_of_birth, r.reach_date) == r.age_months
    assert age_months(r.date_of_birth, r.reach_date - timedelta(days=1)) == r.age_months - 1


# --------------------------------------------------------------------------------------------
# independent re-implementation from the §3.2 table
# --------------------------------------------------------------------------------------------

# (year reached, years, months) rows of Nghị định 135 Điều 4, copied from law-brief §3.2.
MEN_YEAR_TABLE = [
    (2021, 60, 3),
    (2022, 60, 6),
    (2023, 60, 9),
    (2024, 61, 0),
    (2025, 61, 3),
    (2026, 61, 6),
    (2027, 61, 9),
    (2028, 62, 0),
]
WOMEN_YEAR_TABLE = [
    (2021, 55, 4),
    (2022, 55, 8),
    (2023, 56, 0),
    (2024, 56, 4),
    (2025, 56, 8),
    (2026, 57, 0),
    (2027, 57, 4),
    (2028, 57, 8),
    (2029, 58, 0),
    (2030, 58, 4),
    (2031, 58, 8),
    (2032, 59, 0),
    (2033, 59, 4),
    (2034, 59, 8),
    (2035, 60, 0),
]
OLD_AGE = {M: 60 * 12, F: 55 * 12}
YEAR_TABLE = {M: MEN_YEAR_TABLE, F: WOMEN_YEAR_TABLE}


def indep_age_in_force(gender: Gender, year: int) -> int:
    """Age (months) in force in ``year``: the last table row not after ``year``."""
    age = OLD_AGE[gender]
    for row_year, years, months in YEAR_TABLE[gender]:
        if row_year <= year:
            age = years * 12 + months
    return age


def indep_retirement(gender: Gender, dob: date) -> tuple[int, date, date]:
    """Scan months: the retirement month is the first month in which the person's age in months
    reaches the age in force in that month's year. Returns (age, reach date, retirement date)."""
    birth_index = dob.year * 12 + dob.month - 1
    index = birth_index + OLD_AGE[gender]  # nobody retires younger than the old-regime age
    while index - birth_index < indep_age_in_force(gender, index // 12):
        index += 1
    year, month = divmod(index, 12)
    month += 1
    last = monthrange(year, month)[1]
    return index - birth_index, date(year, month, min(dob.day, last)), date(year, month, last)


def indep_completed_months(start: date, end: date) -> int:
    """Completed months; a day that does not exist in ``end``'s month counts as its last day."""
    months = (end.year - start.year) * 12 + end.month - start.month
    due_day = min(start.day, monthrange(end.year, end.month)[1])
    return months - (1 if end.day < due_day else 0)


@pytest.mark.parametrize("gender", [M, F])
@pytest.mark.parametrize("decade", [1950, 1960, 1970, 1980, 1990, 2000])
def test_matches_independent_implementation(gender: Gender, decade: int) -> None:
    mismatches: list[str] = []
    for year in range(decade, min(decade + 10, 2006)):
        for month in range(1, 13):
            last = monthrange(year, month)[1]
            for day in sorted({1, 15, 28, last}):
                dob = date(year, month, day)
                age, reach, ret = indep_retirement(gender, dob)
                r = retirement(gender, dob)
                got = (r.age_months, r.reach_date, r.retirement_date)
                if got != (age, reach, ret):
                    mismatches.append(f"{dob}: library {got} != independent {(age, reach, ret)}")
                for on in (ret, reach - timedelta(days=1), date(2025, 3, 1)):
                    if on >= dob and age_months(dob, on) != indep_completed_months(dob, on):
                        mismatches.append(f"age_months({dob}, {on})")
    assert not mismatches, mismatches[:20]


# --------------------------------------------------------------------------------------------
# month arithmetic
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        ("31/05/2024", 1, "30/06/2024"),
        ("29/02/2024", 12, "28/02/2025"),
        ("29/02/2024", 48, "29/02/2028"),
        ("31/01/2023", 1, "28/02/2023"),
        ("31/01/2024", 1, "29/02/2024"),
        ("31/03/2024", -1, "29/02/2024"),
        ("15/01/2024", -13, "15/12/2022"),
        ("10/10/2024", 0, "10/10/2024"),
        ("30/11/2024", 1, "30/12/2024"),
    ],
)
def test_add_months(start: str, n: int, expected: str) -> None:
    assert add_months(d(start), n) == d(expected)


def test_add_months_out_of_range() -> None:
    with pytest.raises(InputError) as exc:
        add_months(date(9999, 12, 1), 1)
    assert exc.value.field == "n"
    with pytest.raises(ValueError):
        add_months(date(1, 1, 1), -1)
    with pytest.raises(ValueError):
        add_months(date(2000, 1, 1), 10**30)


def test_last_and_first_days() -> None:
    assert last_day_of_month(d("10/02/2024")) == d("29/02/2024")
    assert last_day_of_month(d("01/02/2023")) == d("28/02/2023")
    assert last_day_of_month(d("31/12/2023")) == d("31/12/2023")
    assert first_day_of_next_month(d("31/12/2023")) == d("01/01/2024")
    assert first_day_of_next_month(d("01/02/2024")) == d("01/03/2024")
    with pytest.raises(InputError):
        first_day_of_next_month(date(9999, 12, 5))


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("31/01/2023", "28/02/2023", 1),
        ("31/01/2023", "27/02/2023", 0),
        ("31/01/2024", "29/02/2024", 1),
        ("31/01/2024", "28/02/2024", 0),
        ("30/01/2023", "28/02/2023", 1),
        ("30/11/2023", "31/12/2023", 1),
        ("30/11/2023", "30/12/2023", 1),
        ("30/11/2023", "29/12/2023", 0),
        ("31/01/2023", "28/03/2023", 1),
        ("31/01/2023", "31/03/2023", 2),
        ("29/02/2024", "28/02/2025", 12),
        ("29/02/2024", "27/02/2025", 11),
        ("10/02/1965", "10/08/2021", 678),
        ("10/02/1965", "09/08/2021", 677),
        ("15/03/2020", "15/03/2020", 0),
        ("15/03/2020", "14/04/2020", 0),
        ("15/03/2020", "15/04/2020", 1),
    ],
)
def test_completed_months(start: str, end: str, expected: int) -> None:
    assert completed_months(d(start), d(end)) == expected
    m = expected
    assert add_months(d(start), m) <= d(end) < add_months(d(start), m + 1)


def test_completed_months_rejects_reversed_dates() -> None:
    with pytest.raises(InputError) as exc:
        completed_months(d("02/01/2024"), d("01/01/2024"))
    assert exc.value.code == "date_order"
    assert exc.value.field == "end"
    assert "end" in str(exc.value)
    with pytest.raises(ValueError):
        age_months(d("02/01/2024"), d("01/01/2024"))


# --------------------------------------------------------------------------------------------
# terms, ages, appointment, reaching dates
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("months", "term", "expected"),
    [
        (0, 60, 0),
        (59, 60, 0),
        (60, 60, 1),
        (119, 60, 1),
        (120, 60, 2),
        (180, 60, 3),
        (-1, 60, 0),
        (-600, 60, 0),
        (48, 48, 1),
        (95, 48, 1),
    ],
)
def test_terms(months: int, term: int, expected: int) -> None:
    assert terms(months, term) == expected


def test_terms_default_and_bad_term() -> None:
    assert terms(125) == 2
    for bad in (0, -60):
        with pytest.raises(InputError) as exc:
            terms(100, bad)
        assert exc.value.field == "term_months"


def test_is_under() -> None:
    dob = d("15/03/1985")
    assert is_under(40, dob, d("14/03/2025"))
    assert not is_under(40, dob, d("15/03/2025"))
    dob_end = d("29/02/1984")
    assert is_under(40, dob_end, d("27/02/2024"))
    assert is_under(40, dob_end, d("28/02/2024"))
    assert not is_under(40, dob_end, d("29/02/2024"))
    assert not is_under(0, dob, dob)


def test_appointment_end() -> None:
    assert appointment_end(d("15/06/2021")) == d("15/06/2026")
    assert appointment_end(d("29/02/2024")) == d("28/02/2029")
    assert appointment_end(d("29/02/2024"), 4) == d("29/02/2028")
    assert appointment_end(d("01/01/2020"), 1) == d("01/01/2021")
    start = d("31/08/2023")
    assert completed_months(start, appointment_end(start)) == 60
    with pytest.raises(InputError) as exc:
        appointment_end(start, 0)
    assert exc.value.field == "years"


def test_date_reaching_months() -> None:
    child = d("31/05/2021")
    assert date_reaching_months(child, 36) == d("31/05/2024")
    assert date_reaching_months(d("31/03/2021"), 11) == d("28/02/2022")
    assert date_reaching_months(child, 0) == child
    with pytest.raises(InputError) as exc:
        date_reaching_months(child, -1)
    assert exc.value.field == "months"


def test_earliest_date_months_at_least() -> None:
    start = d("10/01/2020")
    assert earliest_date_months_at_least(start, 24, d("01/01/2021")) == d("10/01/2022")
    assert earliest_date_months_at_least(start, 24, d("01/06/2023")) == d("01/06/2023")
    assert earliest_date_months_at_least(start, 24, d("10/01/2022")) == d("10/01/2022")


# --------------------------------------------------------------------------------------------
# override and bad inputs
# --------------------------------------------------------------------------------------------


def test_override() -> None:
    # Nghị định 83/2022: a woman in a senior post may work to 60.
    r = retirement(F, d("20/07/1970"), override_age_months=720)
    assert r.overridden is True
    assert r.age_months == 720
    assert r.reach_date == d("20/07/2030")
    assert r.retirement_date == d("31/07/2030")
    assert r.pension_start == d("01/08/2030")
    assert (
        remaining_service_months(F, d("20/07/1970"), d("20/07/2025"), override_age_months=720) == 60
    )
    assert remaining_service_months(F, d("20/07/1970"), d("20/07/2025")) == 57 * 12 + 4 - 660
    # The override may even equal the statutory age; it is still flagged.
    assert retirement(M, d("10/02/1965"), override_age_months=738).overridden is True
    assert retirement(M, d("10/02/1965"), override_age_months=1).age_months == 1
    assert retirement(M, d("10/02/1965"), override_age_months=1200).age_months == 1200


@pytest.mark.parametrize("bad", [0, -1, 1201, True, 60.0, "720"])
def test_override_bad(bad: object) -> None:
    with pytest.raises(InputError) as exc:
        retirement(M, d("10/02/1965"), override_age_months=bad)  # type: ignore[arg-type]
    assert exc.value.field == "override_age_months"
    assert "override_age_months" in str(exc.value)


@pytest.mark.parametrize("bad", ["x", "", None, 1, "namm"])
def test_bad_gender(bad: object) -> None:
    with pytest.raises(InputError) as exc:
        retirement(bad, d("10/02/1965"))  # type: ignore[arg-type]
    assert exc.value.field == "gender"


@pytest.mark.parametrize("alias", ["nam", "Nam", "NAM", "male", "m", " M "])
def test_gender_aliases_men(alias: str) -> None:
    assert retirement(alias, d("10/02/1965")).gender is M


@pytest.mark.parametrize("alias", ["nữ", "Nữ", "nu\u031b\u0303", "nu", "female", "F"])
def test_gender_aliases_women(alias: str) -> None:
    assert retirement(alias, d("01/01/1966")).gender is F


def test_date_of_birth_as_text() -> None:
    """Every date argument takes the strings dd/mm/yyyy and yyyy-mm-dd (dates.to_date)."""
    assert (
        retirement(M, "10/02/1965") == retirement(M, "1965-02-10") == retirement(M, d("10/02/1965"))
    )


@pytest.mark.parametrize("bad", ["31/02/1965", "02/1965", "10.02.1965", 1965, None, 1.5])
def test_bad_date_of_birth(bad: object) -> None:
    with pytest.raises(InputError) as exc:
        retirement(M, bad)  # type: ignore[arg-type]
    assert exc.value.field == "date_of_birth"


def test_datetime_accepted_as_date() -> None:
    r = retirement(M, datetime(1965, 2, 10, 13, 30))  # noqa: DTZ001
    assert r.date_of_birth == d("10/02/1965")
    assert type(r.date_of_birth) is date


def test_dates_near_calendar_end() -> None:
    with pytest.raises(InputError) as exc:
        retirement(M, date(9960, 1, 1))
    assert exc.value.field == "date_of_birth"
    assert retirement(F, date(1, 1, 1)).age_months == 660


def test_remaining_before_birth_rejected() -> None:
    with pytest.raises(InputError) as exc:
        remaining_service_months(M, d("10/02/1965"), d("09/02/1965"))
    assert exc.value.code == "date_order"


# --------------------------------------------------------------------------------------------
# parsing
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10/02/1965", date(1965, 2, 10)),
        ("1/2/1965", date(1965, 2, 1)),
        ("01/2/1965", date(1965, 2, 1)),
        ("1965-02-10", date(1965, 2, 10)),
        ("  29/02/2024 ", date(2024, 2, 29)),
        ("\u00a010/02/1965", date(1965, 2, 10)),
    ],
)
def test_parse_vn_date(text: str, expected: date) -> None:
    assert parse_vn_date(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "31/02/2024",
        "29/02/2023",
        "00/01/2024",
        "10/13/2024",
        "2024-02-30",
        "2024-2-3",
        "10-02-1965",
        "10/02/65",
        "10.02.1965",
        "1965",
        "02/1965",
        "",
        "abc",
        "10/02/1965 extra",
        "１０/02/1965x",
    ],
)
def test_parse_vn_date_rejects(text: str) -> None:
    with pytest.raises(InputError) as exc:
        parse_vn_date(text)
    assert exc.value.code == "invalid_date"
    assert exc.value.message_vi
    assert exc.value.message_en
    assert exc.value.message_vi != exc.value.message_en
    assert isinstance(exc.value, ValueError)


def test_parse_vn_date_non_string_and_field() -> None:
    with pytest.raises(InputError) as exc:
        parse_vn_date(19650210)  # type: ignore[arg-type]
    assert exc.value.field == "date"
    with pytest.raises(InputError) as exc:
        parse_vn_date("31/02/2024", field="move.decision_date")
    assert exc.value.field == "move.decision_date"
    assert "31/02/2024" in str(exc.value)


@pytest.mark.parametrize(
    ("value", "expected", "precision"),
    [
        (date(1965, 2, 10), date(1965, 2, 10), "day"),
        (datetime(1965, 2, 10, 8), date(1965, 2, 10), "day"),  # noqa: DTZ001
        ("10/02/1965", date(1965, 2, 10), "day"),
        ("1965-02-10", date(1965, 2, 10), "day"),
        ("02/1965", date(1965, 2, 1), "month"),
        ("2/1965", date(1965, 2, 1), "month"),
        ("1965-02", date(1965, 2, 1), "month"),
        ("1965", date(1965, 1, 1), "year"),
        (" 1965 ", date(1965, 1, 1), "year"),
        (1980, date(1980, 1, 1), "year"),
    ],
)
def test_parse_birth_date(value: object, expected: date, precision: str) -> None:
    assert parse_birth_date(value) == (expected, precision)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "value", ["13/1965", "00/1965", "65", "31/02/1965", "", "x", 0, 10000, True, 1965.0, None]
)
def test_parse_birth_date_rejects(value: object) -> None:
    with pytest.raises(InputError) as exc:
        parse_birth_date(value)  # type: ignore[arg-type]
    assert exc.value.code == "invalid_date"
    assert exc.value.field == "date_of_birth"


def test_year_only_birth_uses_first_january() -> None:
    dob, precision = parse_birth_date("1966")
    assert precision == "year"
    r = retirement(F, dob)
    assert r.age_years_months == (55, 4)
    assert r.retirement_date == d("31/05/2021")


# --------------------------------------------------------------------------------------------
# module hygiene
# --------------------------------------------------------------------------------------------


def test_public_names() -> None:
    for module in (dates, retirement_module):
        for name in module.__all__:
            assert hasattr(module, name), name


def test_never_reads_the_wall_clock() -> None:
    for module in (dates, retirement_module):
        source = inspect.getsource(module)
        for forbidden in (".today(", ".now(", "utcnow", "time.time", "import time"):
            assert forbidden not in source, forbidden


def test_dates_imports_no_model() -> None:
    """The calendar sits below the models: it imports nothing of them."""
    source = inspect.getsource(dates)
    assert "luanchuyen.models" not in source
