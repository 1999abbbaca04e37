"""Hypothesis property tests for luanchuyen.dates."""

from __future__ import annotations

from calendar import monthrange
from datetime import date, timedelta

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from luanchuyen.dates import (
    add_months,
    age_months,
    completed_months,
    date_reaching_months,
    earliest_date_months_at_least,
    parse_birth_date,
    parse_vn_date,
)
from luanchuyen.models.enums import Gender
from luanchuyen.retirement_law import remaining_service_months, retirement

SETTINGS = settings(max_examples=200, deadline=None, database=None)

genders = st.sampled_from([Gender.NAM, Gender.NU])
births = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))
any_dates = st.dates(min_value=date(1800, 1, 1), max_value=date(2200, 12, 31))
months = st.integers(min_value=0, max_value=1500)


def is_month_end(d: date) -> bool:
    return d.day == monthrange(d.year, d.month)[1]


# --------------------------------------------------------------------------------------------
# retirement
# --------------------------------------------------------------------------------------------


@SETTINGS
@given(genders, births)
def test_retirement_date_is_a_month_end(gender: Gender, dob: date) -> None:
    r = retirement(gender, dob)
    assert is_month_end(r.retirement_date)
    assert r.pension_start == r.retirement_date + timedelta(days=1)
    assert r.pension_start.day == 1
    assert r.reach_date == add_months(dob, r.age_months)
    assert (r.reach_date.year, r.reach_date.month) == (
        r.retirement_date.year,
        r.retirement_date.month,
    )
    # The age applied is the one in force in the year it is reached.
    assert r.age_months in {720, 723, 726, 729, 732, 735, 738, 741, 744} | set(range(660, 721, 4))


@SETTINGS
@given(genders, births, births)
def test_retirement_never_decreases_with_birth_date(gender: Gender, a: date, b: date) -> None:
    early, late = min(a, b), max(a, b)
    r1, r2 = retirement(gender, early), retirement(gender, late)
    assert r1.retirement_date <= r2.retirement_date
    assert r1.reach_date <= r2.reach_date


@SETTINGS
@given(genders, births)
def test_reach_date_is_when_the_age_is_completed(gender: Gender, dob: date) -> None:
    r = retirement(gender, dob)
    assert age_months(dob, r.reach_date) == r.age_months
    assert remaining_service_months(gender, dob, r.reach_date) == 0
    assert remaining_service_months(gender, dob, r.reach_date - timedelta(days=1)) == 1
    assert remaining_service_months(gender, dob, r.retirement_date) <= 0


@SETTINGS
@given(
    genders,
    st.dates(min_value=date(1940, 1, 1), max_value=date(2010, 12, 31)),
    st.integers(min_value=0, max_value=900),
    st.integers(min_value=1, max_value=28),
)
def test_remaining_drops_by_one_per_month(gender: Gender, dob: date, k: int, day: int) -> None:
    # Day-of-month <= 28 on both sides, so every month has the anniversary day.
    assume(dob.day <= 28)
    base = add_months(dob, k)
    on = base.replace(day=day)
    assume(on >= dob)
    now = remaining_service_months(gender, dob, on)
    later = remaining_service_months(gender, dob, add_months(on, 1))
    assert now - later == 1


@SETTINGS
@given(genders, births, st.integers(min_value=1, max_value=1200), any_dates)
def test_override_is_used_verbatim(gender: Gender, dob: date, age: int, on: date) -> None:
    r = retirement(gender, dob, override_age_months=age)
    assert r.overridden
    assert r.age_months == age
    assert r.reach_date == add_months(dob, age)
    assert is_month_end(r.retirement_date)
    if on >= dob:
        assert remaining_service_months(gender, dob, on, override_age_months=age) == (
            age - age_months(dob, on)
        )


# --------------------------------------------------------------------------------------------
# month arithmetic
# --------------------------------------------------------------------------------------------


@SETTINGS
@given(any_dates, any_dates)
def test_completed_months_characterisation(a: date, b: date) -> None:
    start, end = min(a, b), max(a, b)
    m = completed_months(start, end)
    assert m >= 0
    assert add_months(start, m) <= end < add_months(start, m + 1)


@SETTINGS
@given(any_dates, months)
def test_completed_months_of_add_months(start: date, n: int) -> None:
    assert completed_months(start, add_months(start, n)) == n
    end = add_months(start, n)
    if end > start:
        assert completed_months(start, end - timedelta(days=1)) == n - 1


@SETTINGS
@given(any_dates, any_dates)
def test_completed_months_matches_simple_formula_up_to_day_28(a: date, b: date) -> None:
    start, end = min(a, b), max(a, b)
    assume(start.day <= 28)
    simple = (end.year - start.year) * 12 + (end.month - start.month)
    simple -= 1 if end.day < start.day else 0
    assert completed_months(start, end) == simple


@SETTINGS
@given(any_dates, st.integers(min_value=-1500, max_value=1500))
def test_add_months_clamps_the_day(d: date, n: int) -> None:
    r = add_months(d, n)
    assert (r.year * 12 + r.month) - (d.year * 12 + d.month) == n
    assert r.day == min(d.day, monthrange(r.year, r.month)[1])
    if d.day <= 28:
        assert add_months(r, -n) == d


@SETTINGS
@given(st.dates(), st.integers(min_value=-120_000, max_value=120_000))
def test_month_arithmetic_agrees_with_dateutil(d: date, n: int) -> None:
    """The integer month arithmetic gives python-dateutil's answer, or the range error."""
    from dateutil.relativedelta import relativedelta

    from luanchuyen.dates import first_day_of_next_month, last_day_of_month
    from luanchuyen.errors import InputError

    try:
        expected: date | None = d + relativedelta(months=n)
    except (ValueError, OverflowError):
        expected = None
    if expected is None:
        with pytest.raises(InputError):
            add_months(d, n)
    else:
        assert add_months(d, n) == expected
    assert last_day_of_month(d) == d + relativedelta(day=31)
    if (d.year, d.month) != (9999, 12):
        assert first_day_of_next_month(d) == d + relativedelta(months=1, day=1)
    else:
        with pytest.raises(InputError):
            first_day_of_next_month(d)


@SETTINGS
@given(any_dates, st.integers(min_value=-600, max_value=600), st.integers(-600, 600))
def test_add_months_is_monotone(d: date, m: int, n: int) -> None:
    lo, hi = min(m, n), max(m, n)
    assert add_months(d, lo) <= add_months(d, hi)
    if lo < hi:
        assert add_months(d, lo) < add_months(d, hi)


@SETTINGS
@given(any_dates, months, any_dates)
def test_reaching_dates(start: date, n: int, not_before: date) -> None:
    reached = date_reaching_months(start, n)
    assert completed_months(start, reached) >= n
    if reached > start:
        assert completed_months(start, reached - timedelta(days=1)) < n
    earliest = earliest_date_months_at_least(start, n, not_before)
    assert earliest >= not_before
    assert completed_months(start, earliest) >= n
    assert earliest in {reached, not_before}


# --------------------------------------------------------------------------------------------
# HD 06 example and its neighbours
# --------------------------------------------------------------------------------------------


@SETTINGS
@given(st.integers(min_value=-48, max_value=120))
def test_hd06_example_shifted(k: int) -> None:
    dob = date(1965, 2, 10)
    on = add_months(date(2021, 8, 10), k)
    assert remaining_service_months(Gender.NAM, dob, on) == 60 - k
    assert remaining_service_months(Gender.NAM, dob, on - timedelta(days=1)) == 61 - k


def test_hd06_neighbours() -> None:
    dob = date(1965, 2, 10)
    assert remaining_service_months(Gender.NAM, dob, date(2021, 8, 10)) == 60
    assert remaining_service_months(Gender.NAM, dob, date(2021, 8, 9)) == 61
    assert remaining_service_months(Gender.NAM, dob, date(2021, 9, 10)) == 59


# --------------------------------------------------------------------------------------------
# parsing round trips
# --------------------------------------------------------------------------------------------


@SETTINGS
@given(st.dates(min_value=date(1000, 1, 1), max_value=date(9999, 12, 31)))
def test_parse_round_trips(d: date) -> None:
    assert parse_vn_date(f"{d.day:02d}/{d.month:02d}/{d.year}") == d
    assert parse_vn_date(f"{d.day}/{d.month}/{d.year}") == d
    assert parse_vn_date(d.isoformat()) == d
    assert parse_birth_date(f"{d.day:02d}/{d.month:02d}/{d.year}") == (d, "day")
    assert parse_birth_date(f"{d.month:02d}/{d.year}") == (d.replace(day=1), "month")
    assert parse_birth_date(str(d.year)) == (date(d.year, 1, 1), "year")
    assert parse_birth_date(d.year) == (date(d.year, 1, 1), "year")
