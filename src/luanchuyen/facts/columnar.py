"""Columnar fact derivation: :func:`~luanchuyen.facts.derive_facts` for many rows at once.

:func:`derive_columns` derives the facts (not the context strings) of many (cadre, move)
pairs that share one ``as_of`` date and one ``params`` mapping, straight into numpy columns.
It follows the topic modules (service, planning, discipline, family, posts, rotation) rule
for rule and imports their constants; ``tests/test_columnar_facts.py`` checks it against
``derive_facts`` row for row, value for value and type for type.

It works in two phases. *Reading* walks the models in blocks of rows small enough to stay in
the CPU cache, with C-level iteration only (``map`` and ``itemgetter`` over the pydantic
``__dict__``): the scalar fields of each model type are read as one tuple and numbered by
distinct value (decoded once per distinct tuple), dates become day ordinals, and nested
models and lists become flat tables keyed by row. *Deriving* is then numpy over whole
columns: the calendar rules of :mod:`luanchuyen.dates` (completed months with the month-end
rule, the retirement date at the end of the month the age is reached, month addition with
the day clamped) on day ordinals, the statutory retirement age once per distinct (gender,
birth month), and per-row reductions of the flat tables.

Rows that ``derive_facts`` would refuse (birth after ``as_of`` or after the reference date,
age above 100, dates at the end of the calendar, malformed parameters) are flagged in
``fallback``; the caller derives those one by one, which gives the exact error. Nothing a
single row holds makes :func:`derive_columns` raise.
"""

from __future__ import annotations

import functools
from calendar import monthrange
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from itertools import chain, count, repeat
from operator import is_not, itemgetter
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import numpy.typing as npt

from luanchuyen.facts._inputs import DATED, KNOWN_ON, known_on
from luanchuyen.facts.discipline import BUCKETS, TERMINAL
from luanchuyen.facts.equivalence import RELATION_SOURCES, PostRef, relation
from luanchuyen.facts.planning import (
    DISTRICT_COMMITTEE_TITLES,
    DISTRICT_STANDING_OR_HEAD_TITLES,
    DISTRICT_TOP_TITLES,
)
from luanchuyen.facts.posts import (
    APPOINTED_TITLES,
    COMMUNE_POST_CLASSES,
    ELECTED_TITLES,
    KEY_COMMUNE_TITLES,
    LEVEL_ORDER,
    commune_post_class,
)
from luanchuyen.facts.ratings import GOOD_BANDS, good_in_every_year, merge_ratings
from luanchuyen.facts.registry import FACTS, FactValue
from luanchuyen.facts.state import lookback_years
from luanchuyen.models import (
    Cadre,
    CadreCategory,
    CommitteeRole,
    DegreeLevel,
    DisciplineForm,
    DisciplineKind,
    FillMethod,
    Gender,
    Level,
    Move,
    MoveKind,
    PlanningStatus,
    PoliticalTheory,
    PostRole,
    Rating,
    SoleCarerReason,
    TitleCode,
)
from luanchuyen.records.coded import Coded, number_rows
from luanchuyen.retirement_law import statutory_age_for_month

if TYPE_CHECKING:
    from luanchuyen.records.coded import CodedRecord, CodedRows

__all__ = ["ColumnarFacts", "derive_coded", "derive_columns"]

Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]

#: Rows read at a time: a block's objects stay in the CPU cache between the passes.
_BLOCK: Final = 512
_EPOCH: Final = date(1970, 1, 1).toordinal()
#: Rows with dates beyond this year fall back: derive_facts may leave the calendar there.
_LAST_DAY: Final = date(9890, 12, 31).toordinal()
#: Integers beyond this magnitude fall back (the columns are 64-bit).
_BIG: Final = 1 << 62
_TRI: Final[dict[bool | None, int]] = {None: 0, False: 1, True: 2}
#: The committee roles planning.derive counts for ``district_committee_member``.
_COMMITTEE_ROLES: Final = frozenset(CommitteeRole)
_DIRECTIONS: Final = ("same", "down", "up")
_RELATIONS: Final = ("equivalent", "higher", "lower")


@dataclass(frozen=True, slots=True)
class EnumCodes:
    """An enum fact of many rows as numbers: ``codes[i]`` is ``0`` (absent) or ``k`` for
    ``labels[k - 1]``."""

    codes: Ints
    labels: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ColumnarFacts:
    """The facts of ``n`` rows, column by column, as :func:`derive_facts` would give them.

    ``ints`` and ``bools`` map a fact to ``(values, present)``; ``enums`` to one code or
    ``None`` (absent) per row, and ``enum_codes`` (where the derivation has them) the same
    facts as :class:`EnumCodes`. Rows flagged in ``fallback`` must be derived one by one.
    """

    n: int
    ints: dict[str, tuple[Ints, Bools]]
    bools: dict[str, tuple[Bools, Bools]]
    enums: dict[str, list[str | None]]
    fallback: Bools
    enum_codes: dict[str, EnumCodes] = field(default_factory=dict)

    def row(self, i: int) -> dict[str, FactValue]:
        """Row ``i``'s facts as ``derive_facts(...).facts`` (meaningless for fallback rows)."""
        out: dict[str, FactValue] = {}
        for name, (ivalues, present) in self.ints.items():
            if present[i]:
                out[name] = int(ivalues[i])
        for name, (bvalues, present) in self.bools.items():
            if present[i]:
                out[name] = bool(bvalues[i])
        for name, codes in self.enums.items():
            code = codes[i]
            if code is not None:
                out[name] = code
        return out

    def chunk(self, names: Iterable[str], start: int, stop: int) -> dict[str, Any]:
        """Rows ``start:stop`` of the facts ``names``: ``(values, present)`` or codes."""
        out: dict[str, Any] = {}
        for name in names:
            if (coded := self.enum_codes.get(name)) is not None:
                out[name] = EnumCodes(coded.codes[start:stop], coded.labels)
            elif name in self.enums:
                out[name] = self.enums[name][start:stop]
            elif (pair := self.ints.get(name) or self.bools.get(name)) is not None:
                out[name] = (pair[0][start:stop], pair[1][start:stop])
        return out


# --------------------------------------------------------------------------------------------
# columns of Python values
# --------------------------------------------------------------------------------------------


def _coder(enum: type[Enum]) -> dict[Any, int]:
    return {None: 0} | {m: i for i, m in enumerate(enum, 1)}


_CODERS: Final[dict[type[Enum], dict[Any, int]]] = {
    e: _coder(e)
    for e in (Gender, Level, TitleCode, MoveKind, Rating, FillMethod, PostRole, DegreeLevel,
              PoliticalTheory, PlanningStatus, DisciplineForm, DisciplineKind, CommitteeRole,
              CadreCategory, SoleCarerReason)
}  # fmt: skip


def _code(member: Enum) -> int:
    return _CODERS[type(member)][member]


def _codes(col: Sequence[Any], enum: type[Enum]) -> Ints:
    """Enum members as 1..k in declaration order, ``None`` as 0."""
    return np.fromiter(map(_CODERS[enum].__getitem__, col), np.int64, len(col))


def _member(members: Iterable[Enum], enum: type[Enum]) -> Bools:
    """Lookup array over the codes of ``enum``: whether a code is one of ``members``."""
    wanted = set(members)
    return np.array([False, *(m in wanted for m in enum)], np.bool_)


def _labels(enum: type[Enum]) -> list[str]:
    return [str(m.value) for m in enum]


def _present(col: Sequence[Any]) -> Bools:
    return np.fromiter(map(is_not, col, repeat(None)), np.bool_, len(col))


def _tri(col: Sequence[bool | None]) -> tuple[Bools, Bools]:
    """(value, present) of an optional bool column."""
    codes = np.fromiter(map(_TRI.__getitem__, col), np.int8, len(col))
    return codes == 2, codes > 0


def _ints(col: Sequence[int | None]) -> tuple[Ints, Bools, Bools]:
    """(value, present, too big for the columns) of an optional int column."""
    present = _present(col)
    values = np.array(col, dtype=object)
    values[~present] = 0
    big = np.zeros(len(col), np.bool_)
    try:
        return values.astype(np.int64), present, big
    except OverflowError:
        big = np.array([v is not None and abs(v) >= _BIG for v in col], np.bool_)
        values[big] = 0
        return values.astype(np.int64), present, big


def _days(col: Sequence[date | None]) -> tuple[Ints, Bools]:
    """(day ordinal, present) of an optional date column."""
    present = _present(col)
    days = np.zeros(len(col), np.int64)
    days[present] = np.fromiter(map(date.toordinal, filter(None, col)), np.int64)
    return days, present


def _cat(parts: list[npt.NDArray[Any]], dtype: type[np.generic]) -> npt.NDArray[Any]:
    return np.concatenate(parts) if parts else np.zeros(0, dtype)


def _scatter(n: int, rows: Ints, values: npt.NDArray[Any]) -> npt.NDArray[Any]:
    """A column of ``n`` rows: ``values`` at ``rows``, zero (False) elsewhere."""
    out = np.zeros(n, values.dtype)
    out[rows] = values
    return out


def _any(n: int, rows: Ints) -> Bools:
    """Whether each of ``n`` rows is among ``rows``."""
    out = np.zeros(n, np.bool_)
    out[rows] = True
    return out


def _latest(n: int, rows: Ints, days: Ints) -> Ints:
    """The latest day per row (0 when the row has none)."""
    out = np.zeros(n, np.int64)
    np.maximum.at(out, rows, days)
    return out


# --------------------------------------------------------------------------------------------
# reading models into tables
# --------------------------------------------------------------------------------------------


class _Table:
    """The objects of one model type in a batch, as flat columns, read block by block.

    Scalar fields are read as one tuple per object and numbered by distinct tuple, so each
    is decoded once per distinct value; dates become day ordinals; object fields (nested
    models, lists, text) are handed back per block, and kept when named in ``keep``.
    ``rows`` is the batch row of each object; ``known`` whether a row has the field at all
    (an optional model or a list, ``None`` when unknown).
    """

    def __init__(self, scalars: str = "", dates: str = "", objects: str = "", keep: str = ""):
        self._scalars, self._dates = tuple(scalars.split()), dates.split()
        self._objects = objects.split()
        self._key = itemgetter(*self._scalars) if self._scalars else None
        self._index: defaultdict[Any, int] = defaultdict(count().__next__)
        self._parts: defaultdict[str, list[npt.NDArray[Any]]] = defaultdict(list)
        self.kept: dict[str, list[Any]] = {name: [] for name in keep.split()}
        self.rows: Ints = np.zeros(0, np.int64)
        self.known: Bools = np.zeros(0, np.bool_)
        #: per scalar field: each object's index into the field's distinct values
        self._fields: dict[str, tuple[Ints, Sequence[Any]]] = {}
        self._loaded = False

    def add(self, dicts: Sequence[Mapping[str, Any]], rows: Ints) -> dict[str, list[Any]]:
        """Read one block of objects (their ``__dict__``) at ``rows``; return its objects."""
        self._parts["rows"].append(rows)
        if self._key is not None:
            ids = map(self._index.__getitem__, map(self._key, dicts))
            self._parts["ids"].append(np.fromiter(ids, np.int64, len(dicts)))
        for name in self._dates:
            days, present = _days(list(map(itemgetter(name), dicts)))
            self._parts[name].append(days)
            self._parts[f"{name}?"].append(present)
        block = {name: list(map(itemgetter(name), dicts)) for name in self._objects}
        for name, kept in self.kept.items():
            kept.extend(block[name])
        return block

    def add_optional(self, objects: list[Any], rows: Ints) -> dict[str, list[Any]]:
        """Read the block's optional models (``None`` where unknown)."""
        present = _present(objects)
        self._parts["known"].append(present)
        return self.add(list(map(vars, filter(None, objects))), rows[present])

    def add_lists(self, lists: list[list[Any] | None], rows: Ints) -> dict[str, list[Any]]:
        """Read the items of the block's lists of models (``None`` where unknown)."""
        self._parts["known"].append(_present(lists))
        filled = np.fromiter(map(bool, lists), np.bool_, len(lists))
        sizes = np.fromiter(map(len, filter(None, lists)), np.int64)
        items = list(map(vars, chain.from_iterable(filter(None, lists))))
        return self.add(items, np.repeat(rows[filled], sizes))

    def load(self, rows: Ints, known: Bools | None, record: CodedRecord) -> None:
        """Take the objects of a record read column by column (:mod:`luanchuyen.records.coded`)
        instead of reading models: the objects are the record's ``rows``; ``known`` as for
        :meth:`add_optional` and :meth:`add_lists`."""
        self.rows = rows
        self.known = known if known is not None else np.zeros(0, np.bool_)
        fields = record.fields
        for name in self._scalars:
            coded = fields[name]
            self._fields[name] = (coded.codes[rows], (*coded.values, None))
        for name in self._dates:
            coded = fields[name]
            days = np.array([0 if d is None else d.toordinal() for d in coded.values] + [0],
                            np.int64)  # fmt: skip
            codes = coded.codes[rows]
            self._parts[name] = [days[codes]]
            self._parts[f"{name}?"] = [codes >= 0]
        for name in self.kept:
            if name not in fields:
                continue  # the caller's to fill (the cadre's ratings)
            self.kept[name] = fields[name].take(rows).column()
        self._loaded = True

    def finish(self) -> None:
        """Join the blocks (after the last one)."""
        if self._loaded:
            return
        self.rows = _cat(self._parts["rows"], np.int64)
        self.known = _cat(self._parts["known"], np.bool_)
        ids: Ints = _cat(self._parts["ids"], np.int64)
        distinct = list(self._index)
        if len(self._scalars) == 1:
            columns = [tuple(distinct)]
        else:
            columns = list(zip(*distinct, strict=True)) or [() for _ in self._scalars]
        self._fields = {name: (ids, col) for name, col in zip(self._scalars, columns, strict=True)}

    def _field(self, name: str) -> tuple[Ints, Sequence[Any]]:
        return self._fields.get(name, (np.zeros(0, np.int64), ()))

    def codes(self, name: str, enum: type[Enum]) -> Ints:
        ids, distinct = self._field(name)
        return _codes(distinct, enum)[ids]

    def tri(self, name: str) -> tuple[Bools, Bools]:
        ids, distinct = self._field(name)
        value, present = _tri(distinct)
        return value[ids], present[ids]

    def ints(self, name: str) -> tuple[Ints, Bools, Bools]:
        ids, distinct = self._field(name)
        value, present, big = _ints(distinct)
        return value[ids], present[ids], big[ids]

    def days(self, name: str) -> tuple[Ints, Bools]:
        return _cat(self._parts[name], np.int64), _cat(self._parts[f"{name}?"], np.bool_)

    def values(self, name: str) -> list[Any]:
        """A scalar field's Python value for each object."""
        ids, distinct = self._field(name)
        return [distinct[i] for i in ids.tolist()]


class _Tables:
    """Every model type of a batch (fields in declaration order: the cache likes it)."""

    def __init__(self) -> None:
        self.cadre = _Table(
            "gender retirement_age_override_months ethnic_minority party_member civil_servant "
            "local_origin consecutive_terms_as_head under_disciplinary_review "
            "under_investigation degree political_theory category elected criminal_proceedings "
            "serious_illness long_term_study currently_seconded special_hardship",
            dates="date_of_birth",
            objects="current_post committee_memberships planning disciplines ratings health "
            "family rotation_history rating_records",
            keep="ratings rating_records",
        )
        self.move = _Table(
            "kind special_case_requested policy_case re_election cross_unit "
            "requires_civil_service_intake job_position_fit sending_unit_assessed own_request "
            "head_other_bar",
            dates="decision_date planned_start planned_end",
            objects="target",
        )
        self.target = _Table(
            "title_code level rank fill_method key_commune_post vacant created_for_move "
            "on_post_change_list required_degree required_political_theory allowance post_code",
            objects="body",
            keep="body",
        )
        self.current = _Table(
            "title_code level rank role allowance on_post_change_list fill_method",
            dates="since",
            objects="body other_posts",
            keep="body other_posts",
        )
        self.planning = _Table("title_code level status", dates="approved_on")
        self.discipline = _Table("form kind", dates="decision_date effective_date")
        self.committee = _Table("level role")
        self.health = _Table("fit", dates="issued_on")
        self.family = _Table(
            "pregnant has_children sole_carer sole_carer_reason maternity_leave",
            dates="youngest_child_date_of_birth",
        )
        self.rotation = _Table("kind", dates="start end", objects="ratings", keep="ratings")
        #: per row, the number of its annual ratings (``Cadre.ratings`` known on as_of) among
        #: the distinct ones (``-1``: none), and those: rows sharing ratings share the work
        self.annual: tuple[Ints, list[dict[int, Rating] | None]] = (np.zeros(0, np.int64), [])
        #: (row, year, rating) of the latest annual rating up to as_of, for the rows rated
        #: (a rating is ``None`` where a record's points do not decide the band)
        self.rated: tuple[Ints, list[int], list[Rating | None]] = (np.zeros(0, np.int64), [], [])
        #: whether each of ``rated`` is HTT or better (``None``: not decided)
        self.rated_good: list[bool | None] = []
        #: per row, whether each year's rating is HTT or better (``ratings.merge_ratings``)
        self.annual_good: list[dict[int, bool | None] | None] = []
        #: whether a recorded secondment covers as_of, per row (set by _rotation)
        self.seconded: Bools = np.zeros(0, np.bool_)

    def finish(self) -> None:
        for table in vars(self).values():
            if isinstance(table, _Table):
                table.finish()


def _read(pairs: Sequence[tuple[Cadre, Move]], as_of: date) -> _Tables:
    """Read the models block by block into tables."""
    t = _Tables()
    for first in range(0, len(pairs), _BLOCK):
        block = [(known_on(c, as_of)[0], m) for c, m in pairs[first : first + _BLOCK]]
        rows = np.arange(first, first + len(block), dtype=np.int64)
        c = t.cadre.add(list(map(vars, map(itemgetter(0), block))), rows)
        m = t.move.add(list(map(vars, map(itemgetter(1), block))), rows)
        t.target.add(list(map(vars, m["target"])), rows)
        t.current.add_optional(c["current_post"], rows)
        t.health.add_optional(c["health"], rows)
        t.family.add_optional(c["family"], rows)
        t.planning.add_lists(c["planning"], rows)
        t.discipline.add_lists(c["disciplines"], rows)
        t.committee.add_lists(c["committee_memberships"], rows)
        t.rotation.add_lists(c["rotation_history"], rows)
    t.finish()
    t.annual = _by_identity(t.cadre.kept["ratings"])
    _latest_ratings(t, as_of)
    return t


def _by_identity(objects: Sequence[Any]) -> tuple[Ints, list[Any]]:
    """Per object its number among the distinct objects, by identity (``-1`` for ``None``),
    and those objects."""
    index: dict[int, int] = {}
    distinct: list[Any] = []
    codes = np.full(len(objects), -1, np.int64)
    for i, obj in enumerate(objects):
        if obj is not None:
            k = index.setdefault(id(obj), len(distinct))
            if k == len(distinct):
                distinct.append(obj)
            codes[i] = k
    return codes, distinct


def _latest_ratings(t: _Tables, as_of: date) -> None:
    """rotation.py: the latest annual rating up to as_of of each rated row (once per
    distinct ratings)."""
    codes, distinct = t.annual
    year = as_of.year
    tops = [max((y for y in d if y <= year), default=None) if d else None for d in distinct]
    has = np.array([y is not None for y in tops] + [False], np.bool_)
    rows = np.flatnonzero(has[codes])
    picked = codes[rows]
    years: list[int] = [tops[k] for k in picked.tolist()]
    bands = [distinct[k][y] for k, y in zip(picked.tolist(), years, strict=True)]
    t.rated = (rows, years, bands)


def _read_coded(rows: CodedRows, as_of: date) -> tuple[_Tables, Bools]:
    """Take rows read column by column into tables; and the rows to derive the model way
    (a record dated after ``as_of``: ``known_on`` leaves it out, on the model way)."""
    t, n, rec = _Tables(), rows.n, rows.records
    every = np.arange(n, dtype=np.int64)
    later = np.zeros(n, np.bool_)
    today = as_of.toordinal()
    for table, name in ((t.cadre, "cadre"), (t.move, "move"), (t.target, "target")):
        table.load(every, None, rec[name])
    # once per distinct ratings (rows that share their cells share them)
    known = [None if r is None else KNOWN_ON["ratings"](r, as_of)[0] for r in rows.ratings.values]
    t.annual = (rows.ratings.codes, known)
    t.cadre.kept["ratings"] = Coded(*t.annual).column()
    t.cadre.kept["rating_records"] = [None] * n
    for table, name in ((t.current, "current_post"), (t.health, "health"),
                        (t.family, "family"), (t.planning, "planning"),
                        (t.discipline, "disciplines"), (t.committee, "committee_memberships"),
                        (t.rotation, "rotation_history")):  # fmt: skip
        record = rec[name]
        present = np.flatnonzero(record.present)
        table.load(present, record.known, record)
        dated = DATED.get(name)
        if dated is not None:
            days, has = table.days(dated)
            later[present[has & (days > today)]] = True
    _latest_ratings(t, as_of)
    return t, later


def derive_coded(
    rows: CodedRows, as_of: date, params: Mapping[str, Any] | None = None
) -> ColumnarFacts:
    """:func:`derive_columns` for table rows read column by column
    (:func:`luanchuyen.records.coded.read_coded`), every row on ``as_of``: no model at all.

    Rows not ``taken`` by the reader, and rows the model way must derive (a record dated
    after ``as_of``, and what :func:`derive_columns` flags), are in ``fallback``.
    """
    out = _Out(rows.n)
    if not rows.n:
        return out.done()
    try:
        tables, later = _read_coded(rows, as_of)
        _derive(out, tables, as_of, params or {})
        out.fallback |= later | ~rows.taken
    except Exception:  # a reader's gap: every row goes the model way
        out = _Out(rows.n)
        out.fallback[:] = True
    return out.done()


# --------------------------------------------------------------------------------------------
# calendar on day ordinals (luanchuyen.dates)
# --------------------------------------------------------------------------------------------


def _month_day(days: Ints) -> tuple[Ints, Ints]:
    """(month index from 01/1970, day of the month) of day ordinals: looked up in a table of
    the days 01/01/1800–31/12/2399 (:func:`_calendar`), numpy's calendar for any other."""
    off = days - _CALENDAR_FIRST
    if len(off) and off.min() >= 0 and off.max() < _CALENDAR_DAYS:
        month, mday = _calendar()
        return month[off], mday[off]
    return _numpy_month_day(days)


def _numpy_month_day(days: Ints) -> tuple[Ints, Ints]:
    d = (days - _EPOCH).astype("datetime64[D]")
    month = d.astype("datetime64[M]")
    return month.astype(np.int64), (d - month).astype(np.int64) + 1


_CALENDAR_FIRST: Final = date(1800, 1, 1).toordinal()
_CALENDAR_DAYS: Final = date(2399, 12, 31).toordinal() - _CALENDAR_FIRST + 1


@functools.cache
def _calendar() -> tuple[Ints, Ints]:
    """:func:`_numpy_month_day` of every day of the table, once (≈ 3.5 MB)."""
    return _numpy_month_day(np.arange(_CALENDAR_DAYS, dtype=np.int64) + _CALENDAR_FIRST)


def _month_start(month: Ints) -> Ints:
    """The ordinal of the first day of a month index."""
    days: Ints = month.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
    return days + _EPOCH


def _completed_months(start: Ints, end: Ints | date) -> Ints:
    """``completed_months`` (for ``end >= start``): the difference of the months, less one
    when ``end``'s day is before ``start``'s and is not the last day of its month."""
    s_month, s_day = _month_day(start)
    e_month: Ints | int
    if isinstance(end, date):
        e_month = (end.year - 1970) * 12 + end.month - 1
        short = (end.day < s_day) & (end.day != monthrange(end.year, end.month)[1])
    else:
        e_month, e_day = _month_day(end)
        short = (e_day < s_day) & (end != _month_start(e_month + 1) - 1)
    months: Ints = e_month - s_month - short
    return months


def _months_to(days: Ints, counted: Bools, as_of: date) -> Ints:
    """Completed months from ``days`` to ``as_of`` where ``counted`` (0 elsewhere)."""
    out = np.zeros(len(days), np.int64)
    out[counted] = _completed_months(days[counted], as_of)
    return out


def _add_months(start: Ints, months: Ints) -> Ints:
    """``add_months``: the same day ``months`` later, clamped to the month's length."""
    s_month, s_day = _month_day(start)
    first = _month_start(s_month + months)
    length = _month_start(s_month + months + 1) - first
    day: Ints = first + np.minimum(s_day, length) - 1
    return day


# --------------------------------------------------------------------------------------------
# derivation
# --------------------------------------------------------------------------------------------


class _Out:
    """The columns being built."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.ints: dict[str, tuple[Ints, Bools]] = {}
        self.bools: dict[str, tuple[Bools, Bools]] = {}
        self.enums: dict[str, list[str | None]] = {}
        self.enum_codes: dict[str, EnumCodes] = {}
        self.fallback = np.zeros(n, np.bool_)

    def put_int(self, name: str, values: Ints, present: Bools) -> None:
        self.ints[name] = (values.astype(np.int64), present.copy())

    def put_bool(self, name: str, values: Bools, present: Bools | bool = True) -> None:
        self.bools[name] = (values.astype(np.bool_), np.broadcast_to(present, self.n).copy())

    def put_enum(
        self, name: str, codes: Ints, labels: Sequence[str], present: Bools | bool = True
    ) -> None:
        """Codes 1..k name ``labels``; 0 (or not ``present``) is absent."""
        lookup = np.array([None, *labels], dtype=object)
        given = np.where(present, codes, 0).astype(np.int64)
        self.enums[name] = lookup[given].tolist()
        self.enum_codes[name] = EnumCodes(given, tuple(labels))

    def done(self) -> ColumnarFacts:
        n, none = self.n, np.zeros(self.n, np.bool_)
        for name, spec in FACTS.items():
            if spec.type == "int":
                self.ints.setdefault(name, (np.zeros(n, np.int64), none.copy()))
            elif spec.type == "bool":
                self.bools.setdefault(name, (none.copy(), none.copy()))
            else:
                self.enums.setdefault(name, [None] * n)
        return ColumnarFacts(n, self.ints, self.bools, self.enums, self.fallback, self.enum_codes)


def derive_columns(
    pairs: Sequence[tuple[Cadre, Move]], as_of: date, params: Mapping[str, Any] | None = None
) -> ColumnarFacts:
    """Derive the facts of every (cadre, move) on ``as_of``, as ``derive_facts`` would.

    Args:
        pairs: the (cadre, move) pairs, validated models.
        as_of: the evaluation date shared by all rows.
        params: the compiled rules' parameters, read as ``derive_facts`` reads them
            (``service_reference_date``, ``term_months``,
            ``planning_removal_by_discipline_until``, ``post_equivalence``,
            ``equivalence_cross_level``).

    Returns:
        A :class:`ColumnarFacts`; the rows in its ``fallback`` must go through
        ``derive_facts``.
    """
    out = _Out(len(pairs))
    if not pairs:
        return out.done()
    try:
        _derive(out, _read(pairs, as_of), as_of, params or {})
    except Exception:  # not reached with validated models: every row goes the row way
        out = _Out(len(pairs))
        out.fallback[:] = True
    return out.done()


def _derive(out: _Out, t: _Tables, as_of: date, params: Mapping[str, Any]) -> None:
    """Every fact, topic by topic, as facts/__init__.py and the topic modules derive them."""
    n, today = out.n, as_of.toordinal()
    cadre, move = t.cadre, t.move

    # --- facts/__init__.py: the reference date, and the rows derive_facts refuses -----------
    decided, has_decided = move.days("decision_date")
    start, has_start = move.days("planned_start")
    end, has_end = move.days("planned_end")
    convention = str(params.get("service_reference_date", "decision_date"))
    ref = np.full(n, today, np.int64)
    if convention != "as_of":
        ref = np.where(has_decided, decided, ref)
        if convention == "planned_start":
            ref = np.where(has_start, start, ref)
    birth, _ = cadre.days("date_of_birth")
    birth_month = _month_day(birth)[0]
    both = has_start & has_end
    out.fallback |= (birth > today) | (birth > ref) | (as_of.year - 1970 - birth_month // 12 > 100)
    out.fallback |= (birth > _LAST_DAY) | (ref > _LAST_DAY) | (both & (end > _LAST_DAY))
    out.fallback |= both & (end + 1 < start)
    try:
        term = int(params.get("term_months", 60))
    except (TypeError, ValueError, OverflowError):
        term = 0
    if term <= 0:  # terms() raises on every row
        out.fallback[:] = True
        return
    ok = ~out.fallback

    # --- service.py -------------------------------------------------------------------------
    gender = cadre.codes("gender", Gender)
    override, has_override, big = cadre.ints("retirement_age_override_months")
    out.fallback |= big | (has_override & ((override < 1) | (override > 1200)))
    # the statutory age depends on the gender and the birth month only: once per distinct pair
    chosen = ok & ~has_override
    keys, inverse = np.unique(
        gender[chosen] * (1 << 32) + birth_month[chosen] + (1 << 31), return_inverse=True
    )
    genders, ages = list(Gender), []
    for key in keys.tolist():
        years, month = divmod((key & 0xFFFFFFFF) - (1 << 31), 12)
        ages.append(statutory_age_for_month(genders[(key >> 32) - 1], 1970 + years, month + 1))
    statutory = np.zeros(n, np.int64)
    statutory[chosen] = np.array(ages, np.int64)[inverse]
    retirement_age = np.where(has_override, override, statutory)
    # dates.retirement: the last day of the month in which the age is reached
    retirement_day = _month_start(birth_month + retirement_age + 1) - 1
    age = _completed_months(birth, np.where(ok, ref, birth))
    remaining = retirement_age - age
    out.put_enum("gender", gender, _labels(Gender))
    out.put_int("age_months", age, ok)
    out.put_int("remaining_service_months", remaining, ok)
    out.put_int("remaining_terms", np.maximum(0, remaining // term), ok)
    out.put_int("days_to_retirement", retirement_day - today, ok)
    out.put_int(
        "days_from_start_to_retirement", retirement_day - np.where(has_start, start, ref), ok
    )
    for name in ("party_member", "civil_servant", "ethnic_minority", "local_origin",
                 "under_disciplinary_review", "under_investigation"):  # fmt: skip
        out.put_bool(name, *cadre.tri(name))
    terms, has_terms, big = cadre.ints("consecutive_terms_as_head")
    out.fallback |= big
    out.put_int("consecutive_terms_as_head", terms, has_terms)

    _discipline_and_planning(out, t, as_of, params)
    _family(out, t, as_of)
    _posts(out, t, as_of, params)
    _rerate(t, as_of, params)
    _rotation(out, t, as_of)
    _state(out, t, as_of, params, ref)

    # --- rotation.py: the move itself -------------------------------------------------------
    out.put_enum("move_kind", move.codes("kind", MoveKind), _labels(MoveKind))
    for name in ("special_case_requested", "policy_case", "re_election",
                 "requires_civil_service_intake", "job_position_fit",
                 "sending_unit_assessed"):  # fmt: skip
        out.put_bool(name, *move.tri(name))
    # The planned end is the last day served (01/07/2024 → 30/06/2027 is 36 months).
    planned = np.flatnonzero(both & ok)
    first, last = start[planned], end[planned] + 1
    months = _completed_months(first, last)
    out.put_int("planned_duration_months", _scatter(n, planned, months), both)
    extra = last - _add_months(first, months)
    out.put_int("planned_duration_extra_days", _scatter(n, planned, extra), both)


def _discipline_and_planning(out: _Out, t: _Tables, as_of: date, params: Mapping[str, Any]) -> None:
    """discipline.py and planning.py (planning_disciplined reads the discipline dates)."""
    n, today = out.n, as_of.toordinal()
    disc = t.discipline
    form = disc.codes("form", DisciplineForm)
    decision, _ = disc.days("decision_date")
    effective, has_effective = disc.days("effective_date")
    effective = np.where(has_effective, effective, decision)
    past = effective <= today
    terminal = _member(TERMINAL, DisciplineForm)[form]

    def since(has: str, months: str, counted: Bools) -> None:
        latest = _latest(n, disc.rows[counted], effective[counted])
        out.put_bool(has, latest > 0, disc.known)
        found = latest > 0
        out.put_int(months, _months_to(latest, found, as_of), disc.known & found)

    party = disc.codes("kind", DisciplineKind) == _code(DisciplineKind.DANG)
    since("has_party_discipline", "months_since_party_discipline", past & party & ~terminal)
    for bucket, forms in BUCKETS.items():
        counted = past & _member(forms, DisciplineForm)[form]
        since(f"has_discipline_{bucket}", f"months_since_{bucket}", counted)
    out.put_bool("has_terminal_discipline", _any(n, disc.rows[past & terminal]), disc.known)

    # planning.py
    plan = t.planning
    active = plan.codes("status", PlanningStatus) == _code(PlanningStatus.ACTIVE)
    p_row, p_level = plan.rows[active], plan.codes("level", Level)[active]
    p_title = plan.codes("title_code", TitleCode)[active]
    approved, has_approved = (x[active] for x in plan.days("approved_on"))
    has_active = _any(n, p_row)
    out.put_bool("in_planning", has_active, plan.known)
    huyen = p_level == _code(Level.HUYEN)
    unsure = _any(n, p_row[huyen & (p_title == 0)])
    for name, titles in (("planned_district_top_post", DISTRICT_TOP_TITLES),
                         ("planned_district_standing_or_head", DISTRICT_STANDING_OR_HEAD_TITLES),
                         ("planned_district_committee", DISTRICT_COMMITTEE_TITLES)):  # fmt: skip
        hit = _any(n, p_row[huyen & _member(titles, TitleCode)[p_title]])
        out.put_bool(name, hit, plan.known & (hit | ~unsure))
    t_level, t_title = t.target.codes("level", Level), t.target.codes("title_code", TitleCode)
    match = _any(n, p_row[(p_title == t_title[p_row]) & (p_level == t_level[p_row])])
    untitled = _any(n, p_row[p_title == 0])
    out.put_bool("planned_for_target", match, plan.known & (t_title > 0) & (match | ~untitled))
    until = params.get("planning_removal_by_discipline_until")
    cutoff = today
    if until:
        try:
            cutoff = min(today, date.fromisoformat(str(until)).toordinal())
        except ValueError:  # derive_facts raises where it reads it
            out.fallback |= plan.known & has_active & disc.known
    counted = effective <= cutoff
    latest = _latest(n, disc.rows[counted], effective[counted])
    before = _any(n, p_row[has_approved & (approved <= latest[p_row])])
    unapproved = _any(n, p_row[~has_approved])
    disciplined = has_active & (latest > 0) & before
    known = ~has_active | (disc.known & ((latest == 0) | before | ~unapproved))
    out.put_bool("planning_disciplined", disciplined, plan.known & known)
    comm = t.committee
    member = (comm.codes("level", Level) == _code(Level.HUYEN)) & _member(
        _COMMITTEE_ROLES, CommitteeRole
    )[comm.codes("role", CommitteeRole)]
    out.put_bool("district_committee_member", _any(n, comm.rows[member]), comm.known)


def _family(out: _Out, t: _Tables, as_of: date) -> None:
    """family.py: the health certificate and the family."""
    n, today = out.n, as_of.toordinal()
    health, family = t.health, t.family
    issued, _ = health.days("issued_on")
    fit, _ = health.tri("fit")
    out.put_bool("health_fit", _scatter(n, health.rows, fit), health.known)
    issued_ok = issued <= today
    months = _months_to(issued, issued_ok, as_of)
    out.put_int("health_certificate_age_months", _scatter(n, health.rows, months),
                _scatter(n, health.rows, issued_ok))  # fmt: skip
    for name in ("pregnant", "maternity_leave"):
        value, present = family.tri(name)
        out.put_bool(name, _scatter(n, family.rows, value), _scatter(n, family.rows, present))
    # a stated reason says he raises the child alone (family.py)
    reason = family.codes("sole_carer_reason", SoleCarerReason)
    value, present = family.tri("sole_carer")
    implied = (reason > 0) & ~present
    out.put_bool("sole_carer", _scatter(n, family.rows, value | implied),
                 _scatter(n, family.rows, present | implied))  # fmt: skip
    out.put_enum("sole_carer_reason", _scatter(n, family.rows, reason), _labels(SoleCarerReason))
    child, has_child_dob = family.days("youngest_child_date_of_birth")
    born = has_child_dob & (child <= today)
    stated, has_stated = family.tri("has_children")
    out.put_bool("has_children", _scatter(n, family.rows, born | stated),
                 _scatter(n, family.rows, born | (~has_child_dob & has_stated)))  # fmt: skip
    months = _months_to(child, born, as_of)
    out.put_int("youngest_child_age_months", _scatter(n, family.rows, months),
                _scatter(n, family.rows, born))  # fmt: skip


def _posts(out: _Out, t: _Tables, as_of: date, params: Mapping[str, Any]) -> None:
    """posts.py: the target and current posts."""
    n, today = out.n, as_of.toordinal()
    cadre, move, target, current = t.cadre, t.move, t.target, t.current
    t_level, t_title = target.codes("level", Level), target.codes("title_code", TitleCode)
    out.put_enum("target_level", t_level, _labels(Level))
    out.put_enum("target_title_code", t_title, _labels(TitleCode))
    key, has_key = target.tri("key_commune_post")
    xa = t_level == _code(Level.XA)
    key_post = np.where(has_key, key, xa & _member(KEY_COMMUNE_TITLES, TitleCode)[t_title])
    key_known = has_key | ~xa | (t_title > 0)
    out.put_bool("target_is_key_commune_post", key_post, key_known)
    _commune_class(out, target, t_level, t_title, key_post, key_known, as_of)
    fill = target.codes("fill_method", FillMethod)
    elected = _member(ELECTED_TITLES, TitleCode)[t_title]
    appointed = _member(APPOINTED_TITLES, TitleCode)[t_title]
    out.put_bool("target_is_elected", np.where(fill > 0, fill == _code(FillMethod.BAU_CU), elected),
                 (fill > 0) | elected | appointed)  # fmt: skip
    for name, source in (("target_vacant", "vacant"),
                        ("target_created_for_move", "created_for_move"),
                        ("target_on_post_change_list", "on_post_change_list")):  # fmt: skip
        out.put_bool(name, *target.tri(source))
    req_degree = target.codes("required_degree", DegreeLevel)
    req_theory = target.codes("required_political_theory", PoliticalTheory)
    out.put_bool("target_requires_degree", req_degree > 0)
    out.put_bool("target_requires_political_theory", req_theory > 0)
    degree = cadre.codes("degree", DegreeLevel)
    theory = cadre.codes("political_theory", PoliticalTheory)
    out.put_int("degree_gap", degree - req_degree, (req_degree > 0) & (degree > 0))
    out.put_int("political_theory_gap", theory - req_theory, (req_theory > 0) & (theory > 0))

    has_cur, c_rows = current.known, current.rows
    c_level = _scatter(n, c_rows, current.codes("level", Level))
    c_title = _scatter(n, c_rows, current.codes("title_code", TitleCode))
    out.put_enum("current_level", c_level, _labels(Level))
    out.put_enum("current_title_code", c_title, _labels(TitleCode))
    value, present = current.tri("on_post_change_list")
    out.put_bool("current_on_post_change_list", _scatter(n, c_rows, value),
                 _scatter(n, c_rows, present))  # fmt: skip
    role = _scatter(n, c_rows, current.codes("role", PostRole))
    out.put_bool("current_is_head", role == _code(PostRole.CAP_TRUONG), has_cur)
    out.put_bool("current_is_deputy", role == _code(PostRole.CAP_PHO), has_cur)
    order = np.array([0, *(LEVEL_ORDER[lvl] for lvl in Level)], np.int64)
    d_cur, d_tgt = order[c_level], order[t_level]
    direction = np.where(d_cur == d_tgt, 1, np.where(d_tgt > d_cur, 2, 3))
    out.put_enum("level_direction", direction, _DIRECTIONS, has_cur)

    _relations(out, t, t_level, t_title, c_rows, as_of, params)
    post_since, has_since = current.days("since")
    since_ok = has_since & (post_since <= today)
    months = _months_to(post_since, since_ok, as_of)
    out.put_int("months_in_current_post", _scatter(n, c_rows, months),
                _scatter(n, c_rows, since_ok))  # fmt: skip
    t_allow, t_has_allow, t_big = target.ints("allowance")
    c_allow, c_has_allow, c_big = (_scatter(n, c_rows, x) for x in current.ints("allowance"))
    out.fallback |= has_cur & t_has_allow & c_has_allow & (t_big | c_big)
    out.put_int("allowance_gap", t_allow - c_allow, has_cur & t_has_allow & c_has_allow)
    stated, has_stated = move.tri("cross_unit")
    c_body, t_body = current.kept["body"], target.kept["body"]
    named = np.flatnonzero(np.fromiter(map(bool, c_body), np.bool_, len(c_body)))
    bodies = [
        (i, c_body[j], t_body[i])
        for j, i in zip(named.tolist(), c_rows[named].tolist(), strict=True)
    ]
    bodies = [(i, a, b) for i, a, b in bodies if b]
    b_rows = np.array([i for i, _, _ in bodies], np.int64)
    differ = np.array([a.casefold() != b.casefold() for _, a, b in bodies], np.bool_)
    out.put_bool("cross_unit", np.where(has_stated, stated, _scatter(n, b_rows, differ)),
                 has_cur & (has_stated | _any(n, b_rows)))  # fmt: skip


_LEVELS: Final = (None, *Level)
_TITLES: Final = (None, *TitleCode)


def _commune_class(
    out: _Out,
    target: _Table,
    t_level: Ints,
    t_title: Ints,
    key_post: Bools,
    key_known: Bools,
    as_of: date,
) -> None:
    """posts.commune_post_class, once per distinct target."""
    ids, post_codes = target._field("post_code")
    keys = np.stack([t_level, t_title, ids + 1, np.where(key_known, key_post.astype(np.int64), -1)])
    distinct, inverse = _distinct_columns(keys)
    found = np.zeros(distinct.shape[1], np.int64)
    for k, (lv, tc, pid, key) in enumerate(distinct.T.tolist()):
        level = _LEVELS[lv]
        if level is not None:
            got = commune_post_class(
                level, _TITLES[tc], post_codes[pid - 1], None if key < 0 else bool(key), as_of
            )
            if got is not None:
                found[k] = COMMUNE_POST_CLASSES.index(got) + 1
    codes = found[inverse]
    out.put_enum("target_commune_post_class", codes, COMMUNE_POST_CLASSES, codes > 0)


def _relations(
    out: _Out,
    t: _Tables,
    t_level: Ints,
    t_title: Ints,
    c_rows: Ints,
    as_of: date,
    params: Mapping[str, Any],
) -> None:
    """equivalence.relation of each row with a current post, once per distinct comparison."""
    n, current, target = out.n, t.current, t.target
    t_rank, t_has_rank, t_big = target.ints("rank")
    c_rank, c_has_rank, c_big = current.ints("rank")
    c_level, c_title = current.codes("level", Level), current.codes("title_code", TitleCode)
    rel, src = np.zeros(n, np.int64), np.zeros(n, np.int64)
    # the other posts held, numbered by distinct list (0: none, the common case)
    held: dict[tuple[PostRef, ...], int] = {(): 0}
    others = [held.setdefault(tuple(PostRef(p.level, p.title_code, p.rank) for p in o), len(held))
              if o else 0 for o in current.kept["other_posts"]]  # fmt: skip
    held_refs = list(held)
    huge = np.array([any(p.rank is not None and abs(p.rank) >= _BIG for p in refs)
                     for refs in held_refs], np.bool_)  # fmt: skip
    others_id = np.array(others, np.int64)
    # derive_facts compares Python ints of any size: such rows go the row way
    big = c_big | t_big[c_rows] | huge[others_id]
    out.fallback[c_rows[big]] = True
    j = np.flatnonzero(~big)
    i = c_rows[j]
    keys = np.stack([c_level[j], c_title[j], np.where(c_has_rank[j], c_rank[j], -1), others_id[j],
                     t_level[i], t_title[i], np.where(t_has_rank[i], t_rank[i], -1)])  # fmt: skip
    if not len(j):
        keys = np.zeros((7, 0), np.int64)
    distinct, inverse = _distinct_columns(keys)
    found_rel = np.zeros(distinct.shape[1], np.int64)
    found_src = np.zeros(distinct.shape[1], np.int64)
    failed = np.zeros(distinct.shape[1], np.bool_)
    for k, (cl, ct, cr, ot, tl, tt, tr) in enumerate(distinct.T.tolist()):
        mine = (PostRef(_LEVELS[cl], _TITLES[ct], None if cr < 0 else cr), *held_refs[ot])
        theirs = PostRef(_LEVELS[tl], _TITLES[tt], None if tr < 0 else tr)
        try:
            found = relation(mine, theirs, params, as_of)
        except Exception:  # a malformed table: derive_facts raises for this row
            failed[k] = True
            continue
        if found is not None:
            found_rel[k] = _RELATIONS.index(found[0]) + 1
            found_src[k] = RELATION_SOURCES.index(found[1]) + 1
    out.fallback[i[failed[inverse]]] = True
    rel[i], src[i] = found_rel[inverse], found_src[inverse]
    out.put_enum("target_relation", rel, _RELATIONS, rel > 0)
    out.put_enum("target_relation_source", src, RELATION_SOURCES, src > 0)


def _distinct_columns(keys: Ints) -> tuple[Ints, Ints]:
    """The distinct columns of small integer ``keys`` (codes ``>= -1``, one row a part of the
    key) and, per column, the number of its distinct column (``records.coded.number_rows``)."""
    inverse, first = number_rows(list(keys), keys.shape[1])
    return keys[:, first], inverse


def _rerate(t: _Tables, as_of: date, params: Mapping[str, Any]) -> None:
    """ratings.merge_ratings for the rows with rating records; the latest band of each row."""
    records = t.cadre.kept["rating_records"]
    ratings = t.rated[2]
    annual = t.cadre.kept["ratings"]
    if records.count(None) == len(records):  # once per distinct ratings
        t.rated_good = list(map(GOOD_BANDS.__contains__, ratings))
        codes, distinct = t.annual
        merges = [merge_ratings(a, None, params) for a in [*distinct, None]]
        by_year = [None if m is None else m[1] for m in merges]
        t.annual_good = [by_year[k] for k in codes.tolist()]  # -1: the last, no ratings
        return
    t.annual_good = []
    out_rows: list[int] = []
    out_years: list[int] = []
    out_bands: list[Rating | None] = []
    good: list[bool | None] = []
    year = as_of.year
    for i, (stated, recs) in enumerate(zip(annual, records, strict=True)):
        merged = merge_ratings(stated, recs, params)
        bands, goods = merged if merged is not None else ({}, {})
        if recs is not None:
            annual[i] = bands
        t.annual_good.append(None if merged is None else goods)
        top = max((y for y in bands if y <= year), default=None)
        if top is not None:
            out_rows.append(i)
            out_years.append(top)
            out_bands.append(bands[top])
            good.append(goods[top])
    t.rated = (np.array(out_rows, np.int64), out_years, out_bands)
    t.rated_good = good


def _rotation(out: _Out, t: _Tables, as_of: date) -> None:
    """rotation.py: the latest rating, the current rotation, and HTXS during it."""
    n, today, rot = out.n, as_of.toordinal(), t.rotation
    r_rows, r_years, r_ratings = t.rated
    years, _, big = _ints(r_years)
    out.fallback |= _scatter(n, r_rows, big)
    out.put_int("latest_rating_year", _scatter(n, r_rows, years), _any(n, r_rows))
    out.put_enum("latest_rating", _scatter(n, r_rows, _codes(r_ratings, Rating)), _labels(Rating))
    good = t.rated_good
    out.put_bool("latest_rating_htt_or_better",
                 _scatter(n, r_rows, np.array([g is True for g in good], np.bool_)),
                 _scatter(n, r_rows, np.array([g is not None for g in good], np.bool_)))  # fmt: skip
    start, _ = rot.days("start")
    end, has_end = rot.days("end")
    covers = (start <= today) & (~has_end | (end >= today))
    seconded = rot.codes("kind", MoveKind) == _code(MoveKind.BIET_PHAI)
    current = covers & ~seconded  # a secondment is not a rotation
    t.seconded = _any(n, rot.rows[covers & seconded])
    best = _latest(n, rot.rows[current], start[current])
    out.put_bool("in_rotation", best > 0, rot.known)
    # the first current record with the latest start, as max(..., key=start) picks
    candidates = np.flatnonzero(current & (start == best[rot.rows]))
    rows, first = np.unique(rot.rows[candidates], return_index=True)
    chosen = candidates[first]
    months = _completed_months(start[chosen], as_of)
    out.put_int("months_in_rotation", _scatter(n, rows, months), _any(n, rows))
    # HTXS among the rotation's own ratings, else among the cadre's since its first year
    own, annual, year = rot.kept["ratings"], t.cadre.kept["ratings"], as_of.year
    first_years = (_month_day(start[chosen])[0] // 12 + 1970).tolist()
    rated, htxs = [], []
    for i, k, first_year in zip(rows.tolist(), chosen.tolist(), first_years, strict=True):
        if own[k]:
            htxs.append(Rating.HTXS in own[k].values())
        elif (ratings := annual[i]) is not None:
            window = [v for y, v in ratings.items() if first_year <= y <= year]
            if Rating.HTXS not in window and None in window:
                continue  # a band the points do not decide: unknown
            htxs.append(Rating.HTXS in window)
        else:
            continue
        rated.append(i)
    rated_rows = np.array(rated, np.int64)
    out.put_bool("htxs_during_rotation", _scatter(n, rated_rows, np.array(htxs, np.bool_)),
                 _any(n, rated_rows))  # fmt: skip


def _state(out: _Out, t: _Tables, as_of: date, params: Mapping[str, Any], ref: Ints) -> None:
    """state.py: who the state rules bind and the NĐ 170/2025 facts."""
    n, cadre, move = out.n, t.cadre, t.move
    category = cadre.codes("category", CadreCategory)
    civil, has_civil = cadre.tri("civil_servant")
    stated = category > 0
    category = np.where(stated, category, np.where(has_civil & civil,
                                                   _code(CadreCategory.CONG_CHUC), 0))  # fmt: skip
    out.put_enum("cadre_category", category, _labels(CadreCategory))
    elected, has_elected = cadre.tri("elected")
    fill = _scatter(n, t.current.rows, t.current.codes("fill_method", FillMethod))
    out.put_bool("cadre_elected", np.where(has_elected, elected, fill == _code(FillMethod.BAU_CU)),
                 has_elected | (fill > 0))  # fmt: skip
    criminal, has_criminal = cadre.tri("criminal_proceedings")
    probe, has_probe = cadre.tri("under_investigation")
    cleared = has_probe & ~probe
    out.put_bool("criminal_proceedings", criminal & has_criminal, has_criminal | cleared)
    for name in ("serious_illness", "long_term_study", "special_hardship"):
        out.put_bool(name, *cadre.tri(name))
    seconded, has_seconded = cadre.tri("currently_seconded")
    out.put_bool("currently_seconded", np.where(has_seconded, seconded, t.seconded),
                 has_seconded | t.rotation.known)  # fmt: skip
    for name in ("own_request", "head_other_bar"):
        out.put_bool(name, *move.tri(name))
    years = lookback_years(params.get("job_change_rating_lookback_years"))
    if years is not None:
        last = _month_day(ref)[0] // 12 + 1970 - 1
        good, known = np.zeros(n, np.bool_), np.zeros(n, np.bool_)
        memo: dict[tuple[int, int], bool | None] = {}  # rows sharing ratings share them
        for i, (annual, y) in enumerate(zip(t.annual_good, last.tolist(), strict=True)):
            key = (id(annual), y)
            if key not in memo:
                memo[key] = good_in_every_year(annual, range(y - years + 1, y + 1), as_of.year)
            held = memo[key]
            if held is not None:
                good[i], known[i] = held, True
        out.put_bool("rated_htt_lookback", good, known)
    ban = params.get("vc_secondment_child_ban")
    if isinstance(ban, bool):
        out.put_bool("vc_secondment_child_ban", np.full(n, ban))
