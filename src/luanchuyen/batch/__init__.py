"""Đánh giá hàng loạt / batch evaluation: many (cadre, move) pairs → one tidy table.

:func:`evaluate_many` accepts (cadre, move) pairs, ``{cadre, move, as_of}`` mappings, a pandas
DataFrame in the flat spreadsheet layout (:mod:`luanchuyen.records`), or the product of
:func:`cross` (every cadre × every target position). It returns one row per input, in input
order. A bad row is never dropped and never stops the batch: it comes back with
``status == "error"`` (no verdict), a stable error code and a bilingual message.

How it works: a table (pandas or Arrow) with the vector backend and no per-criterion frame
is read column by column, with no mapping and no model a row
(:func:`luanchuyen.records.coded.read_coded`: each column's distinct cells parsed once, each
field's distinct values validated once by the model's own field, the models' cross-field
checks applied once per distinct combination; a row that way cannot take goes the model way
with its exact error). Other input is validated into models, row by row. With the vector
backend (the default) and no per-criterion frame, rows that share an as-of date go the
columnar way
(:mod:`luanchuyen.batch._columnar`): facts derived straight into typed columns, every rule
evaluated on the columns, the result columns computed on the state matrices; only each
row's main reason (``reasons=True``) is written row by row. Otherwise facts are derived per
row, the per-rule states of all rows come from **one** ``backend.states_many`` call per
compiled rule set, and each row's :class:`~luanchuyen.decision.Decision` is assembled as
:func:`luanchuyen.evaluate` does. Both ways give the same frame (tested), and a batch row
equals a single evaluation.

>>> from luanchuyen.batch import evaluate_many
>>> cadre = {"id": "CB1", "name": "Lê Văn A", "gender": "nam", "date_of_birth": "10/10/1963"}
>>> move = {"kind": "luan_chuyen", "target": {"title": "Bí thư xã", "level": "xa"}}
>>> df = evaluate_many([(cadre, move)], as_of="2024-06-01", backend="reference")
>>> row = df.iloc[0]
>>> row.cadre_id, row.verdict, int(row.remaining_service_months), row.blocking_rules
('CB1', 'not_eligible', 5, ['min_remaining_service_10y'])
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Final, Literal, overload

from luanchuyen._edge import edge_function
from luanchuyen.batch._intake import _day, _is_arrow, _is_frame, _items, _layout
from luanchuyen.batch._parallel import _run_parallel
from luanchuyen.batch._rows import (
    _evaluate_items,
    _evaluate_table,
    _in_order,
    _is_vector,
    _resolve_backend,
)
from luanchuyen.engine.base import Backend
from luanchuyen.errors import InputError
from luanchuyen.evaluation import default_rules
from luanchuyen.results import (
    CRITERIA_COLUMNS,
    RESULT_COLUMNS,
    VERDICT_ORDER,
    decisions_frame,
    summarise,
    typed_frames,
)
from luanchuyen.ruleset.compile import RuleSet

if TYPE_CHECKING:
    import pandas as pd

    from luanchuyen.evaluation import BackendName
    from luanchuyen.records.layout import Layout

__all__ = [
    "CRITERIA_COLUMNS",
    "RESULT_COLUMNS",
    "VERDICT_ORDER",
    "BatchResult",
    "cross",
    "decisions_frame",
    "evaluate_many",
    "summarise",
]

_CHUNK: Final = 1000
_FAST_CHUNK: Final = 16_384
#: Rows of a table read column by column at a time: a block's columns are slices of the
#: table, what it adds is the codes, the distinct values and the block's result frame.
_TABLE_CHUNK: Final = 65_536

Progress = Callable[[int, int], None]


@overload
def evaluate_many(
    pairs_or_frame: Any,
    *,
    as_of: date | str | None,
    rules: RuleSet | None = ...,
    backend: BackendName | Backend = ...,
    criteria: Literal[False] = ...,
    workers: int | None = ...,
    progress: Progress | None = ...,
    reasons: bool = ...,
) -> pd.DataFrame: ...
@overload
def evaluate_many(
    pairs_or_frame: Any,
    *,
    as_of: date | str | None,
    rules: RuleSet | None = ...,
    backend: BackendName | Backend = ...,
    criteria: Literal[True],
    workers: int | None = ...,
    progress: Progress | None = ...,
    reasons: bool = ...,
) -> tuple[pd.DataFrame, pd.DataFrame]: ...
def evaluate_many(
    pairs_or_frame: Any,
    *,
    as_of: date | str | None,
    rules: RuleSet | None = None,
    backend: BackendName | Backend = "vector",
    criteria: bool = False,
    workers: int | None = None,
    progress: Progress | None = None,
    reasons: bool = True,
) -> pd.DataFrame | tuple[pd.DataFrame, pd.DataFrame]:
    """Evaluate many (cadre, move) pairs; one result row per input row, in input order.

    Args:
        pairs_or_frame: (cadre, move) or (cadre, move, as_of) tuples of models or mappings;
            ``{"cadre": …, "move": …, "as_of": …}`` mappings (JSON Lines); an
            :class:`~luanchuyen.errors.InputError` in place of an unreadable item; or a
            pandas DataFrame (or an Arrow table) in the flat spreadsheet layout (see
            :mod:`luanchuyen.records`), e.g. from :func:`cross`. With the vector backend and
            no criteria frame a table is read column by column, no model a row
            (:mod:`luanchuyen.records.coded`), giving the frame the models give.
        as_of: the evaluation date of every row that does not carry its own (column
            ``Ngày đánh giá`` / key ``as_of``). ``None`` only if every row carries one.
        rules: the rule set (default: the national packs).
        backend: ``"vector"`` (default; falls back to ``"reference"`` with a warning if
            :mod:`luanchuyen.engine.vector` cannot be imported), ``"reference"``,
            ``"durable"`` or a backend instance (not with ``workers``).
        criteria: also return the long per-criterion frame (:data:`CRITERIA_COLUMNS`).
        workers: split the rows over this many processes (order preserved); the rules are
            reloaded in each process from their pack directories. Processes are *spawned*, so
            a script calling this needs the usual ``if __name__ == "__main__":`` guard.
        progress: called as ``progress(done, total)`` after each chunk of rows.
        reasons: write each row's main reason (``reason_vi``). ``False`` leaves that column
            empty (but on error rows, which always say what is wrong) and, with the vector backend, skips every per-row step: the national-scale
            setting (verdicts, priorities and the rule-id columns say which rules decided;
            :func:`luanchuyen.evaluate` on any row gives its full decision, every reason
            included, identical to the batch row).

    Returns:
        The result frame (:data:`RESULT_COLUMNS`), or ``(results, criteria)`` when
        ``criteria=True``. Rule-id columns hold lists; ``verdict`` is ``eligible``,
        ``needs_review``, ``unknown``, ``not_eligible`` or ``error`` (then ``error_code``,
        ``error_field`` and the bilingual ``error_message_*`` say why).

    Raises:
        InputError: only for a bad argument (``as_of``, the input type); never for a row.
    """
    default_as_of = _day(as_of, "as_of")
    rs = rules if rules is not None else default_rules()
    data = pairs_or_frame.to_pandas() if _is_arrow(pairs_or_frame) else pairs_or_frame
    one_process = workers is None or workers <= 1
    if _is_frame(data) and one_process and not criteria:
        engine = _resolve_backend(backend)
        if _is_vector(engine):  # a table: read column by column
            layout = _layout(tuple(str(c) for c in data.columns))
            assert layout is not None
            joined = _evaluate_table(
                data, layout, rs, engine, default_as_of, reasons, _TABLE_CHUNK, progress
            )
            return _finish(joined, [], False, layout)
    items, headers = _items(data)
    layout = _layout(headers)  # a table whose headers clash fails here, before any work
    if workers is not None and workers > 1 and len(items) > 1:
        name = backend if isinstance(backend, str) else getattr(backend, "name", None)
        if name not in {"vector", "reference", "durable"}:
            raise InputError(
                "invalid_value",
                "Chạy nhiều tiến trình cần tên bộ máy ('vector', 'reference' hoặc 'durable')",
                "Several workers need a backend name ('vector', 'reference' or 'durable')",
                field="backend",
            )
        joined, crit = _run_parallel(
            items, headers, rs, str(name), default_as_of, criteria, workers, progress, reasons
        )
    else:
        engine = _resolve_backend(backend)
        # The columnar path gains from long chunks; the row path reports progress more often.
        size = _FAST_CHUNK if not criteria and _is_vector(engine) else _CHUNK
        frames, crit = [], []
        for start in range(0, len(items), size):
            f, c = _evaluate_items(
                items[start : start + size], layout, rs, engine, default_as_of, criteria, reasons
            )
            frames.append(f)
            crit.extend(c)
            if progress is not None:
                progress(min(start + size, len(items)), len(items))
        joined = _in_order(frames)
    return _finish(joined, crit, criteria, layout)


def _finish(
    joined: pd.DataFrame, crit: list[Any], criteria: bool, layout: Layout | None
) -> pd.DataFrame | tuple[pd.DataFrame, pd.DataFrame]:
    """The typed result frame (and criteria frame), the table's unknown columns named."""
    frame, crit_frame = typed_frames(joined, crit, criteria)
    if layout is not None and layout.unknown:
        frame.attrs["unknown_columns"] = list(layout.unknown)
    return (frame, crit_frame) if criteria else frame


def cross(
    cadres: Any,
    positions: Any,
    *,
    kind: str = "luan_chuyen",
    move: Mapping[str, Any] | None = None,
) -> pd.DataFrame | list[tuple[Any, dict[str, Any]]]:
    """Every cadre × every target position, as input for :func:`evaluate_many`.

    Args:
        cadres: cadre models or mappings, or a DataFrame in the cadre layout.
        positions: position models or mappings, or a DataFrame in the position layout.
        kind: the move kind for every pair (``luan_chuyen``, ``dieu_dong``…; Vietnamese
            labels accepted).
        move: other move fields for every pair (``planned_start``, ``decision_date``…).

    Returns:
        A flat DataFrame (cadre columns + target columns, index ``"<cadre line>×<position
        line>"``) when either input is a DataFrame, so that a bad cadre or position cell
        becomes an error row; otherwise a list of ``(cadre, move mapping)`` pairs.
    """
    extra = dict(move or {})
    if not _is_frame(cadres) and not _is_frame(positions):
        return [(c, {**extra, "kind": kind, "target": p}) for c in cadres for p in positions]
    import pandas as pd  # deferred: pandas is the heavy ``analysis`` extra

    from luanchuyen.records.columns import target_header
    from luanchuyen.records.frames import cadres_frame, positions_frame
    from luanchuyen.records.layout import Layout

    cad = cadres if _is_frame(cadres) else cadres_frame(cadres)
    pos = positions if _is_frame(positions) else positions_frame(positions)
    matched = Layout.resolve(list(pos.columns), "position").matched()
    renamed = {raw: target_header(col) for raw, col in matched.items()}
    pos2 = pos[[c for c in pos.columns if str(c) in renamed]].rename(columns=renamed)
    cad2 = cad.copy()
    left = pd.Series([str(x) for x in cad2.index], index=cad2.index)
    right = pd.Series([str(x) for x in pos2.index], index=pos2.index)
    cad2["__cadre_line"] = left.to_numpy()
    pos2 = pos2.copy()
    pos2["__position_line"] = right.to_numpy()
    flat = cad2.merge(pos2, how="cross")
    index = [f"{a}×{b}" for a, b in zip(flat["__cadre_line"], flat["__position_line"], strict=True)]
    flat = flat.drop(columns=["__cadre_line", "__position_line"])
    flat.index = pd.Index(index, name="line")
    flat[_move_header("move.kind")] = kind
    for name, value in extra.items():
        flat[_move_header(f"move.{name}")] = value
    return flat


def _move_header(path: str) -> str:
    from luanchuyen.records.columns import MOVE_COLUMNS

    for c in MOVE_COLUMNS:
        if c.path == path:
            return c.header
    raise InputError(
        "invalid_input",
        f"Trường đề xuất '{path}' không có cột tương ứng",
        f"Move field '{path}' has no column",
        field=path,
    )


@dataclass(frozen=True)
class BatchResult:
    """Batch results wrapped for notebooks: renders as a coloured HTML table.

    >>> import pandas as pd
    >>> frame = pd.DataFrame({"status": ["ok", "error"], "verdict": ["eligible", None]})
    >>> BatchResult(frame).summary()
    {'eligible': 1, 'needs_review': 0, 'unknown': 0, 'not_eligible': 0, 'error': 1}
    """

    frame: pd.DataFrame
    criteria: pd.DataFrame | None = None

    def summary(self) -> dict[str, int]:
        """Rows by verdict."""
        return summarise(self.frame)

    def write(self, path: str) -> Any:
        """Write the results (and criteria) to .xlsx, .csv or .jsonl."""
        write = edge_function("luanchuyen.io.tables", "write_results")
        return write(self.frame, path, criteria=self.criteria)

    def _repr_html_(self) -> str:
        html: str = edge_function("luanchuyen.render.html", "batch_html")(self.frame)
        return html
