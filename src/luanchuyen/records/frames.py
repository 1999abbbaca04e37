"""Tables and models / table → rows (nested mappings and notes), models → table cells.

:func:`records` reads every row of a frame (from :func:`~luanchuyen.io.files.read_table`, a
database, or built by hand) into a :class:`~luanchuyen.records.layout.Request` or, for a row
that cannot be read, its error in place. :func:`cadres_frame`, :func:`positions_frame` and
:func:`requests_frame` go the other way: models into a table in the canonical layout, with
Vietnamese labels (:func:`display`), which reads back to the same models.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from enum import Enum
from typing import TYPE_CHECKING, Any, Final

from pydantic import BaseModel

from luanchuyen.errors import InputError
from luanchuyen.records.cells import Note
from luanchuyen.records.columns import (
    AS_OF_COLUMN,
    CADRE_COLUMNS,
    MOVE_COLUMNS,
    POSITION_COLUMNS,
    RATING_HEADER,
    Column,
    LayoutKind,
)
from luanchuyen.records.layout import Layout, Request

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "cadres_frame",
    "display",
    "positions_frame",
    "read_notes",
    "records",
    "requests_frame",
]


def _label(value: Any) -> Any:
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()
    return value


def records(
    frame: pd.DataFrame, kind: LayoutKind = "flat", *, as_of: date | None = None
) -> list[Request | InputError]:
    """Every row of a table read into nested mappings (an unreadable row → its error).

    >>> import pandas as pd
    >>> rows = records(pd.DataFrame({"Mã cán bộ": ["A1"], "Giới tính": ["Nữ"]}), "cadre")
    >>> rows[0].cadre["id"], rows[0].cadre["gender"].value
    ('A1', 'nu')
    """
    layout = Layout.resolve(list(frame.columns), kind, sheet=frame.attrs.get("sheet"))
    out: list[Request | InputError] = []
    for label, values in zip(frame.index, frame.itertuples(index=False, name=None), strict=True):
        try:
            out.append(layout.read(list(values), as_of=as_of, row=_label(label)))
        except InputError as exc:
            out.append(layout.with_column(exc))
    return out


def read_notes(
    frame: pd.DataFrame, kind: LayoutKind = "flat", *, as_of: date | None = None
) -> list[Note]:
    """Every note of a table (rows that read), each naming its cell; skipped rows included."""
    from luanchuyen.records.cells import note

    out: list[Note] = []
    for skipped in frame.attrs.get("skipped_rows", ()):
        n = note("row_skipped", None, skipped.get("text"))
        out.append(
            Note(
                n.code,
                None,
                n.value,
                n.message_vi,
                n.message_en,
                skipped.get("row"),
                skipped.get("sheet"),
            )
        )
    for req in records(frame, kind, as_of=as_of):
        if isinstance(req, Request):
            out.extend(req.notes)
    return out


#: Display labels for codes that have no Vietnamese label in the enums (each folds back).
_DISPLAY: Final[dict[str, str]] = {
    "cap_truong": "Cấp trưởng",
    "cap_pho": "Cấp phó",
    "khac": "Khác",
    "dang": "Đảng",
    "chinh_quyen": "Chính quyền",
    "thpt": "THPT",
    "trung_cap": "Trung cấp",
    "cao_dang": "Cao đẳng",
    "dai_hoc": "Đại học",
    "thac_si": "Thạc sĩ",
    "tien_si": "Tiến sĩ",
    "so_cap": "Sơ cấp",
    "cao_cap": "Cao cấp",
    "bau_cu": "Bầu cử",
    "bo_nhiem": "Bổ nhiệm",
    "chi_dinh": "Chỉ định",
}
_PLAIN_CODES: Final = frozenset({"rating"})


def display(value: Any) -> Any:
    """A model value as a spreadsheet cell: Vietnamese labels, ``có``/``không``, dates kept.

    >>> from luanchuyen.models import Gender, PostRole
    >>> display(Gender.NU), display(PostRole.CAP_PHO), display(True)
    ('Nữ', 'Cấp phó', 'có')
    """
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, Enum):
        code = str(value.value)
        label = getattr(value, "label_vi", code)
        if label != code:
            return label
        return _DISPLAY.get(code, code)
    return value


def _join(values: list[Any]) -> Any:
    if len(values) == 1:
        return display(values[0])
    parts = []
    for v in values:
        v = display(v)
        parts.append(
            "" if v is None else (v.strftime("%d/%m/%Y") if isinstance(v, date) else str(v))
        )
    return "; ".join(parts)


def _get(model: Any, path: str) -> Any:
    node = model
    for part in path.split("."):
        if node is None:
            return None
        node = getattr(node, part, None)
    return node


def _cells(obj: BaseModel, columns: Sequence[Column], prefix: str) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for col in columns:
        path = col.path.removeprefix(prefix)
        if col.group is not None:
            group = col.group.removeprefix(prefix)
            items = _get(obj, group)
            if items is None:
                row[col.header] = None
            elif not items:
                first = next(c for c in columns if c.group == col.group)
                row[col.header] = "không" if first is col else None
            else:
                values = [getattr(it, col.leaf) for it in items]
                row[col.header] = None if all(v is None for v in values) else _join(values)
        else:
            row[col.header] = display(_get(obj, path))
    return row


def _cadre_cells(cadre: BaseModel) -> dict[str, Any]:
    row = _cells(cadre, CADRE_COLUMNS, "cadre.")
    born = getattr(cadre, "date_of_birth", None)
    precision = getattr(cadre, "birth_date_precision", "day")
    if isinstance(born, date) and precision == "year":
        row["Ngày sinh"] = born.year  # NĐ 135 Đ3.3: only the year is known
    elif isinstance(born, date) and precision == "month":
        row["Ngày sinh"] = f"{born.month:02d}/{born.year}"
    ratings = getattr(cadre, "ratings", None)
    for year, rating in sorted((ratings or {}).items()):
        row[RATING_HEADER.format(year=year)] = display(rating)
    return row


def _frame(rows: list[dict[str, Any]], order: Sequence[str]) -> pd.DataFrame:
    import pandas as pd

    extra = sorted({k for r in rows for k in r} - set(order))
    columns = [*order, *extra]
    return pd.DataFrame(rows, columns=columns)


def cadres_frame(cadres: Iterable[BaseModel | Mapping[str, Any]]) -> pd.DataFrame:
    """Cadres (models or mappings) as a table in the cadre layout, Vietnamese headers."""
    from luanchuyen.models import Cadre

    rows = [_cadre_cells(c if isinstance(c, Cadre) else Cadre.model_validate(c)) for c in cadres]
    return _frame(rows, [c.header for c in CADRE_COLUMNS])


def positions_frame(positions: Iterable[BaseModel | Mapping[str, Any]]) -> pd.DataFrame:
    """Positions (models or mappings) as a table in the position layout."""
    from luanchuyen.models import Position

    rows = [
        _cells(
            p if isinstance(p, Position) else Position.model_validate(p),
            POSITION_COLUMNS,
            "position.",
        )
        for p in positions
    ]
    return _frame(rows, [c.header for c in POSITION_COLUMNS])


def requests_frame(pairs: Iterable[Sequence[Any]]) -> pd.DataFrame:
    """(cadre, move[, as_of]) triples as a flat table (one row per cadre × move)."""
    from luanchuyen.models import Cadre, Move

    rows: list[dict[str, Any]] = []
    for item in pairs:
        cadre, move = item[0], item[1]
        day = item[2] if len(item) > 2 else None
        c = cadre if isinstance(cadre, Cadre) else Cadre.model_validate(cadre)
        m = move if isinstance(move, Move) else Move.model_validate(move)
        row = _cadre_cells(c)
        row.update(_cells(m, MOVE_COLUMNS, "move."))
        if day is not None:
            row[AS_OF_COLUMN.header] = day
        rows.append(row)
    order = [c.header for c in (*CADRE_COLUMNS, *MOVE_COLUMNS)]
    if any(AS_OF_COLUMN.header in r for r in rows):
        order.append(AS_OF_COLUMN.header)
    return _frame(rows, order)
