"""Mise en page / where the table is in a sheet, and how a row becomes nested mappings.

:func:`find_header` finds the header row of a sheet as boards lay it out: title rows above
it ("ỦY BAN NHÂN DÂN HUYỆN…", "DANH SÁCH CÁN BỘ…"), blank rows, merged banner cells, a
two-row header (a banner "Xếp loại" over "2022 | 2023 | 2024"), and a numbering line
"(1) (2) (3)…" under it. :class:`Layout` resolves the headers to columns once per table and
reads every row: all the errors of a row at once, each naming its cell (sheet, row as the
user sees it, column header) with its code; a partly filled group (a health certificate
without its date, a discipline without its date) is unknown for what is missing, with a
``group_incomplete`` note, not an error; free-text titles are read into a title code, role
and level (:mod:`luanchuyen.records.titles`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import compress, repeat
from operator import is_not
from typing import Any, Final

from pydantic import BaseModel, ValidationError

from luanchuyen.errors import InputError, LuanChuyenError
from luanchuyen.models.enums import Level, PostRole, TitleCode
from luanchuyen.models.validate import error_code_of, error_messages
from luanchuyen.records.cells import (
    Note,
    cell_error,
    is_empty,
    note,
    parse_cell,
    parse_rating,
    text,
)
from luanchuyen.records.columns import (
    HEADER_BY_PATH,
    ID_PATH,
    IGNORED_HEADERS,
    Column,
    LayoutKind,
    header_key,
    lookup,
    rating_binding,
)

__all__ = ["HeaderGuess", "Layout", "Request", "find_header", "merge_errors"]

_NONE_MARK: Final = "khong"
_SCAN_ROWS: Final = 40  # rows searched for the header
_NUMBERING = re.compile(r"^\(?\s*(\d{1,3}|[a-z]|[ivx]{1,4})\s*\)?\.?$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Request:
    """One row read from a table: the nested cadre / move / position mappings and its date.

    ``notes`` are the row's warnings (a date known only to the year, a title not recognised,
    a group left unknown), each naming its cell.
    """

    cadre: dict[str, Any] | None
    move: dict[str, Any] | None
    position: dict[str, Any] | None
    as_of: date | None
    notes: tuple[Note, ...] = ()


@dataclass(frozen=True, slots=True)
class _Binding:
    index: int
    column: Column
    rating_year: int | None = None
    rating_previous: bool = False


# --------------------------------------------------------------------------- header detection


@dataclass(frozen=True, slots=True)
class HeaderGuess:
    """Where a table starts in a sheet.

    Attributes:
        header_row: index (0-based) of the (last) header row in the scanned rows.
        headers: the header of every column (a two-row header joined: "Xếp loại 2023").
        data_start: index of the first data row (after a numbering line, if any).
        matched: how many headers name a known column.
    """

    header_row: int
    headers: tuple[str, ...]
    data_start: int
    matched: int


def _score(cells: Sequence[Any], kind: LayoutKind) -> int:
    table = lookup(kind)
    n = 0
    for c in cells:
        if is_empty(c) or not isinstance(c, str):
            continue
        key = header_key(c)
        if key in table or (kind != "position" and rating_binding(key) is not None):
            n += 1
    return n


def _joined(top: Sequence[Any], bottom: Sequence[Any], kind: LayoutKind) -> list[str]:
    """A two-row header: a banner over sub-headers ("Xếp loại" over "2023")."""
    table = lookup(kind)
    width = max(len(top), len(bottom))
    out: list[str] = []
    banner = ""
    for j in range(width):
        t = top[j] if j < len(top) else None
        b = bottom[j] if j < len(bottom) else None
        if not is_empty(t):
            banner = text(t)
        sub = "" if is_empty(b) else text(b)
        if not sub:
            out.append("" if is_empty(t) else text(t))
            continue
        both = f"{banner} {sub}".strip()
        key = header_key(both)
        if banner and (key in table or rating_binding(key) is not None):
            out.append(both)  # only a join that names a column: a title row never prefixes
        else:
            out.append(sub)
    return out


def _is_numbering(cells: Sequence[Any], width: int) -> bool:
    filled = [c for c in cells if not is_empty(c)]
    if len(filled) < max(2, width // 2):
        return False
    return all(_NUMBERING.match(text(c)) for c in filled)


def find_header(rows: Sequence[Sequence[Any]], kind: LayoutKind = "flat") -> HeaderGuess | None:
    """Find the header among the first rows of a sheet (``None`` when no row names 2 columns).

    The best row (or pair of rows) is the one whose cells name the most known columns;
    title rows, blank rows and merged banners above it score low and are passed over.
    """
    best: HeaderGuess | None = None
    scan = rows[:_SCAN_ROWS]
    for i, row in enumerate(scan):
        single = [("" if is_empty(c) else text(c)) for c in row]
        candidates = [(i, single)]
        if i + 1 < len(scan):
            candidates.append((i + 1, _joined(row, scan[i + 1], kind)))
        for last, headers in candidates:
            n = _score(headers, kind)
            if n >= 2 and (
                best is None
                or n > best.matched
                or (n == best.matched and last == best.header_row and headers == single)
            ):
                start = last + 1
                if start < len(rows) and _is_numbering(rows[start], len(headers)):
                    start += 1
                best = HeaderGuess(last, tuple(headers), start, n)
    return best


# --------------------------------------------------------------------------- groups

#: The sub-model of each group (for its required fields).
_GROUP_MODELS: Final = {
    "cadre.current_post": "CurrentPost",
    "cadre.health": "HealthCertificate",
    "cadre.family": "Family",
    "cadre.disciplines": "Discipline",
    "cadre.planning": "PlanningEntry",
    "cadre.committee_memberships": "CommitteeMembership",
    "cadre.rotation_history": "RotationRecord",
}


def group_model(group: str) -> type[BaseModel]:
    """The model of a group of columns (``cadre.health`` → ``HealthCertificate``)."""
    from luanchuyen import models

    cls: type[BaseModel] = getattr(models, _GROUP_MODELS[group])
    return cls


@functools.cache
def required_fields(group: str) -> frozenset[str]:
    """The fields a group's item must have: without one of them the group is unknown, with a
    ``group_incomplete`` note, not an error."""
    return frozenset(n for n, f in group_model(group).model_fields.items() if f.is_required())


def missing_fields(group: str, item: Mapping[str, Any]) -> list[str]:
    """The required fields of a group's item that the row leaves empty."""
    return sorted(required_fields(group) - set(item))


def merge_errors(errors: Sequence[InputError]) -> InputError:
    """Several errors of one row as one error: the first's code, every message, all details."""
    if len(errors) == 1:
        return errors[0]
    first = errors[0]
    return InputError(
        first.code,
        "; ".join(e.message_vi for e in errors),
        "; ".join(e.message_en for e in errors),
        field=first.field,
        details={**first.details, "errors": [e.to_dict() for e in errors]},
    )


class Layout:
    """The headers of one table resolved to columns; reads rows into nested mappings.

    Build it once per table with :meth:`resolve`, then call :meth:`read` on every row.
    """

    def __init__(
        self,
        kind: LayoutKind,
        headers: Sequence[str],
        bindings: Sequence[_Binding],
        unknown: Sequence[str],
        *,
        sheet: str | None = None,
        match_titles: bool = True,
    ) -> None:
        self.kind: LayoutKind = kind
        self.headers: tuple[str, ...] = tuple(str(h) for h in headers)
        self._bindings = tuple(bindings)
        self.unknown: tuple[str, ...] = tuple(unknown)
        self.sheet = sheet
        self.match_titles = match_titles
        self._by_path = {b.column.path: b for b in self._bindings}
        stt = [i for i, h in enumerate(self.headers) if header_key(h) in {"stt", "so_tt", "tt"}]
        self._stt = stt[0] if stt else None

    @classmethod
    def resolve(
        cls,
        headers: Sequence[Any],
        kind: LayoutKind = "flat",
        *,
        sheet: str | None = None,
        match_titles: bool = True,
    ) -> Layout:
        """Match ``headers`` to columns (accents, case and punctuation ignored).

        Unknown headers are kept in :attr:`unknown` and ignored (``STT`` silently).

        Raises:
            InputError: ``invalid_input`` when two headers name the same field.
        """
        table = lookup(kind)
        bindings: list[_Binding] = []
        unknown: list[str] = []
        seen: dict[str, str] = {}
        for i, raw in enumerate(headers):
            header = "" if is_empty(raw) else str(raw).strip()
            key = header_key(header)
            col = table.get(key)
            binding: _Binding | None = None
            if col is not None:
                binding = _Binding(i, col)
            elif kind != "position" and (year := rating_binding(key)) is not None:
                if year == "previous":
                    binding = _Binding(
                        i,
                        Column(header, "cadre.ratings.previous", "code", ""),
                        rating_previous=True,
                    )
                else:
                    binding = _Binding(i, Column(header, f"cadre.ratings.{year}", "code", ""), year)
            if binding is None:
                if key and key not in IGNORED_HEADERS and not key.startswith("unnamed"):
                    unknown.append(header)
                continue
            path = binding.column.path
            if path in seen:
                raise InputError(
                    "invalid_input",
                    f"Hai cột «{seen[path]}» và «{header}» cùng chỉ một trường ({path})",
                    f"Columns «{seen[path]}» and «{header}» name the same field ({path})",
                    field=path,
                )
            seen[path] = header
            # the table's own header names the column in every message
            bindings.append(
                _Binding(
                    i,
                    _as_written(binding.column, header),
                    binding.rating_year,
                    binding.rating_previous,
                )
            )
        return cls(kind, [str(h) for h in headers], bindings, unknown, sheet=sheet, match_titles=match_titles)  # fmt: skip

    @property
    def bindings(self) -> tuple[_Binding, ...]:
        """The recognised columns with their places in the row (table order)."""
        return self._bindings

    @property
    def stt_index(self) -> int | None:
        """Where the STT (row number) column is, if the table has one."""
        return self._stt

    def matched(self) -> dict[str, Column]:
        """Recognised headers (as written in the table) → their columns."""
        return {self.headers[b.index]: b.column for b in self._bindings}

    @property
    def columns(self) -> tuple[Column, ...]:
        """The recognised columns, in table order."""
        return tuple(b.column for b in self._bindings)

    def has(self, path: str) -> bool:
        """Whether a column of the table fills ``path``."""
        return path in self._by_path

    @property
    def id_source(self) -> str | None:
        """Where ids come from when the table has no id column: ``"stt"`` or ``"row"``."""
        if self.kind == "position" or self.has(ID_PATH):
            return None
        return "stt" if self._stt is not None else "row"

    def header_for(self, path: str) -> str | None:
        """The header of this table (else the canonical one) for a field path, if any.

        ``cadre.planning.0.level`` (a list item) and ``move.target`` (a whole object) are
        understood; a bare ``cadre`` (an error on the whole record) names no column.
        """
        parts: list[str] = []
        for p in path.split("."):
            if p.isdigit() and parts:
                parts[-1] += "[]"
            else:
                parts.append(p)
        generic = ".".join(parts)
        for candidate in (path, generic, generic.replace("[]", "")):
            b = self._by_path.get(candidate)
            if b is not None:
                return b.column.header
            if candidate in HEADER_BY_PATH:
                return HEADER_BY_PATH[candidate]
        if len(parts) < 2:
            return None
        starts = (generic + ".", generic + "[].")
        for b in self._bindings:
            if b.column.path.startswith(starts):
                return b.column.header
        for p, h in HEADER_BY_PATH.items():
            if p.startswith(starts):
                return h
        return None

    def peek(self, values: Sequence[Any], path: str) -> str | None:
        """The raw text of one cell (for labelling a row that failed), or ``None``."""
        b = self._by_path.get(path)
        if b is None or b.index >= len(values) or is_empty(values[b.index]):
            if path == ID_PATH and self._stt is not None and self._stt < len(values):
                stt = values[self._stt]
                return None if is_empty(stt) else text(stt)
            return None
        return text(values[b.index])

    def _where(self, row: Any) -> str:
        parts = []
        if self.sheet:
            parts.append(f"Trang «{self.sheet}»")
        if row is not None:
            parts.append(f"dòng {row}")
        return ", ".join(parts)

    def _locate(self, err: InputError, row: Any) -> InputError:
        where = self._where(row)
        if not where:
            return err
        en_where = where.replace("Trang", "Sheet").replace("dòng", "row")
        return InputError(
            err.code,
            f"{where}, {err.message_vi[0].lower()}{err.message_vi[1:]}",
            f"{en_where}, {err.message_en[0].lower()}{err.message_en[1:]}",
            field=err.field,
            details={**err.details, "sheet": self.sheet, "row": row},
        )

    def read(self, values: Sequence[Any], *, as_of: date | None = None, row: Any = None) -> Request:
        """Read one row (cells in header order) into nested mappings.

        Args:
            values: the row's cells, aligned with the headers.
            as_of: the batch's evaluation date (used when the row has no ``Ngày đánh giá``,
                for ``Xếp loại năm trước`` and for the validity of titles).
            row: the row as the user sees it (named in errors and notes; the id when the
                table has neither an id nor an STT column).

        Raises:
            InputError: every cell of the row that cannot be read (bad date, yes/no, number,
                code, list sizes), each naming its cell, merged into one error
                (:func:`merge_errors`; ``details["errors"]`` lists them).
        """
        out: dict[str, Any] = {}
        groups: dict[str, list[tuple[Column, Any]]] = {}
        ratings: dict[int, Any] = {}
        rating_seen = False
        previous: tuple[Column, Any] | None = None
        notes: list[Note] = []
        errors: list[InputError] = []
        for b in self._bindings:
            raw = values[b.index] if b.index < len(values) else None
            col = b.column
            if b.rating_year is not None or b.rating_previous:
                rating_seen = True
                if is_empty(raw):
                    continue
                if b.rating_previous:
                    previous = (col, raw)
                elif b.rating_year is not None:
                    try:
                        ratings[b.rating_year] = parse_rating(col, raw)
                    except InputError as exc:
                        errors.append(exc)
                continue
            if is_empty(raw):
                continue
            group = col.group
            if group is not None:
                groups.setdefault(group, []).append((col, raw))
                continue
            try:
                value = parse_cell(col, raw, notes)
            except InputError as exc:
                errors.append(exc)
                continue
            if col.kind == "birth":
                _put(out, col.path, value[0])
                _put(out, "cadre.birth_date_precision", value[1])
            else:
                _put(out, col.path, value)
        row_as_of = out.pop("as_of", None)
        day = row_as_of if isinstance(row_as_of, date) else as_of
        if previous is not None:
            col, raw = previous
            if day is None:
                errors.append(
                    cell_error(
                        "missing_field",
                        col,
                        "cần ngày đánh giá để biết «năm trước» là năm nào",
                        "an as-of date is needed to know which year is the previous one",
                        raw,
                    )
                )
            else:
                try:
                    ratings.setdefault(day.year - 1, parse_rating(col, raw))
                except InputError as exc:
                    errors.append(exc)
        if rating_seen and ratings:
            _put(out, "cadre.ratings", dict(sorted(ratings.items())))
        for group, cells in groups.items():
            try:
                _put(out, group, _items(cells, notes))
            except InputError as exc:
                errors.append(exc)
        if errors:
            raise merge_errors([self._locate(e, row) for e in errors])
        return self._complete(out, values, row, day, notes)

    def _complete(
        self, out: dict[str, Any], values: Sequence[Any], row: Any, day: date | None,
        notes: list[Note],
    ) -> Request:  # fmt: skip
        """A row's mappings read without error → its :class:`Request` (id, titles, groups)."""
        if self.kind != "position":
            self._fill_id(out, values, row, notes)
        if self.match_titles:
            self._titles(out, day, notes)
        self._prune(out, notes)
        where = [
            Note(n.code, n.column, n.value, n.message_vi, n.message_en, row, self.sheet)
            for n in notes
        ]
        if self.kind == "position":
            return Request(None, None, out.get("position"), day, tuple(where))
        return Request(out.get("cadre"), out.get("move"), None, day, tuple(where))

    def read_many(
        self,
        rows: Sequence[Sequence[Any]],
        *,
        as_of: date | None = None,
        labels: Sequence[Any] | None = None,
    ) -> list[Request | None]:
        """Many rows read as :meth:`read` reads each, column by column.

        Each column's distinct cells are parsed once (by the same :func:`parse_cell` and
        :func:`parse_rating`), and each list group's distinct cells once, not once per row;
        the rows are then assembled as :meth:`read` assembles them, so that a row's
        :class:`Request` (mappings and notes) is the one :meth:`read` gives. ``None`` marks a
        row this way leaves to :meth:`read`: a cell that does not read (its error, with every
        other error of the row, is :meth:`read`'s), a cell that cannot be a key (a nested list
        or mapping), ``Xếp loại năm trước`` without an as-of date.

        Args:
            rows: the rows' cells, each aligned with the headers.
            as_of: as for :meth:`read`.
            labels: each row as the user sees it (``row`` of :meth:`read`).
        """
        n = len(rows)
        names = list(labels) if labels is not None else [None] * n
        width = len(self.headers)
        if any(len(r) != width for r in rows):  # not a table's rows: read() takes each
            return [None] * n
        cells = list(zip(*rows, strict=True)) if n else []
        taken = [True] * n
        # per row, made only for the rows that have them (fewer objects for the collector)
        notes: dict[int, list[Note]] = {}
        ratings: dict[int, dict[int, Any]] = {}
        previous: dict[int, Any] = {}
        groups: dict[int, dict[str, list[tuple[int, Any]]]] = {}
        # each mapping of the row (``cadre``, ``cadre.current_post``, ``move.target``…) is
        # built by column, then linked into its parent (as _put nests it)
        nodes: dict[tuple[str, ...], list[dict[str, Any] | None]] = {(): [{} for _ in range(n)]}
        for b in self._bindings:
            col = b.column
            found = _column_once(b, cells[b.index]) if cells else []
            if not found:
                continue
            if col.group is not None:
                for i, raw in found:
                    groups.setdefault(i, {}).setdefault(col.group, []).append((b.index, raw))
                continue
            *parent, leaf = col.path.split(".")
            for k in range(1, len(parent) + 1):
                nodes.setdefault(tuple(parent[:k]), [None] * n)
            at = nodes[tuple(parent)]
            birth = col.kind == "birth"
            for i, got in found:
                if got is _FAILED:
                    taken[i] = False
                    continue
                value, said = got
                if b.rating_previous:
                    previous[i] = value
                    continue
                if b.rating_year is not None:
                    ratings.setdefault(i, {})[b.rating_year] = value
                    continue
                if said:
                    notes.setdefault(i, []).extend(said)
                node = at[i]
                if node is None:
                    node = at[i] = {}
                if birth:
                    node[leaf] = value[0]
                    node["birth_date_precision"] = value[1]  # cadre.birth_date_precision
                else:
                    node[leaf] = value
        for path in sorted(nodes, key=len, reverse=True):  # the deepest first
            if not path:
                continue
            up, name = nodes[path[:-1]], path[-1]
            for i, node in enumerate(nodes[path]):
                if node is not None:
                    parent_node = up[i]
                    if parent_node is None:
                        parent_node = up[i] = {}
                    parent_node[name] = node
        outs = nodes[()]
        by_index = {b.index: b.column for b in self._bindings}
        group_memo: dict[tuple[str, tuple[Any, ...]], Any] = {}
        cell_memo = _CellMemo()
        out_rows: list[Request | None] = [None] * n
        for i in range(n):
            if not taken[i]:
                continue
            out = outs[i]
            assert out is not None
            row_as_of = out.pop("as_of", None)
            day = row_as_of if isinstance(row_as_of, date) else as_of
            said_here = notes.get(i, [])
            rated = ratings.get(i, {})
            if i in previous:
                if day is None:
                    continue  # read() gives the error
                rated.setdefault(day.year - 1, previous[i])
            if rated:
                _put(out, "cadre.ratings", dict(sorted(rated.items())))
            for group, group_cells in groups.get(i, {}).items():
                try:
                    key = (group, tuple((j, type(v), v) for j, v in group_cells))
                    got = group_memo.get(key, _EMPTY)
                except TypeError:
                    got = _FAILED
                else:
                    if got is _EMPTY:
                        got = group_memo[key] = _group_once(
                            [(by_index[j], v) for j, v in group_cells], cell_memo
                        )
                if got is _FAILED:
                    break
                items, said = got
                said_here.extend(said)
                _put(out, group, [dict(item) for item in items])
            else:
                out_rows[i] = self._complete(out, rows[i], names[i], day, said_here)
        return out_rows

    def _fill_id(
        self, out: dict[str, Any], values: Sequence[Any], row: Any, notes: list[Note]
    ) -> None:
        cadre = out.get("cadre")
        if cadre is None or "id" in cadre:  # no id column, or an empty id cell
            return
        stt = values[self._stt] if self._stt is not None and self._stt < len(values) else None
        if not is_empty(stt):
            cadre["id"] = text(stt)
            notes.append(note("id_from_stt", None, stt))
        elif row is not None:
            cadre["id"] = str(row)
            notes.append(note("id_from_row", None, row))

    def _titles(self, out: dict[str, Any], day: date | None, notes: list[Note]) -> None:
        targets: list[tuple[str, dict[str, Any]]] = []
        for path in ("cadre.current_post", "move.target", "position"):
            node = _get(out, path)
            if isinstance(node, dict):
                targets.append((path, node))
        planning = _get(out, "cadre.planning")
        if isinstance(planning, list):
            targets.extend(("cadre.planning[]", item) for item in planning)
        for path, node in targets:
            self.title_node(path, node, day, notes)

    def title_node(
        self, path: str, node: dict[str, Any], day: date | None, notes: list[Note]
    ) -> None:
        """Read a free-text title of one post mapping (``path``: ``cadre.current_post``,
        ``move.target``, ``position`` or ``cadre.planning[]``) into its title code, and its
        role and level where the row leaves them out (notes appended to ``notes``)."""
        from luanchuyen.records.titles import match_title_cached

        title = node.get("title")
        if not isinstance(title, str) or node.get("title_code") is not None:
            return
        m = match_title_cached(title, day)
        col = self._column(f"{path}.title")
        if not m.recognised:
            notes.append(
                note("title_unknown", col, title, f"độ tin cậy {m.confidence:.0f}",
                     f"confidence {m.confidence:.0f}")
            )  # fmt: skip
            return
        try:
            node["title_code"] = TitleCode.parse(m.code)
        except InputError:  # a catalogue code the model does not know yet
            notes.append(note("title_unknown", col, title, str(m.code), str(m.code)))
            return
        if len(m.parts) > 1 and m.code in {p.code for p in m.parts}:  # no combined title
            notes.append(note("title_several", col, title, str(m.code), str(m.code)))
        if "role" not in node and m.role is not None and path != "cadre.planning[]":
            node["role"] = PostRole(m.role)
        if "level" not in node and m.level is not None:
            node["level"] = Level(m.level)

    def _column(self, path: str) -> Column | None:
        b = self._by_path.get(path)
        return b.column if b is not None else None

    def _prune(self, out: dict[str, Any], notes: list[Note]) -> None:
        """A partly filled group is unknown (``None``) for what is missing, with a note."""
        for group in _GROUP_MODELS:
            node = _get(out, group)
            if node is None:
                continue
            items = node if isinstance(node, list) else [node]
            for item in items:
                missing = missing_fields(group, item)
                if missing:
                    names = ", ".join(self.header_for(f"{group}.{m}") or m for m in missing)
                    col = self._column(next(iter(self._group_paths(group)), ""))
                    notes.append(
                        note("group_incomplete", col, None, f"thiếu: {names}", f"missing: {names}")
                    )
                    _put(out, group, None)
                    break

    def _group_paths(self, group: str) -> list[str]:
        return [
            b.column.path
            for b in self._bindings
            if b.column.path.startswith((group + ".", group + "[]."))
        ]

    def error_for(self, exc: ValidationError, prefix: str) -> InputError:
        """A pydantic error on this row's cadre/move/position: every error, naming its column."""
        errors: list[InputError] = []
        for e in exc.errors():
            loc = ".".join(str(x) for x in (prefix, *e["loc"]))
            vi, en = error_messages(e)
            err = InputError(error_code_of(e["type"]), f"{loc}: {vi}", f"{loc}: {en}", field=loc)
            errors.append(self.with_column(err))
        return merge_errors(errors)

    def with_column(self, err: LuanChuyenError) -> InputError:
        """Add the column header to an error's messages (when its field maps to a column)."""
        header = self.header_for(err.field) if err.field else None
        if header is None or "column" in err.details:  # unknown, or already named
            return (
                err
                if isinstance(err, InputError)
                else InputError(
                    err.code, err.message_vi, err.message_en, field=err.field, details=err.details
                )
            )
        return InputError(
            err.code,
            f"Cột «{header}»: {err.message_vi}",
            f"Column «{header}»: {err.message_en}",
            field=err.field,
            details={**err.details, "column": header},
        )


#: read_many: an empty cell, and a cell that does not read (the row goes to read()).
_EMPTY: Final = object()
_FAILED: Final = object()


def _column_once(b: _Binding, cells: Sequence[Any]) -> list[tuple[int, Any]]:
    """The non-empty cells of one column: ``(row, (value, notes) or _FAILED)``, each distinct
    cell parsed once (a list group's cells come back as written, to be read by group)."""
    grouped = b.column.group is not None
    try:
        keys = list(zip(map(type, cells), cells, strict=True))
        distinct = dict.fromkeys(keys)
    except TypeError:  # a nested list or mapping in a cell: each cell on its own
        keys, distinct = [], {}
    if not keys and cells:
        out: list[tuple[int, Any]] = []
        for i, raw in enumerate(cells):
            if is_empty(raw):
                continue
            try:
                hash(raw)
            except TypeError:
                out.append((i, _FAILED))
                continue
            out.append((i, raw if grouped else _parse_once(b, raw)))
        return out
    for key in distinct:
        raw = key[1]
        distinct[key] = _EMPTY if is_empty(raw) else (raw if grouped else _parse_once(b, raw))
    if len(distinct) == 1 and next(iter(distinct.values())) is _EMPTY:
        return []
    parsed = list(map(distinct.__getitem__, keys))
    filled = map(is_not, parsed, repeat(_EMPTY))  # C-level: no Python step per empty cell
    return list(compress(enumerate(parsed), filled))


def _parse_once(b: _Binding, raw: Any) -> Any:
    """One distinct cell of a column → ``(value, notes)``, or ``_FAILED``.

    A value that could be changed in place (a mapping, a list) is not shared between rows.
    """
    notes: list[Note] = []
    try:
        if b.rating_year is not None:
            value = parse_rating(b.column, raw)
        else:
            value = parse_cell(b.column, raw, notes)
    except Exception:  # read() gives this cell's error (or raises it) with the row's others
        return _FAILED
    if isinstance(value, dict | list):
        return _FAILED
    return value, tuple(notes)


class _CellMemo:
    """:func:`parse_cell` once per distinct (column, cell): the value, or the error, again."""

    def __init__(self) -> None:
        self._memo: dict[tuple[str, type, Any], tuple[Any, tuple[Note, ...]] | Exception] = {}

    def __call__(self, col: Column, value: Any, notes: list[Note]) -> Any:
        key = (col.path, type(value), value)
        got = self._memo.get(key)
        if got is None:
            said: list[Note] = []
            try:
                got = (parse_cell(col, value, said), tuple(said))
            except Exception as exc:  # raised again below, as parse_cell raised it
                got = exc
            self._memo[key] = got
        if isinstance(got, Exception):
            raise got
        notes.extend(got[1])
        return got[0]


def _group_once(cells: list[tuple[Column, Any]], parse: _CellMemo) -> Any:
    """One distinct list group of a row (its cells) → ``(items, notes)``, or ``_FAILED``."""
    notes: list[Note] = []
    try:
        items = _items(cells, notes, parse)
    except Exception:  # read() gives this group's error (or raises it) with the row's others
        return _FAILED
    return items, tuple(notes)


def _as_written(col: Column, header: str) -> Column:
    if not header or header == col.header:
        return col
    return Column(header, col.path, col.kind, col.en, col.aliases)


@functools.cache
def _parts(path: str) -> tuple[str, ...]:
    return tuple(path.split("."))


def _get(out: dict[str, Any], path: str) -> Any:
    node: Any = out
    for p in _parts(path):
        if not isinstance(node, dict):
            return None
        node = node.get(p)
    return node


def _put(out: dict[str, Any], path: str, value: Any) -> None:
    parts = path.split(".")
    node = out
    for p in parts[:-1]:
        node = node.setdefault(p, {})
    node[parts[-1]] = value


def _split(value: Any) -> list[Any]:
    if isinstance(value, str) and ";" in value:
        return [piece.strip() for piece in value.split(";")]
    return [value]


def _items(
    cells: list[tuple[Column, Any]],
    notes: list[Note],
    parse: Callable[[Column, Any, list[Note]], Any] = parse_cell,
) -> list[dict[str, Any]]:
    """A list group's cells → list items (``;`` separates items; ``không`` = empty list).

    ``parse`` reads one item's cell (:func:`parse_cell`, or a memo of it).
    """
    if all(isinstance(v, str) and header_key(v) == _NONE_MARK for _, v in cells):
        return []
    pieces = [(col, _split(v)) for col, v in cells]
    n = max(len(p) for _, p in pieces)
    errors: list[InputError] = []
    for col, p in pieces:
        if len(p) not in (1, n):
            errors.append(
                cell_error(
                    "invalid_value",
                    col,
                    f"có {len(p)} mục, các cột cùng nhóm có {n} mục (ngăn cách bằng «;»)",
                    f"has {len(p)} items while its group has {n} (separated by «;»)",
                    "; ".join(text(x) for x in p),
                )
            )
    if errors:
        raise merge_errors(errors)
    items: list[dict[str, Any]] = [{} for _ in range(n)]
    for col, p in pieces:
        for i in range(n):
            v = p[0] if len(p) == 1 else p[i]
            if is_empty(v):
                continue
            if col.kind == "discipline" and header_key(text(v)) == _NONE_MARK and n == 1:
                return []
            try:
                value = parse(col, v, notes)
            except InputError as exc:
                errors.append(exc)
                continue
            if isinstance(value, dict):  # a discipline cell: form, system, date
                for k, x in value.items():
                    items[i].setdefault(k, x)
            else:
                items[i][col.leaf] = value
    if errors:
        raise merge_errors(errors)
    return items
