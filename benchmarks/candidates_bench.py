"""The candidate-search benchmark (``make bench``, section «candidates», issue 14).

Synthetic people only (:mod:`synth`, with the inputs of the state-law and equivalence facts
added by :func:`people`): 20,000 cadres × 500 open posts (10,000,000 pairs), one move kind,
the default packs (``qd65`` and the state pack ``nha-nuoc``), as of 01/06/2024 and, after the
reform, 01/03/2026. Measured in one run:

- :func:`luanchuyen.candidates` on the whole population, in a fresh process (its peak RSS is
  the process's: inputs, models and the search), pairs per second;
- today's way on a 2,000 × 500 slice of the same data: ``cross`` then
  ``evaluate_many(..., reasons=False)`` (in four calls of 250,000 pairs, to keep this shared
  machine's memory in bounds), pairs per second, and the ratio;
- the plain-Python baseline per pair and the flat-table path per row, its cells read column
  by column, beside the same frame read row by row and the same rows as models
  (:func:`_reference_points`; ``benchmarks/run.py --table-only`` runs it alone);
- agreement: the search's verdicts against ``evaluate(..., backend="reference")`` on every
  pair of a 200 × 50 population and on a random sample of 10,000 pairs of the large one, and
  against the ``evaluate_many`` frame on every pair of the slice.

``python benchmarks/candidates_bench.py`` runs the section alone (``--quick`` small).
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import synth  # noqa: E402
from measure import peak_rss  # noqa: E402

MIB = 1024 * 1024
#: Dates of the runs: before the reform (Quy định 65, Luật CBCC 2019) and after it
#: (Nghị định 170/2025 bars, Quy định 368 equivalence, the two-tier commune).
DATES: tuple[tuple[date, str], ...] = (
    (synth.AS_OF, "luan_chuyen"),
    (date(2026, 3, 1), "dieu_dong"),
)

#: Other posts held at the same time, by level (title code, equivalence rank).
_HELD = {
    "xa": [("pho_chu_tich_ubnd", 30), ("chu_tich_ubnd", 40), ("pho_bi_thu", 40)],
    "huyen": [("truong_phong", 50), ("uv_btv", 60), ("pho_chu_tich_ubnd", 60)],
    "tinh": [("pho_giam_doc_so", 60), ("giam_doc_so", 70)],
}
_BODIES = ("UBND xã An Bình", "UBND xã Tân Lập", "Huyện ủy Chi Lăng", "Sở Nội vụ")


def state_fields(pop: list[tuple[dict[str, Any], dict[str, Any]]], seed: int) -> list[Any]:
    """The synthetic population with the inputs of the state-law and equivalence facts:
    category, elected, the NĐ 170 bars, maternity leave, bodies (``cross_unit``), other posts
    held (QĐ 368: ranked by the highest), key commune posts, the person's own request."""
    rng = random.Random(seed)
    out = []
    for cadre, move in pop:
        c, m, t = dict(cadre), dict(move), dict(move["target"])
        for name, p in (("serious_illness", 0.03), ("long_term_study", 0.03),
                        ("currently_seconded", 0.03), ("special_hardship", 0.03),
                        ("criminal_proceedings", 0.02), ("elected", 0.3)):  # fmt: skip
            if rng.random() < 0.85:
                c[name] = rng.random() < p
        if c.get("criminal_proceedings") and c.get("under_investigation") is False:
            c["under_investigation"] = True
        if rng.random() < 0.7:
            c["category"] = rng.choice(["can_bo", "cong_chuc", "cong_chuc", "vien_chuc"])
            if c.get("civil_servant") is not None:
                c["civil_servant"] = c["category"] == "cong_chuc"
        post = dict(c["current_post"])
        if rng.random() < 0.6:
            post["body"] = rng.choice(_BODIES)
        if rng.random() < 0.15:
            code, rank = rng.choice(_HELD[post["level"]])
            held = {"title_code": code, "level": post["level"]}
            post["other_posts"] = [{**held, "rank": rank} if rng.random() < 0.3 else held]
        c["current_post"] = post
        if rng.random() < 0.6:
            t["body"] = rng.choice(_BODIES)
        if rng.random() < 0.2:
            t["key_commune_post"] = rng.random() < 0.5
        family = c.get("family")
        if family is not None and c["gender"] == "nu" and rng.random() < 0.5:
            c["family"] = {**family, "maternity_leave": rng.random() < 0.1}
        if rng.random() < 0.2:
            m["own_request"] = rng.random() < 0.5
        m["target"] = t
        out.append((c, m))
    return out


def people(n_cadres: int, n_posts: int, seed: int) -> tuple[list[Any], list[Any]]:
    """``n_cadres`` cadre models and ``n_posts`` target positions (deterministic)."""
    from luanchuyen.models import Cadre, Position

    pop = state_fields(synth.population(n_cadres + n_posts, seed=seed), seed)
    cadres = [Cadre.model_validate(c) for c, _ in pop[:n_cadres]]
    posts = [Position.model_validate(m["target"]) for _, m in pop[n_cadres:]]
    return cadres, posts


def _rss() -> int:
    import psutil

    return int(psutil.Process().memory_info().rss)


def _child(n_c: int, n_p: int, day: str, kind: str, out: str) -> None:
    """In a fresh process: build the inputs, run the search, save the verdicts, print figures."""
    import numpy as np

    import luanchuyen as lc

    rules = lc.load_rules()
    rules.compiled(date.fromisoformat(day))  # compile outside the timing, as a warm session
    start = time.perf_counter()
    cadres, posts = people(n_c, n_p, seed=65)
    built = time.perf_counter() - start
    before = _rss()
    start = time.perf_counter()
    res = lc.candidates(cadres, posts, as_of=day, kind=kind, rules=rules)
    seconds = time.perf_counter() - start
    peak = peak_rss()
    np.save(out, res.verdicts)
    figures = {"seconds": seconds, "built": built, "inputs_rss": before, "peak_rss": peak,
               "fallback": res.fallback_pairs, "counts": res.counts(),
               "listed": len(res.pair_cadre)}  # fmt: skip
    print(json.dumps(figures))


def _reference_codes(cadres: list[Any], moves: list[Any], pairs: list[tuple[int, int]],
                     day: date, rules: Any) -> list[int]:  # fmt: skip
    """``evaluate(..., backend="reference")`` of each pair, as verdict codes."""
    import luanchuyen as lc
    from luanchuyen.analysis.candidates import CODES
    from luanchuyen.errors import InputError

    out = []
    for i, j in pairs:
        try:
            d = lc.evaluate(cadres[i], moves[j], as_of=day, rules=rules, backend="reference")
            out.append(CODES.index(d.verdict.value))
        except InputError:
            out.append(CODES.index("error"))
    return out


def run(quick: bool = False) -> list[tuple[str, bool]]:
    """Print the section; return its targets as (text, passed)."""
    import gc

    import numpy as np

    import luanchuyen as lc
    from luanchuyen.analysis.candidates import CODES
    from luanchuyen.batch import cross, evaluate_many

    n_c, n_p, n_slice, sample = (2_000, 100, 200, 1_000) if quick else (20_000, 500, 2_000, 10_000)
    rules = lc.load_rules()
    targets: list[tuple[str, bool]] = []
    print(f"\n--- candidates (issue 14): {n_c:,} cadres × {n_p:,} posts = {n_c * n_p:,} pairs, "
          f"packs {rules.pack_ids} ---")  # fmt: skip
    cadres, posts = people(n_c, n_p, seed=65)
    small_c, small_p = people(200, 50, seed=14)
    for day, kind in DATES:
        with tempfile.TemporaryDirectory() as tmp:
            out = str(Path(tmp) / "verdicts.npy")
            proc = subprocess.run(
                [sys.executable, __file__, "--child", str(n_c), str(n_p), day.isoformat(), kind, out],
                capture_output=True, text=True, check=True,
            )  # fmt: skip
            fig = json.loads(proc.stdout.strip().splitlines()[-1])
            verdicts = np.load(out)
        pairs_s = n_c * n_p / fig["seconds"]
        print(f"\n{day:%d/%m/%Y}, {kind}: {len(rules.compiled(day).rules)} rules in force")
        print(f"  search       {n_c * n_p:>12,} pairs {fig['seconds']:>7.2f} s {pairs_s:>12,.0f} pairs/s"
              f"  peak RSS {fig['peak_rss'] / MIB:,.0f} MiB (inputs and models alone "
              f"{fig['inputs_rss'] / MIB:,.0f} MiB); {fig['fallback']} pairs by the row path")  # fmt: skip
        print("  verdicts     " + ", ".join(f"{k} {v:,}" for k, v in fig["counts"].items()))

        # today's way on the slice: cross + evaluate_many(reasons=False), 250,000 pairs a call
        step = max(1, 250_000 // n_p)
        got: list[Any] = []
        gc.collect()
        start = time.perf_counter()
        for lo in range(0, n_slice, step):
            frame = evaluate_many(cross(cadres[lo : min(lo + step, n_slice)], posts, kind=kind),
                                  as_of=day,
                                  rules=rules, reasons=False)  # fmt: skip
            got.append(frame["verdict"].to_numpy(dtype=object))
            del frame
        slow = time.perf_counter() - start
        slow_s = n_slice * n_p / slow
        codes = np.array([CODES.index(v) if isinstance(v, str) else CODES.index("error")
                          for v in np.concatenate(got)], np.int8)  # fmt: skip
        slice_agree = int((codes == verdicts[:n_slice].ravel()).sum())
        print(f"  cross + evaluate_many(reasons=False) {n_slice:,} × {n_p:,}: {slow:.1f} s, "
              f"{slow_s:,.0f} pairs/s; the search is {pairs_s / slow_s:.1f}× that")  # fmt: skip

        # agreement with the reference backend
        moves = [
            {"kind": kind, "target": p} for p in posts
        ]  # the search's moves: kind and target only
        rng = random.Random(7)
        picked = [(rng.randrange(n_c), rng.randrange(n_p)) for _ in range(sample)]
        want = _reference_codes(cadres, moves, picked, day, rules)
        sample_agree = sum(int(verdicts[i, j]) == w for (i, j), w in zip(picked, want, strict=True))
        small = lc.candidates(small_c, small_p, as_of=day, kind=kind, rules=rules)
        every = [(i, j) for i in range(200) for j in range(50)]
        small_moves = [{"kind": kind, "target": p} for p in small_p]
        want_small = _reference_codes(small_c, small_moves, every, day, rules)
        small_agree = sum(
            int(small.verdicts[i, j]) == w for (i, j), w in zip(every, want_small, strict=True)
        )
        print(f"  agreement    reference on 200 × 50: {small_agree:,}/{len(every):,}; on "
              f"{sample:,} random pairs: {sample_agree:,}/{sample:,}; evaluate_many on the "
              f"slice: {slice_agree:,}/{n_slice * n_p:,}")  # fmt: skip
        at = f"{day:%d/%m/%Y}"
        targets += [
            (f"candidates ≥ 1,000,000 pairs/s ({at}): {pairs_s:,.0f}", pairs_s >= 1_000_000),
            (f"candidates ≥ 30× cross + evaluate_many ({at}): {pairs_s / slow_s:.1f}×",
             pairs_s / slow_s >= 30),
            (f"candidates peak RSS ≤ 2 GiB ({at}): {fig['peak_rss'] / MIB:,.0f} MiB",
             fig["peak_rss"] <= 2048 * MIB),
            (f"candidates = reference on every pair of 200 × 50 and on {sample:,} sampled "
             f"pairs, = evaluate_many on the slice ({at})",
             small_agree == len(every) and sample_agree == sample
             and slice_agree == n_slice * n_p),
        ]  # fmt: skip
    targets += _reference_points(quick, rules)
    return targets


def _reference_points(quick: bool, rules: Any) -> list[tuple[str, bool]]:
    """The plain-Python baseline per pair and the table path per row, in the same run.

    The baseline (:mod:`baseline`: ``derive_facts`` then hand-written ``if``/``else`` with
    every reason) encodes the national QĐ 65 pack of 01/06/2024 only, so it is a per-pair
    cost, not a check of these packs' verdicts. The table path is ``evaluate_many`` on a
    frame in the flat spreadsheet layout (``requests_frame``) of as many rows, vector
    backend, ``reasons=False``: read column by column with no model a row
    (``records.coded``, ``facts.columnar.derive_coded``). Beside it: the same frame read
    the model way (``Layout.read_many`` and a model a row, the reader of the last session)
    and the same rows given as models (no table at all). Each timing, the baseline's too,
    is the best of three; the baseline and the table path are timed in turns (a 2-core
    machine's speed drifts within a minute); the population's models stay alive
    throughout, for every line alike."""
    import gc

    import baseline

    import luanchuyen as lc
    import luanchuyen.batch._columnar as batch_columnar
    from luanchuyen.batch import evaluate_many
    from luanchuyen.facts import derive_facts
    from luanchuyen.models import Cadre, Move
    from luanchuyen.records.coded import _none
    from luanchuyen.records.frames import requests_frame

    n = 2_000 if quick else 20_000
    day = synth.AS_OF
    pop = state_fields(synth.population(n, seed=65), 65)
    models = [(Cadre.model_validate(c), Move.model_validate(m)) for c, m in pop]
    params = lc.load_rules("qd65").compiled(day).params
    frame = requests_frame(pop)
    evaluate_many(frame.head(50), as_of=day, rules=rules, reasons=False)  # warm

    def baseline_run() -> None:
        for c, m in models:
            d = derive_facts(c, m, day, params)
            baseline.decide(d.facts, d.context)

    def best(work: Any, rounds: int = 3) -> float:
        took = float("inf")
        for _ in range(rounds):
            gc.collect()
            start = time.perf_counter()
            work()
            took = min(took, time.perf_counter() - start)
        return took

    def rate(data: Any, rounds: int = 3) -> float:
        return len(data) / best(
            lambda: evaluate_many(data, as_of=day, rules=rules, reasons=False), rounds
        )

    # the baseline and the table path in turns, so that both meet the machine's same moods
    base_took, table = float("inf"), 0.0
    for _ in range(3):
        base_took = min(base_took, best(baseline_run, 1))
        table = max(table, rate(frame, 1))
    base = n / base_took
    reader = batch_columnar.read_coded
    batch_columnar.read_coded = lambda layout, columns, **kw: _none(len(kw["labels"]))
    try:
        model_way = rate(frame)
    finally:
        batch_columnar.read_coded = reader
    from_models = rate(models)
    print(f"\nreference points ({day:%d/%m/%Y}): plain-Python baseline {base:,.0f} pairs/s "
          f"({1e6 / base:.0f} µs a pair, {n:,} pairs)\n"
          f"  table path, evaluate_many on a {n:,}-row flat-layout frame (vector, "
          f"reasons=False), read column by column: {table:,.0f} rows/s = {table / base:.2f}× "
          f"the baseline ({1e6 / table:.0f} µs a row)\n"
          f"    the same frame read the model way (a model a row): {model_way:,.0f} rows/s = "
          f"{model_way / base:.2f}×; the column way is {table / model_way:.2f}× that\n"
          f"    the same rows as models (no table): {from_models:,.0f} rows/s = "
          f"{from_models / base:.2f}×")  # fmt: skip
    return [(f"columnar table input ≥ 10× the baseline per row: {table / base:.2f}× "
             f"(no model a row; every reason on demand)", table / base >= 10)]  # fmt: skip


def table_section(quick: bool = False) -> list[tuple[str, bool]]:
    """The table path alone (``benchmarks/run.py --table-only``), with the default packs."""
    import luanchuyen as lc

    rules = lc.load_rules()
    print(f"\n--- table input (issue 14): packs {rules.pack_ids} ---")
    return _reference_points(quick, rules)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        _child(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5], sys.argv[6])
    else:
        for text, ok in run("--quick" in sys.argv):
            print(f"  {'PASS' if ok else 'FAIL'}  {text}")
