"""Private: the batch over several processes (spawned; the rules reloaded in each)."""

from __future__ import annotations

import math
import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from typing import TYPE_CHECKING

from luanchuyen.batch._intake import _error_row, _Item, _layout
from luanchuyen.batch._rows import _evaluate_items, _in_order, _resolve_backend
from luanchuyen.results import RESULT_COLUMNS, Row
from luanchuyen.ruleset.compile import RuleSet

if TYPE_CHECKING:
    import pandas as pd

Progress = Callable[[int, int], None]
_CHUNK = 1000


_worker_rules: dict[tuple[str, ...], RuleSet] = {}


def _worker(
    items: list[_Item],
    headers: tuple[str, ...] | None,
    pack_paths: tuple[str, ...],
    backend: str,
    default_as_of: date | None,
    criteria: bool,
    reasons: bool = True,
) -> tuple[pd.DataFrame, list[Row]]:
    """Process-pool entry point: reload the rules (cached per process) and evaluate a chunk."""
    rules = _worker_rules.get(pack_paths)
    if rules is None:
        rules = RuleSet.from_paths(pack_paths)
        _worker_rules[pack_paths] = rules
    layout = _layout(headers)
    engine = _resolve_backend(backend)  # type: ignore[arg-type]
    return _evaluate_items(items, layout, rules, engine, default_as_of, criteria, reasons)


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
    size = max(1, min(_CHUNK, math.ceil(len(work) / (workers * 4))))
    chunks = [work[i : i + size] for i in range(0, len(work), size)]
    crit: list[Row] = []
    frames = [pd.DataFrame(rows, columns=list(RESULT_COLUMNS))]
    done = len(rows)
    ctx = multiprocessing.get_context("spawn")  # never fork a process that may host threads
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
        futures = [
            pool.submit(_worker, chunk, headers, paths, backend, default_as_of, criteria, reasons)
            for chunk in chunks
        ]
        for chunk, fut in zip(chunks, futures, strict=True):
            f, c = fut.result()
            frames.append(f)
            crit.extend(c)
            done += len(chunk)
            if progress is not None:
                progress(done, len(items))
    crit.sort(key=lambda r: int(r["row"]))  # stable: criteria keep their order within a row
    return _in_order(frames), crit
