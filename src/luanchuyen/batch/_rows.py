"""Private: the batch's row path — states in bulk per rule set, a Decision per row."""

from __future__ import annotations

import gc
import sys
import threading
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from itertools import repeat
from typing import TYPE_CHECKING, Any, Final

from pydantic import ValidationError

from luanchuyen.batch._intake import (
    _cells,
    _derive,
    _error_row,
    _Item,
    _Job,
    _labels,
    _unexpected,
    _Valid,
    _validate,
)
from luanchuyen.engine.base import Backend
from luanchuyen.errors import EngineError, LuanChuyenError
from luanchuyen.evaluation import decide, get_backend
from luanchuyen.models.validate import input_error_from
from luanchuyen.results import RESULT_COLUMNS, Row, criteria_rows, decision_row
from luanchuyen.ruleset.compile import RuleSet
from luanchuyen.verdict import RuleStates

if TYPE_CHECKING:
    import pandas as pd

    from luanchuyen.evaluation import BackendName
    from luanchuyen.records.layout import Layout, Request


def _states_many(
    engine: Backend, jobs: Sequence[_Job], *, criteria: bool
) -> list[tuple[Row, list[Row]] | LuanChuyenError]:
    """Per-rule states for all jobs, then one result row (and criteria rows) per job.

    Jobs are grouped by compiled rule set (``signature``); each group is sent to the backend
    in ONE ``states_many`` call when the backend has it, else row by row. If a group's call
    fails, its rows are retried one by one so that only the rows that fail carry the error.
    Each row's :class:`~luanchuyen.decision.Decision` is assembled as
    :func:`luanchuyen.evaluate` does. (The columnar fast path is :mod:`luanchuyen.batch._columnar`.)
    """
    states: list[Mapping[str, RuleStates] | LuanChuyenError | None] = [None] * len(jobs)
    groups: dict[str, list[int]] = {}
    for i, job in enumerate(jobs):
        groups.setdefault(job.compiled.signature, []).append(i)
    many = getattr(engine, "states_many", None)
    for idx in groups.values():
        compiled = jobs[idx[0]].compiled
        facts = [jobs[i].derived.facts for i in idx]
        try:
            if many is None:
                raise EngineError("engine_failure", "không có states_many", "no states_many")
            results = list(many(compiled, facts))
            if len(results) != len(facts):
                raise EngineError(
                    "engine_conflict",
                    f"states_many trả {len(results)} kết quả cho {len(facts)} dòng",
                    f"states_many returned {len(results)} results for {len(facts)} rows",
                )
        except LuanChuyenError:
            results = []
            for f in facts:
                try:
                    results.append(engine.states(compiled, f))
                except LuanChuyenError as exc:
                    results.append(exc)
        for i, r in zip(idx, results, strict=True):
            states[i] = r
    out: list[tuple[Row, list[Row]] | LuanChuyenError] = []
    for job, st in zip(jobs, states, strict=True):
        if isinstance(st, LuanChuyenError):
            out.append(st)
            continue
        assert st is not None
        c, m = job.cadre, job.move
        decision = decide(job.compiled, st, job.derived, c, m, job.as_of, engine.name)
        row = decision_row(decision, job.item.row, job.item.source_row, c, m, job.compiled)
        crit = criteria_rows(decision, job.item.row, m.target.id) if criteria else []
        out.append((row, crit))
    return out


_fallback_warned = False


def _resolve_backend(backend: BackendName | Backend) -> Backend:
    """The backend; ``"vector"`` falls back to ``"reference"`` if its module cannot import."""
    global _fallback_warned
    if backend == "vector":
        try:
            import luanchuyen.engine.vector  # noqa: F401
        except ImportError as exc:
            if not _fallback_warned:
                _fallback_warned = True
                warnings.warn(
                    f"Không nạp được bộ máy 'vector' ({exc}); dùng 'reference' / "
                    f"the 'vector' backend cannot be imported ({exc}); using 'reference'",
                    RuntimeWarning,
                    stacklevel=3,
                )
            backend = "reference"
    return get_backend(backend)


def _is_vector(engine: Backend) -> bool:
    vector = sys.modules.get("luanchuyen.engine.vector")  # loaded only if it is the engine
    return vector is not None and isinstance(engine, vector.VectorBackend)


def _warn_row_way(vi: str, way: str, then: str, exc: Exception) -> None:
    """Say that a fast way failed and its rows go one by one. Only the exception's type is
    named: its message may quote a cell, and cadre records are never logged unmasked."""
    warnings.warn(
        f"{vi} / {way} failed ({type(exc).__name__}); {then}", RuntimeWarning, stacklevel=3
    )


def _fast_frames(
    engine: Backend, valid: list[_Valid], reasons: bool
) -> tuple[list[Any], list[_Valid]]:
    """The columnar fast path over validated rows: result frames, and the rows it leaves."""
    from luanchuyen.batch._columnar import group_frame  # deferred: numpy, the vector extra

    groups: dict[date, list[_Valid]] = {}  # one rule set per date
    for v in valid:
        groups.setdefault(v.as_of, []).append(v)
    frames: list[Any] = []
    rest: list[_Valid] = []
    for group in groups.values():
        try:
            frame, left = group_frame(engine, group, reasons=reasons)  # type: ignore[arg-type]
        except Exception as exc:  # never lose a row to the fast path: the row path takes them
            _warn_row_way("Đường nhanh lỗi, chuyển sang đánh giá từng dòng",
                          "the columnar fast path", "evaluating these rows one by one", exc)  # fmt: skip
            rest.extend(group)
            continue
        frames.append(frame)
        rest.extend(left)
    return frames, rest


#: Table rows read together by ``Layout.read_many``: the block's mappings are turned into
#: models before the next block is read, so that few of them are alive at once (each one
#: alive across a collection makes the cyclic collector walk the whole heap sooner).
_READ_BLOCK: Final = 256


def _read_columns(
    items: Sequence[_Item], layout: Layout | None, default_as_of: date | None
) -> Iterator[Request | None]:
    """The table rows of ``items`` read column by column (``Layout.read_many``, block by
    block): each column's distinct cells parsed once. ``None`` where a row is read by
    ``Layout.read`` (not a table row, or a row ``read_many`` leaves: its error comes from
    ``read``)."""
    for first in range(0, len(items), _READ_BLOCK):
        block = items[first : first + _READ_BLOCK]
        out: list[Request | None] = [None] * len(block)
        at = [i for i, item in enumerate(block) if item.cells is not None]
        if layout is not None and at:
            cells = [block[i].cells or () for i in at]
            labels = [block[i].source_row for i in at]
            try:
                read = layout.read_many(cells, as_of=default_as_of, labels=labels)
            except Exception:  # never lose a row to the column reader: read() takes them
                read = [None] * len(at)
            for i, request in zip(at, read, strict=True):
                out[i] = request
        yield from out


def _evaluate_items(
    items: Sequence[_Item],
    layout: Layout | None,
    rules: RuleSet,
    engine: Backend,
    default_as_of: date | None,
    criteria: bool,
    reasons: bool = True,
) -> tuple[pd.DataFrame, list[Row]]:
    """Evaluate a chunk of items into its result frame (rows in order) and criteria rows.

    Rows are validated one by one; with the vector backend and no criteria frame they then go
    the columnar way (:mod:`luanchuyen.batch._columnar`), else facts are derived per row and
    states computed in bulk (:func:`_states_many`).
    """
    import pandas as pd  # deferred: pandas is the heavy ``analysis`` extra

    rows: list[Row] = []
    valid: list[_Valid] = []
    fast = not criteria and _is_vector(engine)
    read = _read_columns(items, layout, default_as_of) if fast else repeat(None)
    for item, request in zip(items, read, strict=False):  # read: as long as items
        try:
            valid.append(_validate(item, layout, rules, default_as_of, request))
        except LuanChuyenError as exc:
            rows.append(_error_row(item, layout, exc))
        except ValidationError as exc:  # pragma: no cover - _model converts these
            rows.append(_error_row(item, layout, input_error_from(exc, "input")))
        except Exception as exc:  # a batch never stops on one row
            rows.append(_error_row(item, layout, _unexpected(exc)))
    frames: list[pd.DataFrame] = []
    if fast and valid:
        frames, valid = _fast_frames(engine, valid, reasons)
    jobs: list[_Job] = []
    for v in valid:
        try:
            jobs.append(_derive(v, layout))
        except LuanChuyenError as exc:
            rows.append(_error_row(v.item, layout, exc))
        except Exception as exc:  # a batch never stops on one row
            rows.append(_error_row(v.item, layout, _unexpected(exc)))
    crit_rows: list[Row] = []
    for job, result in zip(jobs, _states_many(engine, jobs, criteria=criteria), strict=True):
        if isinstance(result, LuanChuyenError):
            rows.append(_error_row(job.item, layout, result))
        else:
            row, crit = result
            if not reasons:
                row["reason_vi"] = None
            rows.append(row)
            crit_rows.extend(crit)
    if rows or not frames:
        frames.append(pd.DataFrame(rows, columns=list(RESULT_COLUMNS)))
    return _in_order(frames), crit_rows


_gc_lock = threading.Lock()
_gc_holders = 0
_gc_was_enabled = False


@contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic garbage collector paused while a block builds its many small, acyclic
    containers (each row's lists of rule ids…): with a large heap alive, the collections
    they would trigger cost more than the block itself. Reference counting still frees
    everything; the collector runs again when the last block (of any thread) is done, and
    stays off if it was off."""
    global _gc_holders, _gc_was_enabled
    with _gc_lock:
        if _gc_holders == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_holders += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_holders -= 1
            if _gc_holders == 0 and _gc_was_enabled:
                gc.enable()


def _evaluate_table(
    frame: pd.DataFrame,
    layout: Layout,
    rules: RuleSet,
    engine: Backend,
    default_as_of: date | None,
    reasons: bool,
    chunk: int,
    progress: Callable[[int, int], None] | None,
) -> pd.DataFrame:
    """A table in the flat layout, evaluated with the vector backend: block by block, read
    column by column without a model a row (``_columnar.table_frames``); the rows that way
    leaves go :func:`_evaluate_items` (the model way, with their exact errors)."""
    from luanchuyen.batch._columnar import table_frames  # deferred: numpy, the vector extra

    n = len(frame)
    frames: list[pd.DataFrame] = []
    for start in range(0, n, chunk):
        block = _Block(frame.iloc[start : start + chunk], start, layout, rules, default_as_of)
        try:
            with _collector_paused():
                done, rest = table_frames(
                    engine,  # type: ignore[arg-type]
                    rules, layout, block.columns, block.labels, start, default_as_of,
                    block.models_of, reasons=reasons,
                )  # fmt: skip
        except Exception as exc:  # never lose a row to the column way: the model way takes them
            _warn_row_way("Đường đọc theo cột lỗi, chuyển sang đọc từng dòng",
                          "the column reader", "reading these rows one by one", exc)  # fmt: skip
            done, rest = [], list(range(len(block.labels)))
        frames.extend(done)
        if rest:
            f, _ = _evaluate_items([block.item(i) for i in rest], layout, rules, engine,
                                   default_as_of, False, reasons)  # fmt: skip
            frames.append(f)
        if progress is not None:
            progress(min(start + chunk, n), n)
    return _in_order(frames)


class _Block:
    """A block of a table's rows: its columns, and each row's cells when the model way
    needs them (taken once for the block, column by column)."""

    def __init__(
        self,
        frame: pd.DataFrame,
        start: int,
        layout: Layout,
        rules: RuleSet,
        default_as_of: date | None,
    ) -> None:
        self.frame, self.start = frame, start
        self.layout, self.rules, self.default_as_of = layout, rules, default_as_of
        self.columns = [frame.iloc[:, j] for j in range(frame.shape[1])]
        self.labels = _labels(frame.index)
        self._cells: list[tuple[Any, ...]] = []

    def item(self, i: int) -> _Item:
        """Row ``i`` of the block as a batch item (its cells)."""
        if not self._cells:
            self._cells = _cells(self.frame)
        return _Item(self.start + i, self.labels[i], cells=self._cells[i])

    def models_of(self, i: int) -> tuple[Any, Any]:
        """Row ``i``'s models, read the model way."""
        valid = _validate(self.item(i), self.layout, self.rules, self.default_as_of)
        return valid.cadre, valid.move


def _in_order(frames: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """Frames of one batch joined, in input order (column ``row``)."""
    import pandas as pd  # deferred: pandas is the heavy ``analysis`` extra

    frames = [f for f in frames if len(f)] or list(frames[:1])
    if not frames:
        return pd.DataFrame([], columns=list(RESULT_COLUMNS))
    if len(frames) == 1:
        frame = frames[0]
    else:
        with warnings.catch_warnings():  # all-None columns in small frames: nothing to warn of
            warnings.simplefilter("ignore", FutureWarning)
            frame = pd.concat(frames, ignore_index=True)
        # A text column joined with an all-empty one is ``object``: infer its type again, so
        # that the dtypes do not depend on how the rows were split (all-empty columns stay).
        for name in frame.columns:
            col = frame[name]
            if col.dtype == object and col.notna().any():
                frame[name] = col.infer_objects()
    if not frame["row"].is_monotonic_increasing:
        frame = frame.sort_values("row", kind="stable")
    return frame.reset_index(drop=True)
