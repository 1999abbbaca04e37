"""Private: the batch's intake — input items, validation into models, facts, error rows."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from luanchuyen.dates import to_date
from luanchuyen.errors import InputError, LuanChuyenError
from luanchuyen.facts import DerivedFacts, derive_facts
from luanchuyen.models import Cadre, Move
from luanchuyen.models.validate import validate_model
from luanchuyen.results import Row, empty_row
from luanchuyen.ruleset.compile import CompiledRules, RuleSet

if TYPE_CHECKING:
    from luanchuyen.records.layout import Layout, Request


@dataclass(frozen=True, slots=True)
class _Item:
    """One input row: a flat table row (cells), a (cadre, move, as_of) triple, or an error."""

    row: int
    source_row: Any
    cells: tuple[Any, ...] | None = None
    pair: tuple[Any, Any, Any] | None = None
    error: LuanChuyenError | None = None


@dataclass(frozen=True, slots=True)
class _Valid:
    """Private: a validated row — its item, models, as-of date and the rules in force."""

    item: _Item
    cadre: Cadre
    move: Move
    as_of: date
    compiled: CompiledRules


@dataclass(frozen=True, slots=True)
class _Job(_Valid):
    """A validated row with its facts, ready for the engine."""

    derived: DerivedFacts


def _is_frame(data: Any) -> bool:
    return type(data).__name__ == "DataFrame" and hasattr(data, "itertuples")


def _label(value: Any) -> Any:
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _labels(index: Any) -> list[Any]:
    """Every label of a frame's index, each as :func:`_label` gives it (an integer or yes/no
    index holds no NaN, and ``tolist`` gives Python scalars: no step a label)."""
    if index.dtype.kind in "iub":
        return list(index.tolist())
    return list(map(_label, index))


def _is_arrow(data: Any) -> bool:
    return (
        type(data).__name__ == "Table"
        and hasattr(data, "to_pandas")
        and hasattr(data, "column_names")
    )


def _cells(frame: Any) -> list[tuple[Any, ...]]:
    """Each row's cells, as ``itertuples`` gives them, taken column by column (``tolist``):
    about twice as fast on the string columns pandas keeps in Arrow."""
    columns = [frame.iloc[:, j].tolist() for j in range(frame.shape[1])]
    if not columns:
        return [() for _ in range(len(frame))]
    return list(zip(*columns, strict=True))


def _items(data: Any) -> tuple[list[_Item], tuple[str, ...] | None]:
    """Normalise the input into items (and the table headers for a DataFrame).

    An Arrow table is read as the DataFrame ``to_pandas`` gives (dates as ``date`` cells).
    """
    if _is_arrow(data):
        data = data.to_pandas()
    if _is_frame(data):
        headers = tuple(str(c) for c in data.columns)
        items = [
            _Item(i, label, cells=cells)
            for i, (label, cells) in enumerate(zip(_labels(data.index), _cells(data), strict=True))
        ]
        return items, headers
    if isinstance(data, str | bytes) or not isinstance(data, Iterable):
        raise InputError(
            "invalid_input",
            "Đầu vào phải là DataFrame hoặc danh sách cặp (cán bộ, đề xuất)",
            "Input must be a DataFrame or an iterable of (cadre, move) pairs",
            field="pairs_or_frame",
        )
    out: list[_Item] = []
    for i, raw in enumerate(data):
        if type(raw) is tuple and len(raw) == 2:  # the common case first: a (cadre, move) pair
            out.append(_Item(i, None, pair=(raw[0], raw[1], None)))
        elif isinstance(raw, LuanChuyenError):
            out.append(_Item(i, None, error=raw))
        elif isinstance(raw, Mapping) and "cadre" in raw and "move" in raw:
            out.append(_Item(i, None, pair=(raw["cadre"], raw["move"], raw.get("as_of"))))
        elif isinstance(raw, tuple | list) and len(raw) in (2, 3):
            out.append(_Item(i, None, pair=(raw[0], raw[1], raw[2] if len(raw) == 3 else None)))
        else:
            out.append(
                _Item(
                    i,
                    None,
                    error=InputError(
                        "invalid_input",
                        "Mục không phải là cặp (cán bộ, đề xuất) hay {cadre, move, as_of}",
                        "Item is not a (cadre, move) pair nor a {cadre, move, as_of} mapping",
                        field=f"item {i}",
                    ),
                )
            )
    return out, None


def _day(value: Any, field: str) -> date | None:
    """The optional as-of date of a batch or a row (``dates.to_date``, the one coercion)."""
    return None if value is None else to_date(value, field)


def _model(cls: type[Cadre] | type[Move], raw: Any, prefix: str, layout: Layout | None) -> Any:
    """``models.validate.validate_model``, an error of a sheet row named by its cell."""
    if layout is None or isinstance(raw, cls) or raw is None:
        return validate_model(cls, raw, prefix)
    try:
        return cls.model_validate(raw)
    except ValidationError as exc:
        raise layout.error_for(exc, prefix) from None


def _validate(
    item: _Item,
    layout: Layout | None,
    rules: RuleSet,
    default_as_of: date | None,
    request: Request | None = None,
) -> _Valid:
    """Validate one row into models, its as-of date and the rules in force (raises if bad).

    ``request``: the row already read by ``Layout.read_many`` (else it is read here).
    """
    if item.error is not None:
        raise item.error
    if item.cells is not None:
        assert layout is not None
        req = (
            request
            if request is not None
            else layout.read(item.cells, as_of=default_as_of, row=item.source_row)
        )
        raw_cadre, raw_move, day = req.cadre, req.move, req.as_of
    else:
        assert item.pair is not None
        raw_cadre, raw_move, raw_day = item.pair
        day = _day(raw_day, "as_of") if raw_day is not None else default_as_of
    if day is None:
        raise InputError(
            "missing_field",
            "Thiếu ngày đánh giá (tham số as_of hoặc cột «Ngày đánh giá»)",
            "The as-of date is missing (the as_of argument or the «Ngày đánh giá» column)",
            field="as_of",
        )
    cadre: Cadre = _model(Cadre, raw_cadre, "cadre", layout)
    move: Move = _model(Move, raw_move, "move", layout)
    return _Valid(item, cadre, move, day, rules.compiled(day))


def _derive(valid: _Valid, layout: Layout | None) -> _Job:
    """Derive one validated row's facts (raises on dates that cannot be right)."""
    try:
        derived = derive_facts(valid.cadre, valid.move, valid.as_of, valid.compiled.params)
    except LuanChuyenError as exc:
        raise (layout.with_column(exc) if layout is not None else exc) from None
    return _Job(valid.item, valid.cadre, valid.move, valid.as_of, valid.compiled, derived)


def _raw_get(raw: Any, name: str) -> Any:
    if isinstance(raw, Mapping):
        return raw.get(name)
    return getattr(raw, name, None)


def _error_row(item: _Item, layout: Layout | None, exc: LuanChuyenError) -> Row:
    row = empty_row(item.row, item.source_row, status="error")
    if item.cells is not None and layout is not None:
        row["cadre_id"] = layout.peek(item.cells, "cadre.id")
        row["cadre_name"] = layout.peek(item.cells, "cadre.name")
        row["target_id"] = layout.peek(item.cells, "move.target.id")
        row["target_title"] = layout.peek(item.cells, "move.target.title")
        row["move_kind"] = layout.peek(item.cells, "move.kind")
    elif item.pair is not None:
        cadre, move, _ = item.pair
        for key, name in (("cadre_id", "id"), ("cadre_name", "name")):
            value = _raw_get(cadre, name)
            row[key] = str(value) if value is not None else None
        target = _raw_get(move, "target")
        for key, name in (("target_id", "id"), ("target_title", "title")):
            value = _raw_get(target, name)
            row[key] = str(value) if value is not None else None
        kind = _raw_get(move, "kind")
        row["move_kind"] = str(getattr(kind, "value", kind)) if kind is not None else None
    row["reason_vi"] = exc.message_vi
    row["error_code"] = exc.code
    row["error_field"] = exc.field
    row["error_message_vi"] = exc.message_vi
    row["error_message_en"] = exc.message_en
    return row


def _unexpected(exc: Exception) -> InputError:
    return InputError(
        "unexpected_error",
        f"Lỗi không mong đợi khi xử lý dòng: {type(exc).__name__}: {exc}",
        f"Unexpected error while processing the row: {type(exc).__name__}: {exc}",
        details={"exception": type(exc).__name__},
    )


def _layout(headers: tuple[str, ...] | None) -> Layout | None:
    if headers is None:
        return None
    from luanchuyen.records.layout import Layout

    return Layout.resolve(headers, "flat")
