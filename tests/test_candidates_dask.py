"""Beyond one machine: a Dask DataFrame in the flat layout, one partition per province.

The recipe of ``docs/performance.md``: ``ddf.map_partitions(evaluate_many, as_of=…,
meta=…)`` over a Dask DataFrame whose partitions each hold one province, computed on a local
cluster (threads in this process: the partitions travel as they would between workers,
without starting processes on this shared 2-core machine), equals one ``evaluate_many`` call
on the whole table, row for row. Bounded: 4 partitions of 40 rows, a 120 s wait.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from luanchuyen.batch import evaluate_many
from luanchuyen.records.frames import requests_frame

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from candidates_bench import state_fields
from synth import AS_OF, population

pd = pytest.importorskip("pandas")
dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")

PROVINCES = ("Lạng Sơn", "Cao Bằng", "Bắc Kạn", "Thái Nguyên")
ROWS = 160


@pytest.fixture(scope="module")
def frame() -> Any:
    """A flat-layout table of 160 synthetic rows, sorted by a province column."""
    table = requests_frame(state_fields(population(ROWS, seed=21), seed=21))
    table.insert(0, "Tỉnh", [PROVINCES[i % 4] for i in range(ROWS)])
    return table.sort_values("Tỉnh", kind="stable").reset_index(drop=True)


def _by_province(frame: Any) -> Any:
    """A Dask DataFrame with one partition per province (the index is the row number)."""
    starts = [int(frame.index[frame["Tỉnh"] == p].min()) for p in sorted(PROVINCES)]
    ddf = dd.from_pandas(frame, npartitions=1, sort=True)
    return ddf.repartition(divisions=[*starts, len(frame) - 1])


def test_map_partitions_over_provinces_equals_one_process(frame: Any) -> None:
    single = evaluate_many(frame, as_of=AS_OF)
    assert set(single["verdict"].dropna()) >= {"eligible", "not_eligible", "unknown"}
    ddf = _by_province(frame)
    assert ddf.npartitions == 4
    held = [set(ddf.get_partition(k)["Tỉnh"].compute()) for k in range(4)]
    assert sorted(p for one in held for p in one) == sorted(PROVINCES)  # one province each
    meta = evaluate_many(frame.head(0), as_of=AS_OF)
    with (
        distributed.LocalCluster(
            n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        future = client.compute(ddf.map_partitions(evaluate_many, as_of=AS_OF, meta=meta))
        distributed.wait(future, timeout=120)
        results = future.result()
    assert len(results) == ROWS
    # each partition numbers its rows from 0; renumber as one batch does
    results = results.reset_index(drop=True)
    results["row"] = pd.Series(range(len(results)), dtype=single["row"].dtype)
    pd.testing.assert_frame_equal(results, single)
