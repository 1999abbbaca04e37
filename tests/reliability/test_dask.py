"""Beyond one process: a batch split over worker processes equals the single-process batch.

``evaluate_many(..., workers=2)`` (a process pool) and a local Dask cluster (2 worker
processes, 1 thread each) evaluating partitions with ``evaluate_many`` must give the same
frame as one ``evaluate_many`` call. Skipped cleanly when dask or distributed is missing.
Bounded: the cluster work has a 120 s timeout.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from luanchuyen.batch import evaluate_many

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from synth import AS_OF, population

pd = pytest.importorskip("pandas")

ROWS = 240
PAIRS = population(ROWS, seed=7)


@pytest.fixture(scope="module")
def single() -> Any:
    return evaluate_many(PAIRS, as_of=AS_OF, backend="vector")


def _renumbered(frames: list[Any]) -> Any:
    """Concatenate per-partition frames, numbering rows as one batch would."""
    out = []
    offset = 0
    for frame in frames:
        frame = frame.copy()
        frame["row"] = frame["row"] + offset
        offset += len(frame)
        out.append(frame)
    return pd.concat(out, ignore_index=True)


def test_single_batch_is_varied(single: Any) -> None:
    assert len(single) == ROWS
    assert set(single["verdict"]) >= {"eligible", "not_eligible", "needs_review", "unknown"}


@pytest.mark.slow
def test_process_workers_equal_single(single: Any) -> None:
    parallel = evaluate_many(PAIRS, as_of=AS_OF, backend="vector", workers=2)
    pd.testing.assert_frame_equal(parallel, single)


@pytest.mark.slow
def test_local_dask_cluster_equals_single(single: Any) -> None:
    dask = pytest.importorskip("dask")
    distributed = pytest.importorskip("distributed")
    parts = [PAIRS[i : i + 60] for i in range(0, ROWS, 60)]
    with (
        distributed.LocalCluster(
            n_workers=2,
            processes=True,
            threads_per_worker=1,
            dashboard_address=None,
            silence_logs=40,
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        tasks = [dask.delayed(evaluate_many)(part, as_of=AS_OF, backend="vector") for part in parts]
        futures = client.compute(tasks)
        distributed.wait(futures, timeout=120)
        frames = client.gather(futures)
        workers = client.run(lambda: __import__("os").getpid())
    assert len(set(workers.values())) == 2  # two processes really did the work
    combined = _renumbered(frames)
    pd.testing.assert_frame_equal(combined, single)


@pytest.mark.slow
def test_dask_bag_of_pairs_equals_single(single: Any) -> None:
    """The ``dask.bag`` recipe of docs/performance.md, on the synchronous scheduler."""
    bag = pytest.importorskip("dask.bag")
    frames = (
        bag.from_sequence(PAIRS, npartitions=3)
        .map_partitions(_partition)
        .compute(scheduler="synchronous")
    )
    pd.testing.assert_frame_equal(_renumbered(list(frames)), single)


def _partition(pairs: Any) -> list[Any]:
    """One partition of (cadre, move) pairs → a one-element list holding its frame."""
    return [evaluate_many(list(pairs), as_of=AS_OF, backend="vector")]
