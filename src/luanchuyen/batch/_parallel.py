"""Private: the batch over several processes (the rules reloaded and checked in each).

The pool is loky's ``ProcessPoolExecutor``: workers start by fork+exec (never a bare fork
of a process that may host threads), a killed worker breaks the pool with
``TerminatedWorkerError`` instead of the stdlib pool's occasional deadlock (2 runs in 8 of
``test_a_killed_worker_gives_coded_error_rows_not_a_traceback`` hung with the stdlib pool),
an idle worker exits after :data:`_IDLE_EXIT` seconds, and each worker watches its parent
(:func:`_watch_parent`): when the parent is killed, its workers leave within a second instead of
finishing work nobody will read.
"""

from __future__ import annotations

import math
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from datetime import date
from typing import TYPE_CHECKING

from luanchuyen.batch._intake import _error_row, _Item, _layout
from luanchuyen.batch._rows import (
    _evaluate_items,
    _evaluate_table,
    _in_order,
    _is_vector,
    _resolve_backend,
)
from luanchuyen.errors import EngineError, LuanChuyenError, RuleFileError
from luanchuyen.results import RESULT_COLUMNS, Row
from luanchuyen.ruleset.compile import RuleSet

if TYPE_CHECKING:
    import pandas as pd

    from luanchuyen.engine.base import Backend
    from luanchuyen.records.layout import Layout

Progress = Callable[[int, int], None]
_CHUNK = 1000
_TABLE_CHUNK = 8192
_IDLE_EXIT = 30.0  # seconds an idle worker waits for work before it exits


_worker_rules: dict[tuple[str, ...], RuleSet] = {}
_PARENT_POLL = 0.5  # seconds between two looks at the parent


def _watch_parent(parent: int) -> None:
    """Worker initializer: leave at once when the parent process is gone.

    A worker whose parent was killed is re-parented; ``os.getppid()`` then differs from the
    pid the parent passed in. (``PR_SET_PDEATHSIG`` would fire when the parent *thread* that
    started the worker ends, which a pool's management thread does: polling is the safe way.)
    """

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(_PARENT_POLL)
        os._exit(1)  # nothing to flush: the results had no reader

    threading.Thread(target=watch, name="luanchuyen-parent-watch", daemon=True).start()


def _worker(
    items: list[_Item],
    headers: tuple[str, ...] | None,
    pack_paths: tuple[str, ...],
    backend: str,
    default_as_of: date | None,
    criteria: bool,
    reasons: bool = True,
    content_hash: str | None = None,
) -> tuple[pd.DataFrame, list[Row]]:
    """Process-pool entry point: reload the rules (cached per process) and evaluate a chunk.

    The rules reloaded must have the parent's content hash: a pack edited on disk during the
    run is refused (the chunk's rows become ``rule_file`` error rows), never used silently.
    """
    rules = _worker_rules.get(pack_paths)
    if rules is None:
        rules = RuleSet.from_paths(pack_paths)
        _worker_rules[pack_paths] = rules
    if content_hash is not None and rules.content_hash != content_hash:
        raise RuleFileError(
            "rule_file",
            "Bộ quy tắc trên đĩa đã thay đổi trong khi chạy; chạy lại",
            "A rule pack changed on disk during the run; run again",
            file=", ".join(pack_paths),
        )
    layout = _layout(headers)
    engine = _resolve_backend(backend)  # type: ignore[arg-type]
    tabled = all(it.cells is not None for it in items)
    if layout is not None and items and tabled and not criteria and _is_vector(engine):
        return _table_chunk(items, layout, rules, engine, default_as_of, reasons), []
    return _evaluate_items(items, layout, rules, engine, default_as_of, criteria, reasons)


def _table_chunk(
    items: list[_Item],
    layout: Layout,
    rules: RuleSet,
    engine: Backend,
    default_as_of: date | None,
    reasons: bool,
) -> pd.DataFrame:
    """A worker's table rows read column by column, as one process reads a table."""
    import pandas as pd  # deferred: pandas is the heavy ``analysis`` extra

    frame = pd.DataFrame([it.cells for it in items], columns=list(layout.headers))
    frame.index = pd.Index([it.source_row for it in items], dtype=object)
    out = _evaluate_table(frame, layout, rules, engine, default_as_of, reasons, len(items), None)
    out["row"] = [items[i].row for i in out["row"].tolist()]  # the worker's rows → the batch's
    return out


def _run_parallel(
    items: list[_Item],
    headers: tuple[str, ...] | None,
    rules: RuleSet,
    backend: str,
    default_as_of: date | None,
    criteria: bool,
    workers: int,
    progress: Progress | None,
    reasons: bool = True,
) -> tuple[pd.DataFrame, list[Row]]:
    import pandas as pd  # deferred: pandas is the heavy ``analysis`` extra

    paths = tuple(str(p.path) for p in rules.packs)
    # Items that are already errors stay here: exceptions do not cross process boundaries.
    rows: list[Row] = [_error_row(it, None, it.error) for it in items if it.error is not None]
    work = [it for it in items if it.error is None]
    # a table read by columns in each worker gains from long chunks (its work is per block)
    cap = _TABLE_CHUNK if headers is not None and backend == "vector" and not criteria else _CHUNK
    size = max(1, min(cap, math.ceil(len(work) / (workers * 4))))
    chunks = [work[i : i + size] for i in range(0, len(work), size)]
    crit: list[Row] = []
    frames = [pd.DataFrame(rows, columns=list(RESULT_COLUMNS))]
    done = len(rows)
    from loky import ProcessPoolExecutor  # deferred: only a batch over workers needs it

    with ProcessPoolExecutor(
        max_workers=workers,
        timeout=_IDLE_EXIT,
        initializer=_watch_parent,
        initargs=(os.getpid(),),
    ) as pool:
        futures: list[Future[tuple[pd.DataFrame, list[Row]]] | Exception] = []
        for chunk in chunks:
            try:
                futures.append(
                    pool.submit(
                        _worker,
                        chunk,
                        headers,
                        paths,
                        backend,
                        default_as_of,
                        criteria,
                        reasons,
                        rules.content_hash,
                    )
                )
            except Exception as exc:  # the pool broke (a worker died): these rows, coded
                futures.append(exc)
        for chunk, fut in zip(chunks, futures, strict=True):
            try:
                if isinstance(fut, Exception):
                    raise fut
                f, c = fut.result()
            except LuanChuyenError as exc:  # e.g. the packs changed on disk: the chunk's rows
                f, c = _failed(chunk, headers, exc), []
            except Exception as exc:  # a worker died (BrokenProcessPool): its rows, coded
                f, c = _failed(chunk, headers, _worker_died(exc)), []
            frames.append(f)
            crit.extend(c)
            done += len(chunk)
            if progress is not None:
                progress(done, len(items))
    crit.sort(key=lambda r: int(r["row"]))  # stable: criteria keep their order within a row
    return _in_order(frames), crit


def _worker_died(exc: Exception) -> EngineError:
    return EngineError(
        "engine_failure",
        f"Tiến trình con dừng bất thường ({type(exc).__name__}); các dòng này chưa được đánh giá",
        f"A worker process died ({type(exc).__name__}); these rows were not evaluated",
        details={"exception": type(exc).__name__},
    )


def _failed(
    chunk: list[_Item], headers: tuple[str, ...] | None, exc: LuanChuyenError
) -> pd.DataFrame:
    """Error rows for every item of a chunk that could not be evaluated."""
    import pandas as pd

    layout = _layout(headers)
    return pd.DataFrame([_error_row(it, layout, exc) for it in chunk], columns=list(RESULT_COLUMNS))
