"""``derive_columns`` equals ``derive_facts``, row for row, value for value, type for type.

Generated cadres and moves (``luanchuyen.testing.strategies``) with dates pushed onto the
boundaries (month ends, 29/02, birth on the as-of date, a day either side of it, an
implausible age), under the parameters of every pack and their variants; worked boundary
examples; and the benchmark population, where no row may fall back.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import luanchuyen as lc
from factories import base_cadre, base_move
from luanchuyen.dates import add_months, last_day_of_month
from luanchuyen.errors import LuanChuyenError
from luanchuyen.facts import derive_facts
from luanchuyen.facts.columnar import ColumnarFacts, derive_columns
from luanchuyen.facts.registry import FACTS
from luanchuyen.models import (
    Cadre,
    Discipline,
    DisciplineForm,
    DisciplineKind,
    Level,
    Move,
    PlanningEntry,
    PlanningStatus,
    Rating,
    RotationRecord,
    TitleCode,
)
from luanchuyen.testing.strategies import as_of_dates, cadres, moves

ROOT = Path(__file__).resolve().parent.parent
PACKS: tuple[tuple[str, ...], ...] = ((), ("chi-lang-2024",), ("ha-noi-188",))
DAY = timedelta(days=1)
AS_OF = date(2024, 6, 1)


@cache
def _rules(pack: tuple[str, ...]) -> lc.RuleSet:
    return lc.load_rules(*pack)


@cache
def _params(pack: tuple[str, ...], on: date) -> Mapping[str, Any]:
    return _rules(pack).compiled(on).params


def _check(
    pairs: Sequence[tuple[Cadre, Move]], as_of: date, params: Mapping[str, Any] | None
) -> ColumnarFacts:
    """Every row: the same facts as derive_facts, or fallback where derive_facts raises."""
    cols = derive_columns(pairs, as_of, params)
    assert cols.n == len(pairs) == len(cols.fallback)
    for i, (cadre, move) in enumerate(pairs):
        try:
            expected = dict(derive_facts(cadre, move, as_of, params).facts)
        except (LuanChuyenError, ValueError):
            assert cols.fallback[i], f"row {i}: derive_facts raises, the row must fall back"
            continue
        assert not cols.fallback[i], f"row {i} falls back for no reason"
        got = cols.row(i)
        assert got == expected, f"row {i}"
        assert {k: type(v) for k, v in got.items()} == {k: type(v) for k, v in expected.items()}
    return cols


# --------------------------------------------------------------------------------------------
# generated rows, with boundary dates
# --------------------------------------------------------------------------------------------


def _near(day: date) -> list[date]:
    """Boundary dates around ``day``: itself, a day either side, month ends and starts."""
    end = last_day_of_month(day)
    return [day, day + DAY, day - DAY, end, end - DAY, day.replace(day=1), day.replace(day=1) - DAY]


@st.composite
def _birth(draw: st.DrawFn, as_of: date) -> date:
    base = add_months(as_of, -12 * draw(st.integers(20, 66)))
    leap = date(base.year - base.year % 4, 2, 29)
    implausible = date(as_of.year - 101, 7, 1)
    return draw(st.sampled_from([*_near(base), leap, as_of, as_of + DAY, implausible]))


def _replace(model: Any, **changes: Any) -> Any:
    return model.model_copy(update=changes)


@st.composite
def _discipline(draw: st.DrawFn, as_of: date) -> Discipline:
    """A discipline record on a boundary near ``as_of`` or up to 80 months before."""
    months = draw(st.sampled_from([0, 1, 11, 12, 13, 29, 30, 31, 59, 60, 61, 80]))
    day = draw(st.sampled_from([as_of, as_of + DAY, *_near(add_months(as_of, -months))]))
    return Discipline(
        form=draw(st.sampled_from(DisciplineForm)),
        kind=draw(st.sampled_from(DisciplineKind)),
        decision_date=day,
        effective_date=draw(st.sampled_from([None, day, day + 10 * DAY])),
    )


@st.composite
def _rotation(draw: st.DrawFn, as_of: date) -> RotationRecord:
    """A rotation starting on a boundary near ``as_of`` or up to 40 months before."""
    start = draw(st.sampled_from(_near(add_months(as_of, -draw(st.sampled_from([0, 1, 12, 40]))))))
    end = draw(st.sampled_from([None, start, as_of, as_of - DAY, as_of + DAY]))
    years = range(start.year, as_of.year + 2)
    ratings = draw(st.dictionaries(st.sampled_from(years), st.sampled_from(Rating), max_size=2))
    return RotationRecord(start=start, end=max(start, end) if end else None, ratings=ratings)


@st.composite
def _planning(draw: st.DrawFn, as_of: date) -> PlanningEntry:
    """A planning entry, district level favoured, approved before recent disciplines or not."""
    approved = [None, as_of, as_of - DAY, add_months(as_of, -13), add_months(as_of, -40)]
    return PlanningEntry(
        title_code=draw(st.sampled_from([None, None, *TitleCode])),
        level=draw(st.sampled_from([Level.HUYEN, Level.HUYEN, *Level])),
        status=draw(st.sampled_from([*PlanningStatus, PlanningStatus.ACTIVE])),
        approved_on=draw(st.sampled_from(approved)),
    )


@st.composite
def _edges(draw: st.DrawFn, cadre: Cadre, move: Move, as_of: date) -> tuple[Cadre, Move]:
    """Move some of the row's dates onto boundaries (model_copy: no validation on purpose)."""
    near = st.sampled_from(_near(as_of))
    if draw(st.booleans()):
        cadre = _replace(cadre, date_of_birth=draw(_birth(as_of)))
    if draw(st.booleans()):
        start = draw(st.one_of(st.none(), near))
        end = None if start is None else draw(st.sampled_from(_near(add_months(start, 36))))
        move = _replace(move, planned_start=start, planned_end=end)
    if draw(st.booleans()):
        move = _replace(move, decision_date=draw(st.one_of(st.none(), near)))
    if cadre.current_post is not None and draw(st.booleans()):
        cadre = _replace(cadre, current_post=_replace(cadre.current_post, since=draw(near)))
    if cadre.health is not None and draw(st.booleans()):
        cadre = _replace(cadre, health=_replace(cadre.health, issued_on=draw(near)))
    if cadre.family is not None and draw(st.booleans()):
        child = draw(st.one_of(st.none(), near))
        cadre = _replace(cadre, family=_replace(cadre.family, youngest_child_date_of_birth=child))
    if draw(st.booleans()):
        cadre = _replace(
            cadre, disciplines=draw(st.lists(_discipline(as_of), min_size=1, max_size=3))
        )
    if draw(st.booleans()):
        cadre = _replace(cadre, planning=draw(st.lists(_planning(as_of), max_size=3)))
    if cadre.current_post is not None and draw(st.booleans()):
        change = draw(st.sampled_from([None, True, False]))
        cadre = _replace(
            cadre, current_post=_replace(cadre.current_post, on_post_change_list=change)
        )
    if draw(st.booleans()):
        rotations = draw(st.lists(_rotation(as_of), max_size=3))
        if rotations and draw(st.booleans()):  # the same start: the first record counts
            first = rotations[0]
            rotations.append(
                _replace(first, ratings={} if first.ratings else {as_of.year: Rating.HTXS})
            )
        cadre = _replace(cadre, rotation_history=rotations)
    if draw(st.integers(0, 9)) == 0:  # a rating after the as-of year
        later = {as_of.year + 1: Rating.HTXS, **(cadre.ratings or {})}
        cadre = _replace(cadre, ratings=draw(st.sampled_from([later, {as_of.year + 1: Rating.HT}])))
    return cadre, move


@st.composite
def _batches(draw: st.DrawFn) -> tuple[list[tuple[Cadre, Move]], date]:
    as_of = draw(as_of_dates())
    pairs = []
    for _ in range(draw(st.integers(1, 10))):
        cadre, move = draw(cadres(as_of)), draw(moves(as_of))
        pairs.append(draw(_edges(cadre, move, as_of)))
    return pairs, as_of


_VARIANTS = st.fixed_dictionaries(
    {},
    optional={
        "service_reference_date": st.sampled_from(["decision_date", "planned_start", "as_of"]),
        "equivalence_cross_level": st.booleans(),
        "planning_removal_by_discipline_until": st.sampled_from(
            [None, "", "2023-01-31", "2030-12-31", "2030-12-31", "ngày sai"]
        ),
        "term_months": st.sampled_from([60, 60, 60, 60, 36, 0]),
        "post_equivalence": st.sampled_from(
            [(), (), (), [{"level": "xa", "title_code": "bi_thu", "rank": "cao"}]]
        ),
    },
)


@settings(
    max_examples=150,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(batch=_batches(), pack=st.sampled_from(PACKS), variant=_VARIANTS)
def test_generated_rows_equal_derive_facts(
    batch: tuple[list[tuple[Cadre, Move]], date], pack: tuple[str, ...], variant: dict[str, Any]
) -> None:
    pairs, as_of = batch
    _check(pairs, as_of, {**_params(pack, as_of), **variant})


# --------------------------------------------------------------------------------------------
# worked boundaries
# --------------------------------------------------------------------------------------------


def _pair(cadre: dict[str, Any] | None = None, move: dict[str, Any] | None = None) -> Any:
    """A validated (cadre, move) from the factories, with ``cadre`` and ``move`` overrides."""
    return (
        Cadre.model_validate(base_cadre(**(cadre or {}))),
        Move.model_validate(base_move(**(move or {}))),
    )


def _post(since: str) -> dict[str, Any]:
    return {**base_cadre()["current_post"], "since": since}


def test_month_end_rule() -> None:
    as_of = date(2023, 2, 28)
    pairs = [
        _pair({"current_post": _post("31/01/2023")}),  # 31/01 → 28/02: one month
        _pair({"current_post": _post("28/01/2023")}),
        _pair({"current_post": _post("01/03/2023")}),  # starts after as_of: unknown
        _pair({"health": {"issued_on": "30/11/2022", "fit": True}}),
    ]
    cols = _check(pairs, as_of, _params((), as_of))
    assert [cols.row(i).get("months_in_current_post") for i in range(3)] == [1, 1, None]
    assert cols.row(3)["health_certificate_age_months"] == 3  # 30/11 → 28/02: Feb's last day
    leap = date(2024, 2, 29)
    cols = _check([_pair({"current_post": _post("31/01/2024")})], leap, _params((), leap))
    assert cols.row(0)["months_in_current_post"] == 1


def test_leap_day_birth_and_birth_on_as_of() -> None:
    as_of = date(2025, 2, 28)
    pairs = [
        _pair({"date_of_birth": "29/02/1964", "gender": "nu"}),
        _pair({"date_of_birth": "28/02/1965", "gender": "nam"}),
        _pair({"date_of_birth": as_of.isoformat()}),  # born on the as-of date: age 0
    ]
    cols = _check(pairs, as_of, _params((), as_of))
    assert cols.row(2)["age_months"] == 0
    assert cols.row(0)["age_months"] == 61 * 12  # 29/02/1964 → 28/02/2025, the month's last day


@pytest.mark.parametrize("convention", ["decision_date", "planned_start", "as_of"])
def test_reference_date_conventions(convention: str) -> None:
    params = {**_params((), AS_OF), "service_reference_date": convention}
    pairs = [
        _pair(move={"decision_date": "01/09/2024", "planned_start": "01/01/2025"}),
        _pair(move={"decision_date": "01/09/2024", "planned_start": None, "planned_end": None}),
        _pair(move={"planned_start": "01/01/2025"}),
        _pair(move={"planned_start": None, "planned_end": None}),
    ]
    cols = _check(pairs, AS_OF, params)
    ages = [cols.row(i)["age_months"] for i in range(4)]
    born = date(1980, 5, 15)
    expected = {
        "decision_date": [date(2024, 9, 1), date(2024, 9, 1), AS_OF, AS_OF],
        "planned_start": [date(2025, 1, 1), date(2024, 9, 1), date(2025, 1, 1), AS_OF],
        "as_of": [AS_OF] * 4,
    }[convention]
    assert ages == [
        (d.year - born.year) * 12 + d.month - born.month - (d.day < born.day) for d in expected
    ]


def test_rows_derive_facts_refuses_fall_back() -> None:
    pairs = [
        _pair(),
        _pair({"date_of_birth": "02/06/2024"}),  # born after as_of
        _pair(move={"decision_date": "01/01/1980"}),  # reference date before birth
        _pair({"date_of_birth": "1920"}),  # age above 100
    ]
    cols = _check(pairs, AS_OF, _params((), AS_OF))
    assert cols.fallback.tolist() == [False, True, True, True]


def test_empty_batch_and_registry() -> None:
    cols = derive_columns([], AS_OF)
    assert cols.n == 0 and cols.fallback.shape == (0,)
    kinds = {"int": cols.ints, "bool": cols.bools, "enum": cols.enums}
    for name, spec in FACTS.items():
        assert name in kinds[spec.type], name
    cols = derive_columns([_pair()], AS_OF)
    for values, present in (*cols.ints.values(), *cols.bools.values()):
        assert values.shape == present.shape == (1,) and present.dtype == np.bool_
    assert all(v.dtype == np.int64 for v, _ in cols.ints.values())
    assert all(v.dtype == np.bool_ for v, _ in cols.bools.values())
    assert cols.row(0) == dict(derive_facts(*_pair(), AS_OF).facts)


def test_chunk() -> None:
    cols = derive_columns([_pair(), _pair({"gender": "nu"})], AS_OF)
    chunk = cols.chunk(("gender", "age_months", "in_planning", "not_a_fact"), 1, 2)
    gender = chunk["gender"]  # numbered: 0 absent, k the k-th label
    assert [gender.labels[k - 1] if k else None for k in gender.codes.tolist()] == ["nu"]
    assert cols.enums["gender"][1:2] == ["nu"]
    assert chunk["age_months"][0].tolist() == [cols.row(1)["age_months"]]
    assert chunk["in_planning"][1].tolist() == [True]
    assert "not_a_fact" not in chunk


# --------------------------------------------------------------------------------------------
# the benchmark population
# --------------------------------------------------------------------------------------------


def test_benchmark_population_never_falls_back() -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import synth
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    pairs = [(Cadre.model_validate(c), Move.model_validate(m)) for c, m in synth.population(2000)]
    cols = _check(pairs, synth.AS_OF, _params((), synth.AS_OF))
    assert not cols.fallback.any()


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 3), max_size=30))
def test_numbered_enum_facts_are_read_as_their_labels(codes: list[int]) -> None:
    """The vector backend reads an enum fact given as numbers (``EnumCodes``) exactly as
    it reads the same facts given as labels: absent, a named value, a value no rule names."""
    from luanchuyen.engine.vector import _enum_codes, _enum_column
    from luanchuyen.facts.columnar import EnumCodes

    labels = ("nam", "nu", "khac")
    named = {"nam": 0, "nu": 1}  # a program's codes: "khac" is named by no rule
    as_labels = [labels[k - 1] if k else None for k in codes]
    expected = _enum_column(as_labels, named, set())
    got = _enum_codes(EnumCodes(np.array(codes, np.int64), labels), named)
    assert got[0].tolist() == expected[0].tolist() and got[1].tolist() == expected[1].tolist()


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.integers(date(1799, 6, 1).toordinal(), date(2400, 6, 1).toordinal())
        | st.integers(1, date(9999, 12, 31).toordinal()),
        max_size=20,
    )
)
@example([date(1800, 1, 1).toordinal() + k for k in (-1, 0, 1)])
@example([date(2399, 12, 31).toordinal() + k for k in (-1, 0, 1)])
@example(
    [date(2024, 2, 29).toordinal(), date(2100, 2, 28).toordinal(), date(2000, 2, 29).toordinal()]
)
def test_the_calendar_table_is_numpys_calendar(days: list[int]) -> None:
    """``_month_day`` looks days up in its table (01/01/1800–31/12/2399) and gives what
    numpy's calendar gives, inside the table, at its edges and outside it."""
    from luanchuyen.facts import columnar

    arr = np.array(days, np.int64)
    got, expected = columnar._month_day(arr), columnar._numpy_month_day(arr)
    assert got[0].tolist() == expected[0].tolist() and got[1].tolist() == expected[1].tolist()
    for day in days[:3]:
        d = date.fromordinal(day)
        month, mday = columnar._month_day(np.array([day], np.int64))
        assert (int(month[0]), int(mday[0])) == ((d.year - 1970) * 12 + d.month - 1, d.day)
