"""Đọc theo cột / a flat table read column by column into validated values, no model per row.

:meth:`Layout.read <luanchuyen.records.layout.Layout.read>` turns a row into nested mappings
and the models validate them, row by row. For a table of thousands of rows most of that work
is the same over and over: a column holds a few distinct cells (levels, titles, yes/no, a
few hundred dates). :func:`read_coded` reads a block of rows as ``read`` and the models
would, column by column:

* each column is *factorised* (pandas' C hash table: a code per row, each distinct cell
  once) and each distinct cell parsed once, by the same
  :func:`~luanchuyen.records.cells.parse_cell`;
* each field of a record (the cadre, the current post, the health certificate, the family,
  the target post, the move) is validated once per distinct value by a ``TypeAdapter`` of
  the model's own field (``Model.model_fields``: the same type, bounds and validators, so
  the same value or the same refusal); the model-level steps are taken once per distinct
  combination of the fields they read: a free-text title read into a title code
  (``Layout.title_node``), a partly filled group left unknown (``missing_fields``), the
  catalogue code filling title, level and role (``models.titles.fill_from_post_code``), the
  cross-field checks (:data:`luanchuyen.models.checks.CHECKS`); a field left empty takes the
  model's default;
* the list groups (planning, disciplines, committees, rotations: ``;`` between items) are
  read by ``read``'s own code and validated by their models once per distinct set of cells.

:data:`MODEL_STEPS` names every model-level validator this module takes the place of; a test
fails when a model gains one it does not know. What comes back (:class:`CodedRows`) is what
the facts read. A row the column way cannot take is flagged in ``taken`` (``False``): a cell
that does not parse, a value or a record a model refuses, a failed check, a required field
left empty. The caller reads those rows the model way, which gives each its exact error
(nothing here writes an error); ``tests/test_coded.py`` checks that both ways give the same
values, and the same result frame on the synthetic population and the bad-input corpus.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any, Final, Literal

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, TypeAdapter

from luanchuyen.models import Cadre, CurrentPost, Family, HealthCertificate, Move, Position
from luanchuyen.models._types import MODEL_CONFIG, settled, settled_kind
from luanchuyen.models.checks import CHECKS, Check
from luanchuyen.models.titles import fill_from_post_code
from luanchuyen.records.cells import is_empty, text
from luanchuyen.records.columns import header_key
from luanchuyen.records.layout import (
    _FAILED,
    _NONE_MARK,
    _CellMemo,
    _parse_once,
    group_model,
    required_fields,
)

if TYPE_CHECKING:
    from luanchuyen.records.layout import Layout, _Binding

__all__ = ["MODEL_STEPS", "Coded", "CodedRecord", "CodedRows", "number_rows", "read_coded"]

Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]

#: The records read field by field: their group path, model, the path ``Layout.title_node``
#: knows their title by (``None``: no title), whether a partly filled one is unknown
#: (``Layout._prune``) rather than an error.
_RECORDS: Final[tuple[tuple[str, type[BaseModel], str | None, bool], ...]] = (
    ("cadre", Cadre, None, False),
    ("cadre.current_post", CurrentPost, "cadre.current_post", True),
    ("cadre.health", HealthCertificate, None, True),
    ("cadre.family", Family, None, True),
    ("move.target", Position, "move.target", False),
    ("move", Move, None, False),
)
#: The list groups, with the title path of their items.
_LISTS: Final = {
    "cadre.committee_memberships": None,
    "cadre.planning": "cadre.planning[]",
    "cadre.disciplines": None,
    "cadre.rotation_history": None,
}
#: Every model-level validator of the models read here, and where this module takes its
#: place: the fields' values are dates already (``_birth_date`` reads text and numbers),
#: ``_from_post_code`` is applied per distinct combination, the others are CHECKS.
MODEL_STEPS: Final[Mapping[str, frozenset[str]]] = {
    "Cadre": frozenset({"_birth_date", "_consistency", "_ratings_agree"}),
    "CurrentPost": frozenset({"_from_post_code"}),
    "HealthCertificate": frozenset(),
    "Family": frozenset({"_reason"}),
    "Position": frozenset({"_from_post_code"}),
    "Move": frozenset({"_order"}),
    "PlanningEntry": frozenset(),
    "Discipline": frozenset(),
    "CommitteeMembership": frozenset(),
    "RotationRecord": frozenset({"_order"}),
}
#: The fields of a record read as records (or lists) of their own, not field by field.
_NESTED: Final = {
    "Cadre": frozenset({"current_post", "health", "family", "committee_memberships", "planning",
                        "disciplines", "rotation_history", "ratings", "rating_records"}),
    "Move": frozenset({"target"}),
}  # fmt: skip
#: Key components above this are renumbered (the mixed-radix key stays in 64 bits).
_KEY_LIMIT: Final = 1 << 40
_POST_FIELDS: Final = ("post_code", "title_code", "level", "role")
#: The column kinds whose cells parse_cell reads as text (records.cells: the default).
_TEXT_KINDS: Final = frozenset({"text", "title"})
#: The column kinds parse_cell reads as dates (``birth``: with the date's precision).
_DATE_KINDS: Final = frozenset({"date", "birth"})


@dataclass(frozen=True, slots=True)
class Coded:
    """One field of many rows: ``codes[i]`` indexes ``values`` (``-1``: not given)."""

    codes: Ints
    values: list[Any]

    def value(self, i: int) -> Any:
        """Row ``i``'s value (``None`` when not given)."""
        k = int(self.codes[i])
        return None if k < 0 else self.values[k]

    def column(self) -> list[Any]:
        """Every row's value (``None`` when not given)."""
        looked = [*self.values, None]
        return [looked[k] for k in self.codes.tolist()]

    def take(self, rows: Ints) -> Coded:
        """The rows ``rows`` only."""
        return Coded(self.codes[rows], self.values)


@dataclass(frozen=True, slots=True)
class CodedRecord:
    """One record of many rows: which rows have it (``present``), which know whether they
    have it (``known``: a list group known to be empty), and every field of its model (a
    field left empty holds the model's default; ``-1`` codes are ``None``)."""

    present: Bools
    known: Bools
    fields: dict[str, Coded]

    def take(self, rows: Ints) -> CodedRecord:
        """The rows ``rows`` only."""
        fields = {k: c.take(rows) for k, c in self.fields.items()}
        return CodedRecord(self.present[rows], self.known[rows], fields)


@dataclass(slots=True)
class CodedRows:
    """A block of table rows as the facts read them (see the module docstring).

    Attributes:
        n: rows in the block.
        taken: rows the column way took; the others must be read the model way.
        days: each row's evaluation date (its ``Ngày đánh giá`` cell, else the batch's).
        records: ``cadre``, ``current_post``, ``health``, ``family``, ``target``,
            ``move``, and the list groups ``planning``, ``disciplines``,
            ``committee_memberships``, ``rotation_history`` (one item a row at most), field
            by field.
        ratings: the annual ratings (year → rating), coded: rows with the same rating
            cells share one mapping (``-1``: no rating).

    Nothing dated after the evaluation date is left out here (the facts see to it).
    """

    n: int
    taken: Bools
    days: list[date | None]
    records: dict[str, CodedRecord] = field(default_factory=dict)
    ratings: Coded = field(default_factory=lambda: _absent(0))

    def take(self, rows: Ints) -> CodedRows:
        """The rows ``rows`` only (in that order)."""
        picked = rows.tolist()
        return CodedRows(
            len(picked),
            self.taken[rows],
            [self.days[i] for i in picked],
            {name: rec.take(rows) for name, rec in self.records.items()},
            self.ratings.take(rows),
        )


def _none(n: int) -> CodedRows:
    return CodedRows(n, np.zeros(n, np.bool_), [None] * n, ratings=_absent(n))


@functools.cache
def _adapter(model: type[BaseModel], name: str, *, many: bool = False) -> TypeAdapter[Any]:
    """A validator of one field of ``model`` as the model validates it (of a list of its
    values with ``many``)."""
    info = model.model_fields[name]
    one = Annotated[info.annotation, info]  # type: ignore[name-defined]
    return TypeAdapter(list[one] if many else one, config=MODEL_CONFIG)


@functools.cache
def _settled_kind(model: type[BaseModel], name: str) -> Literal["text", "date"] | None:
    return settled_kind(model.model_fields[name])


def _factorize(col: Any, n: int) -> tuple[Ints, list[Any]]:
    """A column's codes (``-1`` for NA) and distinct cells, cells of other types apart
    (a cell ``1`` is not the cell ``True`` nor ``1.0``: they may read differently)."""
    import pandas as pd  # deferred: pandas is the heavy ``analysis`` extra

    series = col if isinstance(col, pd.Series) else pd.Series(list(col), dtype=object)
    if len(series) != n:
        raise ValueError("a column of another length")
    if series.dtype == object and n and series.iloc[0] is None and series.isna().all():
        return np.full(n, -1, np.int64), []  # an empty column (the first cell says most)
    codes, uniques = series.factorize(use_na_sentinel=True)
    values = uniques.tolist()
    if series.dtype == object and any(not isinstance(v, str | date) for v in values):
        index: dict[tuple[type, Any], int] = {}
        keys = [(type(c), c) for c in series.tolist()]
        codes = np.fromiter(map(index.setdefault, keys, range(len(keys))), np.int64, len(keys))
        distinct, codes = np.unique(codes, return_inverse=True)  # first rows → 0..k-1
        firsts = {row: key for key, row in index.items()}
        values = [firsts[int(row)][1] for row in distinct.tolist()]
    return np.asarray(codes, np.int64).reshape(-1), values


def number_rows(parts: Sequence[Ints], n: int) -> tuple[Ints, Ints]:
    """Rows numbered by distinct combination of ``parts`` (integer codes ``>= -1``, one
    array a part): per row the combination's number (in order of first appearance), and per
    combination its first row. One mixed-radix integer a row, hashed (not sorted)."""
    import pandas as pd  # deferred: pandas is the heavy ``analysis`` extra

    key = np.zeros(n, np.int64)
    for part in parts:
        width = int(part.max()) + 2 if len(part) else 1
        if int(key.max(initial=0)) * width > _KEY_LIMIT:
            key = pd.factorize(key)[0].astype(np.int64)
        key = key * width + (part + 1)
    inverse, distinct = pd.factorize(key)
    first = np.zeros(len(distinct), np.int64)
    first[inverse[::-1]] = np.arange(n - 1, -1, -1)
    return np.asarray(inverse, np.int64), first


def _absent(n: int) -> Coded:
    return Coded(np.full(n, -1, np.int64), [])


class _Reader:
    """One block: the parsed columns, the rows still taken, the rows' dates."""

    def __init__(self, layout: Layout, columns: Sequence[Any], n: int) -> None:
        self.layout, self.columns, self.n = layout, columns, n
        self.taken = np.ones(n, np.bool_)
        self.parsed: dict[int, Coded] = {}
        self.day_codes = np.zeros(n, np.int64)
        self.day_values: list[date | None] = []

    def refuse(self, bad: Bools) -> None:
        self.taken &= ~bad

    def refuse_codes(self, codes: Ints, bad: Sequence[bool], where: Bools | None = None) -> None:
        """Refuse the rows (among ``where``) whose code is one of those marked ``bad``."""
        if any(bad):
            rows = np.array([*bad, False], np.bool_)[codes]
            self.refuse(rows if where is None else rows & where)

    def parse(self, b: _Binding, col: Any) -> None:
        """Factorise one column and parse each distinct cell once (list-group cells as written)."""
        codes, uniques = _factorize(col, self.n)
        grouped = b.column.group is not None
        if b.column.kind in _TEXT_KINDS and not grouped and all(type(u) is str for u in uniques):
            # parse_cell reads a text cell as ``text(cell)``: at C speed over the distinct cells
            # (a blank one reads as "" and is an empty cell, as is_empty says)
            texts = list(map(text, uniques))
            filled = np.array([*map(bool, texts), False], np.bool_)
            remap = np.where(filled, np.arange(len(filled)), -1)
            self.parsed[b.index] = Coded(remap[codes], texts)
            return
        if b.column.kind in _DATE_KINDS and not grouped and all(type(u) is date for u in uniques):
            # parse_cell reads a date cell that is a date (not a datetime) as that very day,
            # to the day (a date of birth with its precision): no step a distinct cell
            day = b.column.kind == "date"
            self.parsed[b.index] = Coded(codes, uniques if day else [(u, "day") for u in uniques])
            return
        values: list[Any] = []
        usable = np.ones(len(uniques) + 1, np.bool_)
        usable[-1] = False
        failed = [False] * len(uniques)
        for k, raw in enumerate(uniques):
            if is_empty(raw):
                usable[k] = False
                values.append(None)
                continue
            got = raw if grouped else _parse_once(b, raw)
            if got is _FAILED:
                failed[k], usable[k] = True, False
                values.append(None)
                continue
            values.append(got if grouped else got[0])
        self.refuse_codes(codes, failed)
        remap = np.where(usable, np.arange(len(usable)), -1)
        self.parsed[b.index] = Coded(remap[codes], values)

    def validated(self, model: type[BaseModel], name: str, coded: Coded, where: Bools) -> Coded:
        """A field's distinct values validated by ``model``'s own field; a refusal refuses
        its rows among ``where`` (the rows whose record is kept)."""
        given = [v for v in coded.values if v is not None]
        kind = _settled_kind(model, name)
        if kind is not None and settled(kind, given):  # each would come back as it is
            return coded
        try:  # all at once (one call into pydantic-core); one by one if any is refused
            checked = iter(_adapter(model, name, many=True).validate_python(given))
        except Exception:
            checked = None
        adapter = _adapter(model, name)
        out: list[Any] = []
        failed = [False] * len(coded.values)
        for k, v in enumerate(coded.values):
            if v is None:
                out.append(None)
            elif checked is not None:
                out.append(next(checked))
            else:
                try:
                    out.append(adapter.validate_python(v))
                except Exception:  # the model way reports it, with the row's other errors
                    failed[k] = True
                    out.append(None)
        self.refuse_codes(coded.codes, failed, where)
        return Coded(coded.codes, out)

    def check(self, checks: Sequence[Check], fields: Mapping[str, Coded], where: Bools) -> None:
        """Refuse the rows (among ``where``) that violate one of ``checks``, each check
        evaluated once per distinct value of the field it reads, or once per distinct
        combination of the fields it reads among the rows knowing them all (an unknown value
        violates nothing)."""
        for check in checks:
            parts = [fields[f] for f in check.fields]
            if len(parts) == 1:  # once per distinct value
                (part,) = parts
                self.refuse_codes(part.codes, list(map(check.violated, part.values)), where)
                continue
            # a check is never violated by an unknown value: only rows knowing every field
            rows = np.flatnonzero(where & np.logical_and.reduce([p.codes >= 0 for p in parts]))
            if not len(rows):
                continue
            codes = [p.codes[rows] for p in parts]
            inverse, first = number_rows(codes, len(rows))
            picked = [
                [p.values[k] for k in c[first].tolist()] for p, c in zip(parts, codes, strict=True)
            ]
            bad = list(map(check.violated, *picked))
            if any(bad):
                refused = np.zeros(self.n, np.bool_)
                refused[rows[np.array(bad, np.bool_)[inverse]]] = True
                self.refuse(refused)

    def per_distinct(
        self, parts: Mapping[str, Coded], extra: Sequence[Ints], step: Any, where: Bools
    ) -> dict[str, Coded]:
        """Apply ``step(values, row)`` (a mapping of ``parts``' values → a new mapping, or
        raise) once per distinct combination of ``parts`` (and ``extra`` codes): the new
        values, coded; a raise refuses its rows among ``where``."""
        names = list(parts)
        inverse, first = number_rows([*(parts[k].codes for k in names), *extra], self.n)
        made: list[dict[str, Any]] = []
        failed: list[bool] = []
        for i in first.tolist():
            values = {k: v for k in names if (v := parts[k].value(i)) is not None}
            try:
                made.append(step(values, i))
                failed.append(False)
            except Exception:  # the model way reports it
                made.append({})
                failed.append(True)
        if any(failed):
            self.refuse(np.array(failed, np.bool_)[inverse] & where)
        out: dict[str, Coded] = {}
        for k in {k for m in made for k in m} | set(names):
            column = [m.get(k) for m in made]
            present = np.array([v is not None for v in column] + [False], np.bool_)
            out[k] = Coded(np.where(present[inverse], inverse, -1), column)
        return out


def read_coded(
    layout: Layout, columns: Sequence[Any], *, as_of: date | None, labels: Sequence[Any]
) -> CodedRows:
    """Read a block of flat-layout rows column by column (see the module docstring).

    Args:
        layout: the table's layout (``Layout.resolve(headers, "flat")``).
        columns: one column per header (a pandas Series or a sequence of cells), each as
            long as ``labels``.
        as_of: the batch's evaluation date (rows without their own ``Ngày đánh giá``).
        labels: each row as the user sees it (the id when the table has neither an id nor
            an STT column).

    Returns:
        The rows read; those with ``taken`` false must be read the model way.
    """
    n = len(labels)
    if layout.kind != "flat" or len(columns) != len(layout.headers) or n == 0:
        return _none(n)
    r = _Reader(layout, columns, n)
    try:
        for b in layout.bindings:
            r.parse(b, columns[b.index])
    except (TypeError, ValueError):  # unhashable cells, ragged columns: the model way
        return _none(n)
    by_record: dict[str, list[_Binding]] = {path: [] for path, *_ in _RECORDS}
    lists: dict[str, list[_Binding]] = {g: [] for g in _LISTS}
    ratings: list[_Binding] = []
    for b in layout.bindings:
        path, group = b.column.path, b.column.group
        if b.rating_year is not None or b.rating_previous:
            ratings.append(b)
        elif group is not None:
            if group not in lists:
                return _none(n)
            lists[group].append(b)
        elif path == "as_of":
            continue
        elif (prefix := path.rsplit(".", 1)[0]) in by_record:
            by_record[prefix].append(b)
        else:  # a column this reader does not know: the model way
            return _none(n)
    _days(r, as_of)
    out = CodedRows(n, r.taken, [r.day_values[k] for k in r.day_codes.tolist()])
    for path, model, title_path, prunes in _RECORDS:
        name = path.rsplit(".", 1)[-1]
        group = path if prunes else None
        record = _record(r, model, by_record[path], title_path, group, labels)
        if path == "move":  # the move's target is the row's target record
            r.refuse(~out.records["target"].present)
        out.records[name] = record
    for group, bindings in lists.items():
        out.records[group.split(".", 1)[1]] = _list_record(r, group, bindings)
    out.ratings = _ratings(r, ratings)
    out.taken = r.taken
    return out


def _days(r: _Reader, as_of: date | None) -> None:
    """Each row's evaluation date; a row without one is left to the model way (its error)."""
    b = next((b for b in r.layout.bindings if b.column.path == "as_of"), None)
    if b is None:
        r.day_values = [as_of]
        if as_of is None:
            r.refuse(np.ones(r.n, np.bool_))
        return
    coded = r.parsed[b.index]
    values = [v if isinstance(v, date) else None for v in coded.values]
    r.day_values = [*values, as_of]  # the cell's date where given, else the batch's
    r.day_codes = np.where(coded.codes >= 0, coded.codes, len(values))
    r.refuse_codes(r.day_codes, [v is None for v in r.day_values])


def _record(
    r: _Reader,
    model: type[BaseModel],
    bindings: Sequence[_Binding],
    title_path: str | None,
    group: str | None,
    labels: Sequence[Any],
) -> CodedRecord:
    """One record of every row, field by field, as ``read`` + ``model`` make it."""
    raw: dict[str, Coded] = {}
    for b in bindings:
        coded = r.parsed[b.index]
        if b.column.kind == "birth":  # (date, precision)
            raw["date_of_birth"] = Coded(coded.codes, [v and v[0] for v in coded.values])
            raw["birth_date_precision"] = Coded(coded.codes, [v and v[1] for v in coded.values])
        else:
            raw[b.column.leaf] = coded
    if model is Cadre:
        present = np.ones(r.n, np.bool_)  # a cadre without any cell: its fields are missing
        raw["id"] = _ids(r, raw.get("id"), labels)
    else:
        present = np.zeros(r.n, np.bool_)
        for c in raw.values():
            present |= c.codes >= 0
    return _fields(r, model, raw, present, title_path, group)


def _fields(
    r: _Reader,
    model: type[BaseModel],
    raw: dict[str, Coded],
    present: Bools,
    title_path: str | None,
    group: str | None,
) -> CodedRecord:
    """A record's parsed cells (``raw``) where ``present`` → its model's fields: the title
    read, a partly filled ``group`` unknown, the catalogue code applied, every field validated
    or defaulted, the checks applied (each once per distinct value or combination)."""
    known = present.copy()
    if title_path is not None and "title" in raw:  # Layout._titles, as of the row's date
        involved: dict[str, Coded] = {
            k: raw[k] for k in ("title", "title_code", "role", "level") if k in raw
        }

        def titled(values: dict[str, Any], i: int) -> dict[str, Any]:
            node = dict(values)
            day = r.day_values[int(r.day_codes[i])]
            r.layout.title_node(title_path, node, day, [])
            return node

        raw.update(r.per_distinct(involved, [r.day_codes], titled, present))
    if group is not None:  # Layout._prune: a group without a required field is unknown
        for k in required_fields(group):
            present &= raw[k].codes >= 0 if k in raw else False
        known &= present
    if "post_code" in model.model_fields and "post_code" in raw:  # the model's _from_post_code
        posted: dict[str, Coded] = {k: raw[k] for k in _POST_FIELDS if k in raw}
        raw.update(r.per_distinct(posted, [], lambda v, i: fill_from_post_code(v), present))
    fields: dict[str, Coded] = {}
    for name, info in model.model_fields.items():
        if name in _NESTED.get(model.__name__, ()):
            continue  # a record or a list of its own
        coded = r.validated(model, name, raw[name], present) if name in raw else _absent(r.n)
        if info.is_required():
            r.refuse(present & (coded.codes < 0))
        elif (default := info.get_default(call_default_factory=True)) is not None:
            coded = Coded(np.where(coded.codes < 0, len(coded.values), coded.codes),
                          [*coded.values, default])  # fmt: skip
        fields[name] = coded
    r.check(CHECKS.get(model.__name__, ()), fields, present)
    return CodedRecord(present, known, fields)


def _ids(r: _Reader, given: Coded | None, labels: Sequence[Any]) -> Coded:
    """The id cell, else (as ``Layout._fill_id``) the STT cell, else the row as the user
    sees it."""
    codes = given.codes.copy() if given is not None else np.full(r.n, -1, np.int64)
    values = list(given.values) if given is not None else []
    empty = np.flatnonzero(codes < 0).tolist()
    if empty:
        stt = r.layout.stt_index
        cells = None if stt is None else _column_cells(r.columns[stt])
        for i in empty:
            cell = None if cells is None else cells[i]
            if cell is not None and not is_empty(cell):
                values.append(text(cell))
            elif labels[i] is not None:
                values.append(str(labels[i]))
            else:
                continue
            codes[i] = len(values) - 1
    return Coded(codes, values)


def _column_cells(col: Any) -> list[Any]:
    return list(col.tolist() if hasattr(col, "tolist") else col)


def _list_record(r: _Reader, group: str, bindings: Sequence[_Binding]) -> CodedRecord:
    """A list group whose cells hold one item each (no ``;``), field by field, as ``read``
    reads it (``Layout._items``): every filled cell ``không`` (or the discipline cell
    ``không``) is a known empty list; the discipline cell's own kind and date give way to
    the columns that state them. A row with ``;`` in the group is left to the model way."""
    model = group_model(group)
    if not bindings:
        return CodedRecord(np.zeros(r.n, np.bool_), np.zeros(r.n, np.bool_), {})
    filled = np.zeros(r.n, np.bool_)
    all_none = np.ones(r.n, np.bool_)
    empty_list = np.zeros(r.n, np.bool_)
    unreadable = np.zeros(r.n, np.bool_)
    memo = _CellMemo()
    raw: dict[str, Coded] = {}
    spread: dict[str, Coded] = {}  # what the discipline cell says of the other fields
    for b in bindings:
        col, coded = b.column, r.parsed[b.index]
        values: list[Any] = []
        multi, none, failed = [], [], []
        for v in coded.values:
            is_none = isinstance(v, str) and header_key(v) == _NONE_MARK
            several = isinstance(v, str) and ";" in v
            got: Any = None
            if type(v) is date and col.kind == "date":
                got = v  # parse_cell's reading of a date that is a date (as in ``parse``)
            elif v is not None and not several:
                try:
                    got = memo(col, v, [])
                except Exception:  # read() gives the error, unless the list is empty
                    got = _FAILED
            multi.append(several)
            none.append(is_none)
            failed.append(got is _FAILED)
            values.append(None if got is _FAILED else got)
        here = coded.codes >= 0
        filled |= here
        none_rows = np.array([*none, False], np.bool_)[coded.codes]
        all_none &= ~here | none_rows
        if col.kind == "discipline":
            empty_list |= none_rows
        r.refuse_codes(coded.codes, multi)
        failing = np.array([*failed, False], np.bool_)[coded.codes]
        if col.kind == "discipline":  # a mapping: form, and maybe kind and decision date
            for k in ("form", "kind", "decision_date"):
                said = [v.get(k) if isinstance(v, dict) else None for v in values]
                stated = np.array([*(x is not None for x in said), False], np.bool_)
                spread[k] = Coded(np.where(stated[coded.codes], coded.codes, -1), said)
        else:
            raw[col.leaf] = Coded(np.where(failing, -1, coded.codes), values)
        unreadable |= failing
    empty_list |= filled & all_none
    r.refuse(unreadable & ~empty_list)
    for k, cell in spread.items():  # the column stating a field wins over the discipline cell
        own = raw.get(k)
        if own is None:
            raw[k] = cell
        else:
            shifted = np.where(cell.codes >= 0, cell.codes + len(own.values), -1)
            raw[k] = Coded(
                np.where(own.codes >= 0, own.codes, shifted), [*own.values, *cell.values]
            )
    present = filled & ~empty_list
    record = _fields(r, model, raw, present, _LISTS[group], group)
    # the known empty lists are known; a pruned item makes the whole list unknown
    known = record.present | empty_list
    if group == "cadre.disciplines":  # the checks the cadre applies to each of them
        r.check(CHECKS["Cadre.disciplines"], record.fields, record.present)
    return CodedRecord(record.present, known, record.fields)


def _ratings(r: _Reader, bindings: Sequence[_Binding]) -> Coded:
    """Per row, the annual ratings of the rating columns (``Xếp loại 2023``…, and ``Xếp loại
    năm trước`` as the year before the row's date), validated once per distinct set."""
    if not bindings:
        return _absent(r.n)
    parts = [r.parsed[b.index].codes for b in bindings]
    if any(b.rating_previous for b in bindings):
        parts.append(r.day_codes)
    inverse, first = number_rows(parts, r.n)
    adapter = _adapter(Cadre, "ratings")
    made: list[Any] = []
    failed: list[bool] = []
    for i in first.tolist():
        rated: dict[int, Any] = {}
        before: Any = None
        for b in bindings:
            v = r.parsed[b.index].value(i)
            if v is None:
                continue
            if b.rating_previous:
                before = v
            elif b.rating_year is not None:
                rated[b.rating_year] = v
        if before is not None:
            day = r.day_values[int(r.day_codes[i])]
            if day is None:  # read() gives the error
                made.append(None)
                failed.append(True)
                continue
            rated.setdefault(day.year - 1, before)
        if not rated:
            made.append(None)
            failed.append(False)
            continue
        try:
            made.append(adapter.validate_python(dict(sorted(rated.items()))))
            failed.append(False)
        except Exception:  # the model way reports it
            made.append(None)
            failed.append(True)
    if any(failed):
        r.refuse(np.array(failed, np.bool_)[inverse])
    given = np.array([m is not None for m in made], np.bool_)
    return Coded(np.where(given[inverse], inverse, -1), made)
